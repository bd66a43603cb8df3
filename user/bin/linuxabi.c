/*
 * Corners of the system-call ABI where a kernel is easily "almost
 * Linux": kill's special pids and signal range, wait4's rules, mprotect
 * and mmap edge cases, writev's all-or-nothing iovec check, arch_prctl,
 * the less common clocks, execve with argv NULL and Linux's argument
 * limits. The grader compares every line with the same binary on Linux;
 * /bin/args is found beside this program, wherever it runs.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096
#define ARCH_SET_GS	0x1001
#define ARCH_GET_GS	0x1004

static int failed;
static char args_path[4096];	/* /bin/args beside this program, also on Linux */

/* One result line: "linuxabi: what -> 0" or "-> ENAME". */
static void
show(const char *what, long r)
{
	printf("linuxabi: %s -> %s\n", what, r >= 0 ? "ok" : strerror(errno));
}

static void
check(int ok, const char *what)
{
	printf("linuxabi: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

/* A child that sleeps until killed, in its own process group if group. */
static pid_t
sleeper(int group)
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0) {
		if (group)
			setpgid(0, 0);
		for (;;)
			pause();
	}
	if (group)
		setpgid(pid, pid);	/* either order wins the race */
	return pid;
}

static pid_t
quitter(int code)
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

static void
kill_tests(void)
{
	pid_t a = sleeper(0), g = sleeper(1);
	int st;

	show("kill(-1, 0) with others around", kill(-1, 0));
	show("kill(0, 0)", kill(0, 0));
	show("kill(pid, 65)", kill(a, 65));
	show("kill(INT_MIN, 0)", kill(INT_MIN, 0));
	show("kill(-pgid, 0) of a group", kill(-g, 0));
	show("kill(-pgid, SIGKILL) of a group", kill(-g, SIGKILL));
	waitpid(g, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the group's sleeper died of SIGKILL");
	show("kill(-pgid, 0) of an empty group", kill(-g, 0));
	show("kill(pid, 64)", kill(a, 64));
	waitpid(a, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == 64, "signal 64 is delivered (it kills)");
}

static void
wait_tests(void)
{
	pid_t a = quitter(3), s = sleeper(0);
	int st = 0;

	usleep(100 * 1000);
	show("wait4(pid, (int *)8, 0, NULL)", wait4(a, (int *)8, 0, NULL));
	show("wait4 of it again: it was reaped", wait4(a, &st, WNOHANG, NULL));
	show("wait4(-5, ...) with no group 5", wait4(-5, &st, WNOHANG, NULL));
	show("wait4(INT_MIN, ...)", wait4(INT_MIN, &st, WNOHANG, NULL));
	show("wait4 WNOHANG|WCONTINUED", wait4(-1, &st, WNOHANG | WCONTINUED, NULL));
	show("wait4 WNOHANG|__WALL", wait4(-1, &st, WNOHANG | 0x40000000, NULL));
	show("wait4 WEXITED (waitid only)", wait4(-1, &st, WNOHANG | WEXITED, NULL));
	show("wait4(0, ...): my group", wait4(0, &st, WNOHANG, NULL));
	kill(s, SIGKILL);
	struct rusage ru;
	show("wait4 with a bad rusage pointer", wait4(s, &st, 0, (struct rusage *)8));
	show("wait4 after that: reaped", wait4(s, &st, WNOHANG, &ru));
}

/* Whether a child writing to p dies of SIGSEGV. */
static int
write_kills(volatile char *p)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		*p = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static void
memory_tests(void)
{
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	munmap(p + 4 * PAGE, 4 * PAGE);		/* a hole that is surely ours */

	/* The raw calls: musl's mprotect wrapper rounds the range itself. */
	show("mprotect(p, SIZE_MAX)", syscall(SYS_mprotect, p, SIZE_MAX, PROT_READ));
	show("mprotect(p, -p)", syscall(SYS_mprotect, p, -(uintptr_t)p, PROT_READ));
	show("mprotect(p, 0)", syscall(SYS_mprotect, p, 0, PROT_READ));
	show("mprotect(p + 1, 1)", syscall(SYS_mprotect, p + 1, 1, PROT_READ));
	show("mprotect(p, len, 0x10) bad prot", syscall(SYS_mprotect, p, PAGE, 0x10));
	show("mprotect over a hole", syscall(SYS_mprotect, p, 6 * PAGE, PROT_READ));
	check(write_kills(p), "it changed the region before the hole");
	mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE);
	show("munmap(p, 0)", syscall(SYS_munmap, p, 0));
	show("munmap(p, SIZE_MAX)", syscall(SYS_munmap, p, SIZE_MAX));
	show("munmap(p + 1, PAGE)", syscall(SYS_munmap, p + 1, PAGE));
	show("mmap MAP_FIXED at 1 MiB + 1", (long)mmap((void *)0x100001, PAGE, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) < 0 ? -1 : 0);
	show("mmap of 0 bytes", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
					   0) < 0 ? -1 : 0);
	void *top = (void *)0x7ffffffff000UL;
	char *q = mmap(top, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(q != MAP_FAILED && q != top, "mmap with a hint at the top -> another address");
	show("mmap of a closed fd", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 42, 0) < 0 ?
	     -1 : 0);
	show("mmap with an unaligned offset",
	     (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) < 0 ? -1 : 0);
	show("mmap with no type", (long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) < 0 ?
	     -1 : 0);
	show("madvise(p + 1, ...)", madvise(p + 1, PAGE, MADV_DONTNEED));
	show("madvise(p, ..., 99)", madvise(p, PAGE, 99));
	show("madvise over a hole", madvise(p, 6 * PAGE, MADV_NORMAL));
	p[PAGE] = 1;
	show("madvise(p, PAGE, MADV_DONTNEED)", madvise(p + PAGE, PAGE, MADV_DONTNEED));
	check(p[PAGE] == 0, "the page reads zero after MADV_DONTNEED");
	munmap(p, 4 * PAGE);
}

static void
io_tests(void)
{
	char ok[] = "";
	struct iovec iov[2] = { { ok, 0 }, { (void *)8, 10 } };

	show("writev with a bad second iovec", writev(1, iov, 2));
	iov[1] = (struct iovec){ ok, (size_t)-1 };
	show("writev with a negative length", writev(1, iov, 2));
	show("writev with 1025 iovecs", writev(1, iov, 1025));
}

static void
arch_tests(void)
{
	unsigned long gs = 0;

	show("arch_prctl(ARCH_SET_GS)", syscall(SYS_arch_prctl, ARCH_SET_GS, 0x12345000UL));
	syscall(SYS_arch_prctl, ARCH_GET_GS, &gs);
	check(gs == 0x12345000UL, "arch_prctl(ARCH_GET_GS) gives it back");
	show("arch_prctl(ARCH_SET_GS) to the kernel",
	     syscall(SYS_arch_prctl, ARCH_SET_GS, 0xffffffff80000000UL));
	show("arch_prctl(0x9999)", syscall(SYS_arch_prctl, 0x9999, 0));
}

static void
clock_tests(void)
{
	struct timespec ts;
	struct timeval tv;
	struct tms tms;
	struct rusage ru;

	show("clock_gettime(CLOCK_THREAD_CPUTIME_ID)", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts));
	show("clock_gettime(CLOCK_TAI)", clock_gettime(11, &ts));
	show("clock_gettime(-6: my own CPU clock)", clock_gettime(-6, &ts));
	show("clock_gettime(-2: my own thread's)", clock_gettime(-2, &ts));
	show("clock_gettime(-7: my own virtual CPU clock)", clock_gettime(-7, &ts));
	show("clock_gettime(-5: no such kind)", clock_gettime(-5, &ts));
	show("clock_gettime(-14: pid 1's CPU clock)", clock_gettime(-14, &ts));
	show("clock_gettime(12)", clock_gettime(12, &ts));
	show("clock_getres(CLOCK_MONOTONIC)", clock_getres(CLOCK_MONOTONIC, &ts));
	check(ts.tv_sec == 0 && ts.tv_nsec == 1, "its resolution is 1 ns");
	show("clock_getres(CLOCK_REALTIME, NULL)", clock_getres(CLOCK_REALTIME, NULL));
	show("clock_getres(99)", clock_getres(99, &ts));
	show("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
	check(tv.tv_sec > 1700000000, "gettimeofday is after 2023");
	show("time", syscall(SYS_time, NULL));
	show("times", syscall(SYS_times, &tms) == -1 ? -1 : 0);
	show("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &ru));
	show("getrusage(RUSAGE_CHILDREN)", getrusage(RUSAGE_CHILDREN, &ru));
	show("getrusage(5)", getrusage(5, &ru));
}

/* execve /bin/args with argv and env in a child; its exit status. */
static int
exec_args(char **argv, char **env, int quiet)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (quiet)
			close(1);
		execve(args_path, argv, env);
		_exit(errno == E2BIG ? 7 : 8);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

static void
exec_tests(void)
{
	static char big[3][100 * 1024];
	char *env[] = { NULL };

	exec_args(NULL, env, 0);	/* args prints argc 1 and argv[0] = "" */
	for (int i = 0; i < 3; i++) {
		memset(big[i], 'x', sizeof(big[i]) - 1);
		big[i][sizeof(big[i]) - 1] = 0;
	}
	char *three[] = { "args", big[0], big[1], big[2], NULL };
	check(exec_args(three, env, 1) != 7, "execve with 300 KiB of arguments");
	static char huge[129 * 1024];
	memset(huge, 'y', sizeof(huge) - 1);
	char *one[] = { "args", huge, NULL };
	check(exec_args(one, env, 1) == 7, "execve with a 129 KiB argument -> E2BIG");
	static char *many[5002];
	many[0] = "args";
	for (int i = 1; i < 5001; i++)
		many[i] = "m";
	check(exec_args(many, env, 1) != 7, "execve with 5000 arguments");
}

int
main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');

	(void)argc;
	snprintf(args_path, sizeof(args_path), "%.*s/args",
		 slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
	kill_tests();
	wait_tests();
	memory_tests();
	io_tests();
	arch_tests();
	clock_tests();
	exec_tests();
	if (failed) {
		printf("linuxabi: FAIL\n");
		return 1;
	}
	printf("linuxabi: ok\n");
	return 0;
}
