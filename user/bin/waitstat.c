/* wait4 status words: exit codes, deaths by signal, WNOHANG and ECHILD. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;

static void
check(int ok, const char *what)
{
	if (ok) {
		printf("waitstat: %s ok\n", what);
	} else {
		printf("waitstat: FAIL %s\n", what);
		failed = 1;
	}
}

/* A child that exits with @code, or, if @code < 0, sleeps until killed. */
static pid_t
child(int code)
{
	struct timespec second = { 1, 0 };
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (code >= 0)
			_exit(code);
		for (;;)
			nanosleep(&second, NULL);
	}
	if (pid < 0) {
		printf("waitstat: FAIL fork: %s\n", strerror(errno));
		failed = 1;
	}
	return pid;
}

/* Reaps @pid; the status word, or -1 if wait4 failed. */
static int
reap(pid_t pid)
{
	int status;

	if (pid < 0 || wait4(pid, &status, 0, NULL) != pid)
		return -1;
	return status;
}

static void
killed_by(int sig, const char *what)
{
	pid_t pid = child(-1);
	int st;

	if (pid > 0)
		kill(pid, sig);
	st = reap(pid);
	check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig, what);
}

int
main(void)
{
	pid_t pid;
	int st;

	st = reap(child(42));
	check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "exit 42 -> WIFEXITED, status 42");
	st = reap(child(0x100 + 7));
	check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "exit 0x107 -> status 7 (low 8 bits)");

	pid = child(-1);
	check(pid > 0 && wait4(pid, &st, WNOHANG, NULL) == 0,
	      "WNOHANG on a sleeping child -> 0");
	if (pid > 0)
		kill(pid, SIGKILL);
	st = reap(pid);
	check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "SIGKILL -> WIFSIGNALED, WTERMSIG 9");
	killed_by(SIGTERM, "SIGTERM -> WIFSIGNALED, WTERMSIG 15");

	check(wait4(-1, &st, 0, NULL) == -1 && errno == ECHILD,
	      "wait4(-1) with no children -> ECHILD");
	check(waitpid(getpid(), &st, 0) == -1 && errno == ECHILD,
	      "waitpid(own pid) -> ECHILD");
	check(waitpid(999999, &st, WNOHANG) == -1 && errno == ECHILD,
	      "waitpid(999999) -> ECHILD");
	if (failed)
		return 1;
	printf("waitstat: ok\n");
	return 0;
}
