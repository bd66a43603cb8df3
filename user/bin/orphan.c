/* Orphans: when A exits, its child B goes to pid 1, which reaps it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* B: waits (2 s at most) until A is gone and someone else is its parent. */
static void
run_b(pid_t a, pid_t top, int reaper)
{
	struct timespec tick = { 0, 10000000 };
	pid_t ppid;
	int i;

	for (i = 0; i < 200 && getppid() == a; i++)
		nanosleep(&tick, NULL);
	ppid = getppid();
	if (ppid == a) {
		printf("orphan: FAIL still the dead parent's child after 2 s\n");
		exit(1);
	}
	if (ppid == 1)
		printf("orphan: re-parented to pid 1\n");
	else if (ppid == top)
		printf("orphan: re-parented to the subreaper\n");
	else
		printf("orphan: re-parented, but not to pid 1\n");
	/* Nobody can wait for us and print after us: the last word is ours. */
	if (!reaper)
		printf("orphan: ok\n");
	exit(0);
}

/* A: forks B and exits at once, leaving B an orphan. */
static void
run_a(pid_t top, int reaper)
{
	pid_t a = getpid(), b;

	b = fork();
	if (b == 0)
		run_b(a, top, reaper);
	_exit(b < 0 ? 1 : 0);
}

int
main(void)
{
	pid_t top = getpid(), a;
	int reaper, st;

	/* As pid 1 we reap B ourselves; elsewhere Linux can make us reaper. */
	reaper = top == 1 || prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	fflush(stdout);
	a = fork();
	if (a == 0)
		run_a(top, reaper);
	if (a < 0 || wait4(a, &st, 0, NULL) != a || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		printf("orphan: FAIL A did not fork B and exit\n");
		return 1;
	}
	if (!reaper)
		return 0;
	if (wait4(-1, &st, 0, NULL) < 0) {
		printf("orphan: FAIL reaping B: %s\n", strerror(errno));
		return 1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	printf(top == 1 ? "orphan: reaped by init\n"
			: "orphan: reaped by the subreaper\n");
	printf("orphan: ok\n");
	return 0;
}
