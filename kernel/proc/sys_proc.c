/* The system calls of processes, time and identity. */
#include <string.h>
#include <abi.h>
#include <clock.h>
#include <errno.h>
#include <exec.h>
#include <kmalloc.h>
#include <layout.h>
#include <param.h>
#include <pmm.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <timer.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/percpu.h>

SYSCALL(fork)
{
	return proc_fork();
}

/* Copies a NULL-terminated array of user strings into buf; the count or -errno. */
static int
copy_strings(uint64_t uarray, char **out, int max, char **buf, size_t *room)
{
	int n = 0;

	for (; uarray; n++) {
		uint64_t ustr;

		if (copy_from_user(&ustr, uarray + 8 * (uint64_t)n, 8) < 0)
			return -EFAULT;
		if (!ustr)
			break;
		if (n == max)
			return -E2BIG;
		long len = copy_string_from_user(*buf, ustr, *room);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		out[n] = *buf;
		*buf += len + 1;
		*room -= (size_t)len + 1;
	}
	return n;
}

SYSCALL(execve)
{
	char *path = kmalloc(PATH_MAX), *strings = kmalloc(ARG_MAX_BYTES);
	char **ptrs = kmalloc(sizeof(char *) * ARG_MAX_COUNT);
	int64_t r = -ENOMEM;

	if (!path || !strings || !ptrs)
		goto out;
	long len = copy_string_from_user(path, a0, PATH_MAX);
	if (len <= 0) {
		r = len < 0 ? len : -ENOENT;	/* "" names no file */
		goto out;
	}
	char *at = strings;
	size_t room = ARG_MAX_BYTES;
	int argc = copy_strings(a1, ptrs, ARG_MAX_COUNT, &at, &room);
	if (argc < 0) {
		r = argc;
		goto out;
	}
	int envc = copy_strings(a2, ptrs + argc, ARG_MAX_COUNT - argc, &at, &room);
	if (envc < 0) {
		r = envc;
		goto out;
	}
	r = exec_into(proc_current(), path, ptrs, argc, ptrs + argc, envc);
out:
	kfree(path);
	kfree(strings);
	kfree(ptrs);
	return r;
}

SYSCALL(exit)
{
	proc_exit(W_EXITCODE(a0, 0));
}

#define RUSAGE_SIZE	144	/* struct rusage: no accounting yet, all zero */

SYSCALL(wait4)
{
	static const uint8_t zero[RUSAGE_SIZE];
	int pid = proc_wait((int)a0, a1, (int)a2);

	if (pid > 0 && a3 && copy_to_user(a3, zero, sizeof(zero)) < 0)
		return -EFAULT;
	return pid;
}

SYSCALL(kill)
{
	return proc_kill((int)a0, (int)a1);
}

SYSCALL(getpid)
{
	return proc_current()->pid;
}

SYSCALL(getppid)
{
	struct proc *p = proc_current();

	return p->parent == p ? 0 : p->parent->pid;
}

SYSCALL(getuid)
{
	return proc_current()->cred.uid;
}

SYSCALL(geteuid)
{
	return proc_current()->cred.euid;
}

SYSCALL(getgid)
{
	return proc_current()->cred.gid;
}

SYSCALL(getegid)
{
	return proc_current()->cred.egid;
}

SYSCALL(sched_yield)
{
	sched_yield();
	return 0;
}

/* Sleeps until clock_ns() reaches deadline; on a kill, the time left goes to urem. */
static int64_t
sleep_until(uint64_t deadline, uint64_t urem)
{
	while (clock_ns() < deadline) {
		if (sched_sleep(&deadline, deadline) < 0) {
			uint64_t now = clock_ns(), left = deadline > now ? deadline - now : 0;
			struct timespec_abi rem = { (int64_t)(left / 1000000000),
						    (int64_t)(left % 1000000000) };
			if (urem && copy_to_user(urem, &rem, sizeof(rem)) < 0)
				return -EFAULT;
			return -EINTR;
		}
	}
	return 0;
}

static int
read_timespec(uint64_t ureq, uint64_t *ns)
{
	struct timespec_abi req;

	if (copy_from_user(&req, ureq, sizeof(req)) < 0)
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	*ns = (uint64_t)req.tv_sec * 1000000000 + (uint64_t)req.tv_nsec;
	return 0;
}

SYSCALL(nanosleep)
{
	uint64_t ns;
	int r = read_timespec(a0, &ns);

	return r < 0 ? r : sleep_until(clock_ns() + ns, a1);
}

/* The wall-clock time at clock_ns() == 0, from the RTC. */
static uint64_t
boot_unix_ns(void)
{
	static uint64_t at;

	if (!at) {
		struct rtc_time t;

		rtc_read(&t);
		at = rtc_to_unix(&t) * 1000000000 - clock_ns();
	}
	return at;
}

SYSCALL(clock_nanosleep)
{
	uint64_t ns;
	int clock = (int)a0, r = read_timespec(a2, &ns);

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (r < 0)
		return r;
	if (!(a1 & 1))		/* relative */
		return sleep_until(clock_ns() + ns, a3);
	uint64_t offset = clock == CLOCK_REALTIME ? boot_unix_ns() : 0;
	return sleep_until(ns > offset ? ns - offset : 0, 0);
}

SYSCALL(clock_gettime)
{
	uint64_t ns = clock_ns();

	switch ((int)a0) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns += boot_unix_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
		break;
	default:
		return -EINVAL;
	}
	struct timespec_abi ts = { (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
	return copy_to_user(a1, &ts, sizeof(ts));
}

SYSCALL(uname)
{
	struct utsname_abi u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "NexaOS", sizeof(u.sysname));
	strlcpy(u.nodename, "nexa", sizeof(u.nodename));
	strlcpy(u.release, NEXA_VERSION, sizeof(u.release));
	strlcpy(u.version, "#1 " __DATE__, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(a0, &u, sizeof(u));
}

SYSCALL(sysinfo)
{
	struct sysinfo_abi si;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(clock_ns() / 1000000000);
	si.totalram = pmm_managed_frames() * PAGE_SIZE;
	si.freeram = pmm_free_frames() * PAGE_SIZE;
	si.procs = (uint16_t)proc_count();
	si.mem_unit = 1;
	return copy_to_user(a0, &si, sizeof(si));
}

SYSCALL(arch_prctl)
{
	struct proc *p = proc_current();

	switch (a0) {
	case ARCH_SET_FS:
		if (!user_range_ok(a1, 0) && a1)
			return -EPERM;
		p->fs_base = a1;
		wrmsr(MSR_FS_BASE, a1);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(a1, &p->fs_base, 8);
	default:
		return -EINVAL;
	}
}

SYSCALL(set_tid_address)
{
	proc_current()->clear_tid = a0;
	return proc_current()->pid;
}

SYSCALL(rt_sigprocmask)
{
	struct proc *p = proc_current();
	uint64_t set;

	if (a3 != 8)
		return -EINVAL;
	if (a2 && copy_to_user(a2, &p->sigmask, 8) < 0)
		return -EFAULT;
	if (!a1)
		return 0;
	if (copy_from_user(&set, a1, 8) < 0)
		return -EFAULT;
	switch (a0) {
	case 0: p->sigmask |= set; break;	/* SIG_BLOCK */
	case 1: p->sigmask &= ~set; break;	/* SIG_UNBLOCK */
	case 2: p->sigmask = set; break;	/* SIG_SETMASK */
	default: return -EINVAL;
	}
	return 0;
}

SYSCALL(rt_sigaction)
{
	return -ENOSYS;		/* signal handlers come in lab 6 */
}
