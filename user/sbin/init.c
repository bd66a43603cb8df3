/*
 * pid 1. With a shell in the initramfs (lab 5's busybox): mounts /proc and
 * /dev, starts lab 7's services if they are there (authd and logd, with
 * their channels: see supervise), runs /etc/rc, then keeps /bin/login (lab
 * 7), or with `init=/sbin/init shell` or without login an interactive root
 * shell, on the console, starting a new one whenever the last one exits,
 * and reaps every orphan meanwhile. Where lab 7's files are installed but
 * lab 6's channels or lab 7's credentials do not work yet (a tree built
 * with an earlier lab's answers only), it says so on one line and starts
 * neither the services nor login: a root shell, as labs 5 and 6 promise
 * (see auth_unusable). busybox's halt, poweroff and reboot ask it by
 * signal to end every process and the machine (see shut_down). Without one (lab 4's initramfs): runs /bin/hello,
 * reaps orphans until none is left, and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Lab 6's channel calls (user/lib/nexa.h, which lab 4's and 5's trees lack). */
#define SYS_CHAN_CREATE		500
#define SYS_CHAN_SEND		501
#define SYS_CHAN_RECV		502
#define SYS_CHAN_DESTROY	504
#define CHAN_NONBLOCK		1

#define SHELL		"/bin/sh"
#define RC		"/etc/rc"
#define LOGIN		"/bin/login"
#define QUICK_EXITS	5	/* shells that die within a second, in a row: then pause */
#define SERVICE_QUICK	3	/* a service's deaths within a second, in a row: then back off */
#define SERVICE_PAUSE	8	/* seconds, the longest back-off */
#define TERM_WAIT	2	/* seconds between SIGTERM and SIGKILL at shutdown */

/* Lab 7's services: init makes their channels, which outlive them. */
struct service {
	const char *name;	/* /run/NAME.chan for each channel */
	const char *path;
	const char *chans[2];
	unsigned modes[2];
	pid_t pid;
	double started;
	int quick;		/* deaths within a second of the start, in a row */
};

static struct service services[] = {
	{ "logd", "/sbin/logd", { "log", NULL }, { 0622, 0 }, 0, 0, 0 },
	{ "authd", "/sbin/authd", { "auth", "authadm" }, { 0622, 0600 }, 0, 0, 0 },
};
#define NSERVICES	(sizeof(services) / sizeof(services[0]))

static double now(void);

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

/* Makes one channel and publishes its id in /run/NAME.chan: 0 or -1. */
static int
make_chan(const char *name, unsigned mode)
{
	char path[64];
	FILE *fp;
	int id = (int)syscall(SYS_CHAN_CREATE, mode);

	if (id < 0) {
		printf("init: channel %s: %s\n", name, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/run/%s.chan", name);
	if (!(fp = fopen(path, "w"))) {
		printf("init: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "%d\n", id);
	fclose(fp);
	chmod(path, 0644);
	return 0;
}

/* Lab 6's channels work: a 0-byte message comes back off a scratch channel. 0 or an errno. */
static int
chan_probe(void)
{
	char byte;
	int err = 0;
	long id = syscall(SYS_CHAN_CREATE, 0600), r;

	if (id < 0)
		return errno;
	if (syscall(SYS_CHAN_SEND, id, &byte, 0) < 0)
		err = errno;
	else if ((r = syscall(SYS_CHAN_RECV, id, &byte, 0, CHAN_NONBLOCK, NULL)) != 0)
		err = r < 0 ? errno : EIO;
	syscall(SYS_CHAN_DESTROY, id);
	return err;
}

/* Lab 7's credentials work: a child of root's takes effective uid 1000. 0 or an errno. */
static int
cred_probe(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		if (syscall(SYS_setresuid, -1, 1000, -1) < 0)
			_exit(errno & 0xff);
		_exit(geteuid() == 1000 ? 0 : EIO);
	}
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

/*
 * Why lab 7's login cannot work in this tree (one line printed), or NULL:
 * it works, or nothing of lab 7 is installed.
 */
static const char *
auth_unusable(void)
{
	static char why[128];
	int installed = access(LOGIN, X_OK) == 0, err;

	for (size_t i = 0; i < NSERVICES; i++)
		installed |= access(services[i].path, X_OK) == 0;
	if (!installed)
		return NULL;
	if ((err = chan_probe()))
		snprintf(why, sizeof(why), "channels (lab 6): %s", strerror(err));
	else if ((err = cred_probe()))
		snprintf(why, sizeof(why), "setresuid (lab 7): %s", strerror(err));
	else
		return NULL;
	printf("init: no authd, logd or login, %s: a root shell instead\n", why);
	fflush(stdout);
	return why;
}

static void
start_service(struct service *s)
{
	char *const argv[] = { (char *)s->name, NULL };

	s->started = now();
	s->pid = spawn(s->path, argv, 0);
}

/* Makes the services' channels and starts each service that is installed. */
static void
start_services(void)
{
	mkdir("/run", 0755);
	for (size_t i = 0; i < NSERVICES; i++) {
		struct service *s = &services[i];
		int ok = access(s->path, X_OK) == 0;

		for (int c = 0; ok && c < 2 && s->chans[c]; c++)
			ok = make_chan(s->chans[c], s->modes[c]) == 0;
		if (ok)
			start_service(s);
	}
	fflush(stdout);
}

/*
 * pid was a service: starts it again at once, its channels (and the
 * requests queued on them) untouched; one that keeps dying within a second
 * of its start waits 1, 2, 4... up to SERVICE_PAUSE seconds first.
 */
static void
supervise(pid_t pid, int status)
{
	for (size_t i = 0; i < NSERVICES; i++) {
		struct service *s = &services[i];

		if (s->pid != pid || pid <= 0)
			continue;
		report(s->path, status);
		s->quick = now() - s->started < 1 ? s->quick + 1 : 0;
		if (s->quick >= SERVICE_QUICK) {
			unsigned shift = s->quick - SERVICE_QUICK;
			unsigned pause = shift >= 3 ? SERVICE_PAUSE : 1u << shift;

			printf("init: %s keeps dying; waiting %u seconds\n", s->path, pause);
			fflush(stdout);
			sleep(pause);
		}
		start_service(s);
	}
}

static volatile sig_atomic_t going_down;	/* the signal that asked for a shutdown */

static void
ask_shutdown(int sig)
{
	going_down = sig;
}

/*
 * Busybox's halt, poweroff and reboot signal init (SIGUSR1, SIGUSR2,
 * SIGTERM): they are handled once reboot(2) is known to work (lab 7:
 * CAD_OFF, as busybox's init asks at its start), else left ignored.
 */
static void
shutdown_signals(void)
{
	struct sigaction sa = { .sa_handler = ask_shutdown };

	if (reboot(RB_DISABLE_CAD) < 0)
		return;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Reaps every child for up to seconds, or until none is left. */
static void
reap_all(int seconds)
{
	struct timespec tick = { 0, 50 * 1000000L };

	for (int i = 0; i < seconds * 20; i++) {
		pid_t r;

		while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (r < 0 && errno == ECHILD)
			return;
		nanosleep(&tick, NULL);
	}
}

/* Ends every process (SIGTERM, then SIGKILL), then the machine as going_down asked. */
static void
shut_down(void)
{
	int sig = going_down;
	int cmd = sig == SIGTERM ? RB_AUTOBOOT : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_POWER_OFF;

	printf("init: the system is going down for %s\n",
	       sig == SIGTERM ? "a reboot" : sig == SIGUSR1 ? "a halt" : "power-off");
	fflush(stdout);
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	reap_all(TERM_WAIT);
	kill(-1, SIGKILL);
	reap_all(TERM_WAIT);
	sync();
	reboot(cmd);
	printf("init: reboot: %s\n", strerror(errno));
	fflush(stdout);
	going_down = 0;
}

/* Reaps children until pid has ended (any child if pid is -1): its status, or -1. */
static int
reap_until(pid_t pid)
{
	int status;

	for (;;) {
		pid_t r;

		if (going_down)
			shut_down();
		r = wait4(-1, &status, 0, NULL);

		if (r > 0 && r != pid)
			supervise(r, status);
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

/*
 * Keeps a root shell (shell), else login if there is one and it can work,
 * on the console.
 */
static void
run_shells(int shell)
{
	static char *const rc_argv[] = { "sh", RC, NULL };
	static char *const sh_argv[] = { "-sh", NULL };	/* "-": a login shell (/etc/profile) */
	static char *const login_argv[] = { "login", NULL };
	int login = 0;
	const char *path;
	int quick = 0;

	mount_fs("proc", "/proc");
	mount_fs("devtmpfs", "/dev");
	fflush(stdout);
	shutdown_signals();
	if (!auth_unusable()) {
		start_services();
		login = !shell && access(LOGIN, X_OK) == 0;
	}
	path = login ? LOGIN : SHELL;
	if (access(RC, R_OK) == 0) {
		pid_t pid = spawn(SHELL, rc_argv, 0);
		int status = pid > 0 ? reap_until(pid) : 0;

		if (status > 0)
			report(RC, status);
	}
	for (;;) {
		double started = now();
		pid_t pid = spawn(path, login ? login_argv : sh_argv, 1);

		if (pid > 0)
			reap_until(pid);
		quick = now() - started < 1 ? quick + 1 : 0;
		if (quick >= QUICK_EXITS) {
			printf("init: %s keeps exiting; waiting 5 seconds\n", path);
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

/* argv[1] "shell": a root shell on the console even where login is installed. */
int
main(int argc, char **argv)
{
	printf("init: NexaOS user space\n");
	fflush(stdout);
	if (access(SHELL, X_OK) == 0)
		run_shells(argc > 1 && strcmp(argv[1], "shell") == 0);
	return run_hello();
}
