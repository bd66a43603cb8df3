/* pid 1: runs /bin/hello, then reaps every orphan until none is left. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const hello_argv[] = { "hello", NULL };
static char *const hello_envp[] = { "HOME=/", "PATH=/bin:/sbin", NULL };

static void
report(const char *path, int status)
{
	if (WIFEXITED(status))
		printf("init: %s exited with status %d\n", path,
		       WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: %s killed by signal %d\n", path,
		       WTERMSIG(status));
	else
		printf("init: %s: odd wait status %#x\n", path, status);
}

int
main(void)
{
	int status;
	pid_t pid;

	printf("init: NexaOS user space\n");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("init: FAIL fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execve("/bin/hello", hello_argv, hello_envp);
		printf("init: FAIL execve /bin/hello: %s\n", strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	if (wait4(pid, &status, 0, NULL) != pid) {
		printf("init: FAIL wait4: %s\n", strerror(errno));
		return 1;
	}
	report("/bin/hello", status);

	/* Orphans are re-parented to us; when the last is gone, so are we. */
	for (;;) {
		if (wait4(-1, &status, 0, NULL) >= 0 || errno == EINTR)
			continue;
		if (errno == ECHILD)
			break;
		printf("init: FAIL wait4(-1): %s\n", strerror(errno));
		return 1;
	}
	printf("init: ok\n");
	return 0;
}
