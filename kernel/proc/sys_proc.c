/* The system calls of processes, process groups, identity and signals. */
#include <kstring.h>
#include <abi.h>
#include <clock.h>
#include <cred.h>
#include <kerrno.h>
#include <exec.h>
#include <kmalloc.h>
#include <layout.h>
#include <param.h>
#include <pmm.h>
#include <proc.h>
#include "proc_internal.h"
#include <ksched.h>
#include <ksyscall.h>
#include <usercopy.h>
#include <arch/percpu.h>

SYSCALL(fork, 4)
{
	return proc_fork();
}
SYSCALL_ALIAS(vfork, fork, 4);	/* a vfork child may do all a fork child does */

/*
 * clone for a new process (glibc's fork and posix_spawn): the flags of
 * fork and vfork. CLONE_VM comes only with CLONE_VFORK, and the child
 * gets a copy of the memory, as a fork: a vfork child may do no more
 * than exec or exit, which a copy allows. Threads are not supported.
 */
SYSCALL(clone, 4)
{
	const uint64_t known = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS |
			       CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
	uint64_t flags = a0, newsp = a1, ptid = a2, ctid = a3, tls = a4;

	if ((flags & ~known) || (flags & CSIGNAL) != SIGCHLD)
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;		/* a thread */
	if ((flags & CLONE_SETTLS) && tls >= USER_TOP)
		return -EPERM;
	int pid = proc_fork();
	if (pid < 0)
		return pid;
	/* The child has not run yet: nothing here sleeps before it is set up. */
	struct proc *child = proc_find(pid);
	if (newsp)
		child->tf->rsp = newsp;
	if (flags & CLONE_SETTLS)
		child->fs_base = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_tid = ctid;
	if (flags & CLONE_CHILD_SETTID)
		child->set_child_tid = ctid;
	if (flags & CLONE_PARENT_SETTID) {
		uint32_t tid = (uint32_t)pid;

		copy_to_user(ptid, &tid, sizeof(tid));
	}
	return pid;
}

SYSCALL(execve, 4)
{
	struct exec_args args = { .argv = { .user = a1 }, .envp = { .user = a2 } };
	char *path = kmalloc(PATH_MAX);
	int64_t r = -ENOMEM;

	if (!path)
		return r;
	long len = copy_string_from_user(path, a0, PATH_MAX);
	if (len <= 0)
		r = len == 0 ? -ENOENT : len;	/* "" names no file */
	else
		r = exec_into(proc_current(), path, &args);
	kfree(path);
	return r;
}

SYSCALL(exit, 4)
{
	proc_exit(W_EXITCODE(a0, 0));
}
SYSCALL_ALIAS(exit_group, exit, 4);	/* one thread per process: the same thing */

SYSCALL(wait4, 4)
{
	return proc_wait((int)a0, a1, (int)a2, a3);
}

SYSCALL(kill, 4)
{
	return proc_kill((int)a0, (int)a1);
}

/* tkill and tgkill: one thread per process, so a thread id is a pid. */
SYSCALL(tkill, 4)
{
	if ((int)a0 <= 0)
		return -EINVAL;
	return proc_kill_code((int)a0, (int)a1, SI_TKILL);
}

SYSCALL(tgkill, 4)
{
	if ((int)a0 <= 0 || (int)a1 <= 0)
		return -EINVAL;
	if (a0 != a1)
		return -ESRCH;
	return proc_kill_code((int)a1, (int)a2, SI_TKILL);
}

SYSCALL(getpid, 4)
{
	return proc_current()->pid;
}
SYSCALL_ALIAS(gettid, getpid, 4);	/* one thread per process: its id is the pid */

SYSCALL(getppid, 4)
{
	struct proc *p = proc_current();

	return p->parent == p ? 0 : p->parent->pid;
}

/* The process pid names for the group calls: 0 is the caller. */
static struct proc *
target(int pid)
{
	return pid == 0 ? proc_current() : proc_find(pid);
}

SYSCALL(getpgid, 4)
{
	struct proc *p = target((int)a0);

	return p ? p->pgid : -ESRCH;
}

SYSCALL(getpgrp, 4)
{
	return proc_current()->pgid;
}

SYSCALL(getsid, 4)
{
	struct proc *p = target((int)a0);

	return p ? p->sid : -ESRCH;
}

bool
proc_group_in_session(int pgid, int sid)
{
	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		if (p->pgid == pgid && p->sid == sid)
			return true;
	return false;
}

/* q's parent once gone has exited: init takes gone's children. */
static struct proc *
parent_after(const struct proc *q, const struct proc *gone)
{
	return gone && q->parent == gone ? proc_find(1) : q->parent;
}

/*
 * Whether group pgrp is orphaned once gone has exited (gone NULL: now;
 * POSIX): no live
 * member other than gone has a parent in another group of the same
 * session, init aside. Without such a parent nobody is left to send a
 * stopped member SIGCONT.
 */
bool
proc_group_orphaned(int pgrp, const struct proc *gone)
{
	for (struct proc *q = proc_next_all(NULL); q; q = proc_next_all(q)) {
		struct proc *pp = parent_after(q, gone);

		if (q == gone || q->pgid != pgrp || q->state == P_ZOMBIE || !pp || pp->pid == 1)
			continue;
		if (pp->pgid != pgrp && pp->sid == q->sid)
			return false;
	}
	return true;
}

/* setpgid with Linux's rules: the caller or a child not yet exec'd, same session. */
SYSCALL(setpgid, 4)
{
	struct proc *self = proc_current(), *p = target((int)a0);
	int pgid = (int)a1;

	if (pgid < 0)
		return -EINVAL;
	if (!p || (p != self && p->parent != self))
		return -ESRCH;
	if (pgid == 0)
		pgid = p->pid;
	if (p != self && (p->sid != self->sid))
		return -EPERM;
	if (p != self && p->did_exec)
		return -EACCES;
	if (p->sid == p->pid)
		return -EPERM;		/* a session leader stays in its group */
	if (pgid != p->pid && !proc_group_in_session(pgid, self->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

SYSCALL(setsid, 4)
{
	struct proc *self = proc_current();

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		if (p->pgid == self->pid)
			return -EPERM;	/* it leads a group already */
	self->sid = self->pgid = self->pid;
	return self->sid;
}

SYSCALL(getuid, 4)
{
	return proc_current()->cred.uid;
}

SYSCALL(geteuid, 4)
{
	return proc_current()->cred.euid;
}

SYSCALL(getgid, 4)
{
	return proc_current()->cred.gid;
}

SYSCALL(getegid, 4)
{
	return proc_current()->cred.egid;
}

/* Supplementary groups come with lab 7's users; until then there are none. */
SYSCALL(getgroups, 4)
{
	return (int)a0 < 0 ? -EINVAL : 0;
}

SYSCALL(sched_yield, 4)
{
	sched_yield();
	return 0;
}

SYSCALL(sysinfo, 4)
{
	struct sysinfo_abi si;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(clock_ns() / NSEC_PER_SEC);
	si.totalram = pmm_managed_frames() * PAGE_SIZE;
	si.freeram = pmm_free_frames() * PAGE_SIZE;
	si.procs = (uint16_t)proc_count();
	for (int i = 0; i < 3; i++)
		si.loads[i] = cpu_stats.avenrun[i] << (16 - 11);	/* SI_LOAD_SHIFT */
	si.mem_unit = 1;
	return copy_to_user(a0, &si, sizeof(si));
}

SYSCALL(arch_prctl, 4)
{
	struct proc *p = proc_current();

	switch (a0) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a1 >= USER_TOP)
			return -EPERM;
		if (a0 == ARCH_SET_FS)
			p->fs_base = a1;
		else
			p->gs_base = a1;
		cpu_switch_user_state(p->kstack_top, p->fs_base, p->gs_base);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(a1, &p->fs_base, 8);
	case ARCH_GET_GS:
		return copy_to_user(a1, &p->gs_base, 8);
	case ARCH_GET_CPUID:
		return 1;		/* cpuid is allowed */
	default:
		return -EINVAL;
	}
}

SYSCALL(set_tid_address, 4)
{
	proc_current()->clear_tid = a0;
	return proc_current()->pid;
}

SYSCALL(rt_sigprocmask, 4)
{
	struct proc *p = proc_current();
	uint64_t set, old = p->sigmask;

	if (a3 != sizeof(uint64_t))
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, a1, sizeof(set)) < 0)
			return -EFAULT;
		switch (a0) {
		case SIG_BLOCK:
			set |= p->sigmask;
			break;
		case SIG_UNBLOCK:
			set = p->sigmask & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
	}
	if (a1)
		signal_set_mask(p, set);
	if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * rt_sigaction: SIG_DFL and SIG_IGN. Handlers come with lab 6; until
 * then installing one is ENOSYS (and leaves the old action in place).
 */
SYSCALL(rt_sigaction, 4)
{
	struct proc *p = proc_current();
	int sig = (int)a0;
	struct k_sigaction_abi act, old = { 0 };

	if (a3 != sizeof(uint64_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a1 && copy_from_user(&act, a1, sizeof(act)) < 0)
		return -EFAULT;
	old.handler = p->sigignore & SIGBIT(sig) ? SIG_IGN_ABI : SIG_DFL_ABI;
	if (a1) {
		if (act.handler != SIG_DFL_ABI && act.handler != SIG_IGN_ABI)
			return -ENOSYS;
		int r = signal_set_ignored(p, sig, act.handler == SIG_IGN_ABI);
		if (r < 0)
			return r;
	}
	if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

#define PR_SET_NAME	15
#define PR_GET_NAME	16

/*
 * prctl: the process's name (what /proc/PID/comm and ps show; busybox
 * names its applets so), and whatever a later lab registers (lab 7's
 * credentials: security_prctl).
 */
SYSCALL(prctl, 4)
{
	struct proc *p = proc_current();
	char name[sizeof(p->name)];

	switch ((int)a0) {
	case PR_SET_NAME:	/* up to 15 bytes, cut there, as Linux */
		for (size_t i = 0; i < sizeof(name); i++) {
			if (i == sizeof(name) - 1)
				name[i] = '\0';
			else if (copy_from_user(&name[i], a1 + i, 1) < 0)
				return -EFAULT;
			if (!name[i])
				break;
		}
		strlcpy(p->name, name, sizeof(p->name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(a1, p->name, strnlen(p->name, sizeof(p->name) - 1) + 1) < 0 ?
		       -EFAULT : 0;
	default:
		return security_prctl((int)a0, a1, a2, a3, a4);
	}
}
