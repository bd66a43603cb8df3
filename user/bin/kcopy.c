/*
 * The kernel writes into user memory as the program would: an untouched
 * page is faulted in, a page shared since fork is copied first, a
 * read-only page or a kernel address gives EFAULT.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;

static void
check(int ok, const char *what)
{
	printf("kcopy: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

static void *
map(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int
main(void)
{
	struct utsname *fresh = map(PROT_READ | PROT_WRITE);

	check(fresh && uname(fresh) == 0 && fresh->sysname[0],
	      "uname into an untouched page ->");

	long *shared = map(PROT_READ | PROT_WRITE);
	shared[0] = 0x1234;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* The kernel writes into the page this child shares with its parent. */
		int r = clock_gettime(CLOCK_MONOTONIC, (struct timespec *)shared);
		_exit(r == 0 && shared[0] != 0x1234 ? 0 : 1);
	}
	int st = -1;
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0 && shared[0] == 0x1234,
	      "clock_gettime into a page shared since fork -> child's copy only,");

	void *ro = map(PROT_READ);
	errno = 0;
	check(ro && uname(ro) < 0 && errno == EFAULT, "uname into a read-only page -> EFAULT");

	/* A kernel address that is mapped (the direct map of low memory on
	 * NexaOS): only the range check stops the copy, not a page fault. */
	errno = 0;
	long r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0xffff800000001000UL, NULL, 8);
	check(r < 0 && errno == EFAULT, "rt_sigprocmask from a kernel address -> EFAULT");

	errno = 0;
	r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 0x00007ffffffffff8UL);
	check(r < 0 && errno == EFAULT, "clock_gettime across the top of user space -> EFAULT");

	printf(failed ? "kcopy: FAIL\n" : "kcopy: ok\n");
	return failed;
}
