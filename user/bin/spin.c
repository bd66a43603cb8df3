/* Preemption: B finishes 300 ms of work while A spins without a syscall. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define B_WORK_NS	300000000LL

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Only a timer interrupt can take the CPU away from A. */
static void
spin_a(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}

/* B spins too, but looks at the clock now and then and stops after 300 ms. */
static void
spin_b(void)
{
	long long end = now_ns() + B_WORK_NS;
	volatile unsigned long n;

	for (;;) {
		for (n = 0; n < 100000; n++)
			;
		if (now_ns() >= end)
			_exit(0);
	}
}

static pid_t
start(void (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		fn();
	if (pid < 0)
		printf("spin: FAIL fork: %s\n", strerror(errno));
	return pid;
}

int
main(void)
{
	pid_t a, b;
	int st;

	a = start(spin_a);
	if (a < 0)
		return 1;
	b = start(spin_b);
	if (b < 0 || wait4(b, &st, 0, NULL) != b || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		printf("spin: FAIL B did not finish\n");
		kill(a, SIGKILL);
		return 1;
	}
	if (wait4(a, &st, WNOHANG, NULL) != 0) {
		printf("spin: FAIL A is not running any more\n");
		return 1;
	}
	printf("spin: B finished while A spun\n");
	if (kill(a, SIGKILL) < 0 || wait4(a, &st, 0, NULL) != a ||
	    !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		printf("spin: FAIL A was not killed by SIGKILL\n");
		return 1;
	}
	printf("spin: A killed\n");
	printf("spin: ok\n");
	return 0;
}
