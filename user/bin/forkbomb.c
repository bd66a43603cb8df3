/* A full process table: fork fails with EAGAIN; killing all frees it all. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FORKS	100000
#define SLACK		(64LL << 10)	/* free RAM may end this much lower */

static pid_t pids[MAX_FORKS];

static long long
free_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return -1;
	return (long long)si.freeram * si.mem_unit;
}

static void
sleep_forever(void)
{
	struct timespec second = { 1, 0 };

	for (;;)
		nanosleep(&second, NULL);
}

/* Kills and reaps the first @n children; 0 if each died of SIGKILL. */
static int
kill_all(int n)
{
	int i, st, bad = 0;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (wait4(pids[i], &st, 0, NULL) != pids[i] ||
		    !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			bad = 1;
	if (bad)
		printf("forkbomb: FAIL a child was not reaped as killed by SIGKILL\n");
	return bad;
}

int
main(void)
{
	long long free0 = free_ram(), free1;
	int n, err, st, on_linux;
	struct utsname u;
	pid_t pid;

	on_linux = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
	fflush(stdout);
	for (n = 0; n < MAX_FORKS; n++) {
		pid = fork();
		if (pid == 0)
			sleep_forever();
		if (pid < 0)
			break;
		pids[n] = pid;
	}
	err = errno;
	if (kill_all(n))
		return 1;
	if (n == MAX_FORKS) {
		printf("forkbomb: FAIL fork never failed\n");
		return 1;
	}
	if (err != EAGAIN) {
		printf("forkbomb: FAIL fork failed with %s, not EAGAIN\n",
		       strerror(err));
		return 1;
	}
	printf("forkbomb: fork failed with EAGAIN\n");
	if (wait4(-1, &st, 0, NULL) != -1 || errno != ECHILD) {
		printf("forkbomb: FAIL children left after reaping them all\n");
		return 1;
	}

	free1 = free_ram();
	if (on_linux) {
		printf("forkbomb: SKIP memory check (sysinfo is noisy on Linux)\n");
	} else if (free0 < 0 || free1 < free0 - SLACK) {
		printf("forkbomb: FAIL free RAM %lld at the start, %lld at the end\n",
		       free0, free1);
		return 1;
	} else {
		printf("forkbomb: memory returned\n");
	}

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || wait4(pid, &st, 0, NULL) != pid || !WIFEXITED(st)) {
		printf("forkbomb: FAIL fork does not work again\n");
		return 1;
	}
	printf("forkbomb: fork works again\n");
	printf("forkbomb: ok\n");
	return 0;
}
