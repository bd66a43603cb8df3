/*
 * pid 1. With a shell in the initramfs (lab 5's busybox): mounts /proc and
 * /dev, runs /etc/rc, then keeps an interactive shell on the console,
 * starting a new one whenever the last one exits, and reaps every
 * orphan meanwhile. Without one (lab 4's initramfs): runs /bin/hello,
 * reaps orphans until none is left, and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL		"/bin/sh"
#define RC		"/etc/rc"
#define QUICK_EXITS	5	/* shells that die within a second, in a row: then pause */

static char *const envp[] = {
	"HOME=/root", "PATH=/bin:/sbin", "TERM=linux", "SHELL=/bin/sh", "USER=root",
	"LOGNAME=root", NULL,
};

static void
report(const char *path, int status)
{
	if (WIFEXITED(status))
		printf("init: %s exited with status %d\n", path, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: %s killed by signal %d\n", path, WTERMSIG(status));
	else
		printf("init: %s: odd wait status %#x\n", path, status);
	fflush(stdout);
}

/* Starts path with argv; ctty: in a new session with the console as its terminal. */
static pid_t
spawn(const char *path, char *const argv[], int ctty)
{
	pid_t pid = fork();

	if (pid < 0) {
		printf("init: fork: %s\n", strerror(errno));
		fflush(stdout);
		return -1;
	}
	if (pid == 0) {
		if (ctty) {
			setsid();
			ioctl(0, TIOCSCTTY, 0);
			if (chdir("/root") < 0)
				chdir("/");
		}
		execve(path, argv, envp);
		printf("init: cannot run %s: %s\n", path, strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	return pid;
}

/* Reaps children until pid has ended (any child if pid is -1): its status, or -1. */
static int
reap_until(pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = wait4(-1, &status, 0, NULL);

		if (r == pid || (pid == -1 && r > 0))
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static void
mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) < 0 && errno != EBUSY)
		printf("init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
run_shells(void)
{
	static char *const rc_argv[] = { "sh", RC, NULL };
	static char *const sh_argv[] = { "-sh", NULL };	/* "-": a login shell (/etc/profile) */
	int quick = 0;

	mount_fs("proc", "/proc");
	mount_fs("devtmpfs", "/dev");
	fflush(stdout);
	if (access(RC, R_OK) == 0) {
		pid_t pid = spawn(SHELL, rc_argv, 0);
		int status = pid > 0 ? reap_until(pid) : 0;

		if (status > 0)
			report(RC, status);
	}
	for (;;) {
		double started = now();
		pid_t pid = spawn(SHELL, sh_argv, 1);

		if (pid > 0)
			reap_until(pid);
		quick = now() - started < 1 ? quick + 1 : 0;
		if (quick >= QUICK_EXITS) {
			printf("init: %s keeps exiting; waiting 5 seconds\n", SHELL);
			fflush(stdout);
			sleep(5);
			quick = 0;
		}
	}
}

static int
run_hello(void)
{
	static char *const hello_argv[] = { "hello", NULL };
	pid_t pid = spawn("/bin/hello", hello_argv, 0);
	int status;

	if (pid < 0)
		return 1;
	if ((status = reap_until(pid)) < 0) {
		printf("init: FAIL wait4: %s\n", strerror(errno));
		return 1;
	}
	report("/bin/hello", status);
	/* Orphans are re-parented to us; when the last is gone, so are we. */
	while (reap_until(-1) >= 0)
		;
	if (errno != ECHILD) {
		printf("init: FAIL wait4(-1): %s\n", strerror(errno));
		return 1;
	}
	printf("init: ok\n");
	return 0;
}

int
main(void)
{
	printf("init: NexaOS user space\n");
	fflush(stdout);
	if (access(SHELL, X_OK) == 0)
		run_shells();
	return run_hello();
}
