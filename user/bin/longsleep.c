/*
 * Sleeps too long to count in nanoseconds: tv_sec * 10^9 does not fit
 * in 64 bits, and now + that wraps around. Each must sleep "forever"
 * (until killed), not return at once or after a wrapped-around time.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;

/* A child sleeps for req; true if it still sleeps 300 ms later. */
static int
sleeps_on(struct timespec req, int absolute)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (absolute)
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL);
		else
			nanosleep(&req, NULL);
		_exit(0);
	}
	struct timespec wait = { 0, 300 * 1000 * 1000 };
	nanosleep(&wait, NULL);
	int still = waitpid(pid, &st, WNOHANG) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return still;
}

static void
check(int ok, const char *what)
{
	printf("longsleep: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

int
main(void)
{
	check(sleeps_on((struct timespec){ 18446744074, 0 }, 0),
	      "nanosleep of 18446744074 s sleeps on");
	check(sleeps_on((struct timespec){ INT64_MAX, 999999999 }, 0),
	      "nanosleep of INT64_MAX s sleeps on");
	check(sleeps_on((struct timespec){ INT64_MAX / 2, 0 }, 1),
	      "clock_nanosleep until INT64_MAX / 2 sleeps on");
	errno = 0;
	check(nanosleep(&(struct timespec){ -1, 0 }, NULL) == -1 && errno == EINVAL,
	      "a negative time -> EINVAL");
	if (failed) {
		printf("longsleep: FAIL\n");
		return 1;
	}
	printf("longsleep: ok\n");
	return 0;
}
