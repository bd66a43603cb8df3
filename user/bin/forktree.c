/* A process tree (3 levels, fanout 2): getppid, wait4 by pid, exit codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEVELS		3	/* the root is level 0 */
#define FANOUT		2
#define BAD_PPID	1	/* exit codes that are no position */
#define BAD_SUBTREE	2

/* Waits for child @pid of node (level, index); a line if all is well. */
static int
reap(int level, int index, int cidx, pid_t pid)
{
	int want = 10 * (level + 1) + cidx, status;
	char parent[16], child[16];

	if (level == 0)
		snprintf(parent, sizeof(parent), "0");
	else
		snprintf(parent, sizeof(parent), "%d.%d", level, index);
	snprintf(child, sizeof(child), "%d.%d", level + 1, cidx);
	if (wait4(pid, &status, 0, NULL) != pid) {
		printf("forktree: FAIL wait4 for %s: %s\n", child,
		       strerror(errno));
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == want) {
		printf("forktree: child %s of %s exited %d, ppid ok\n", child,
		       parent, want);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("forktree: FAIL child %s killed by signal %d\n", child,
		       WTERMSIG(status));
	else if (WEXITSTATUS(status) == BAD_PPID)
		printf("forktree: FAIL child %s: getppid() is not %s\n", child,
		       parent);
	else if (WEXITSTATUS(status) != BAD_SUBTREE)
		printf("forktree: FAIL child %s exited %d, not %d\n", child,
		       WEXITSTATUS(status), want);
	return 1;
}

/*
 * Grows the tree below node (level, index), the calling process. Leaves run
 * side by side; inner children run one at a time, so that the lines they
 * print about their own children come out in a fixed order.
 */
static int
grow(int level, int index)
{
	int leaves = level + 1 == LEVELS - 1, bad = 0, k, n = 0;
	pid_t self = getpid(), pids[FANOUT];

	for (k = 0; k < FANOUT; k++) {
		int cidx = index * FANOUT + k;

		fflush(stdout);
		pids[k] = fork();
		if (pids[k] < 0) {
			printf("forktree: FAIL fork: %s\n", strerror(errno));
			bad = 1;
			break;
		}
		if (pids[k] == 0) {
			if (getppid() != self)
				_exit(BAD_PPID);
			if (!leaves && grow(level + 1, cidx))
				exit(BAD_SUBTREE);
			exit(10 * (level + 1) + cidx);
		}
		n++;
		if (!leaves)
			bad |= reap(level, index, cidx, pids[k]);
	}
	for (k = 0; leaves && k < n; k++)
		bad |= reap(level, index, index * FANOUT + k, pids[k]);
	return bad;
}

int
main(void)
{
	if (grow(0, 0))
		return 1;
	printf("forktree: ok\n");
	return 0;
}
