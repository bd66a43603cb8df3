/*
 * The checks of the test programs: check.h says what each one prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

const char *check_name = "check";
int check_failed;
int check_octal;
static char first_failure[200];

void
check_init(const char *name)
{
	check_name = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int
check_summary(void)
{
	if (check_failed)
		printf("%s: FAIL %d checks, the first: %s\n", check_name, check_failed,
		       first_failure);
	return check_failed;
}

int
check_done(void)
{
	if (check_summary())
		return 1;
	printf("%s: ok\n", check_name);
	return 0;
}

int
check_in_child(void (*tests)(void))
{
	pid_t pid = spawn(), r;
	int st = 0, s;

	if (pid == 0) {
		tests();
		_exit(check_summary() ? 1 : 0);
	}
	while ((r = wait(&s)) != -1 || errno == EINTR)
		if (r == pid)
			st = s;
	return st;
}

int
check_child(const char *what, void (*fn)(void))
{
	pid_t pid = spawn();

	if (pid == 0) {
		check_failed = 0;
		fn();
		_exit(check_failed ? 1 : 0);
	}
	if (pid > 0 && !strcmp(reap(pid), "exit 0"))
		return 1;
	check(0, "%s: the child failed", what);
	return 0;
}

/* A shell's background job, for one, starts with SIGINT and SIGQUIT ignored. */
void
default_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void
note_failure(const char *what)
{
	check_failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s", what);
}

void
expect(long got, long want, const char *fmt, ...)
{
	char what[200], g[32], w[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(g, sizeof(g), check_octal ? "%#lo" : "%ld", got);
	snprintf(w, sizeof(w), check_octal ? "%#lo" : "%ld", want);
	if (got == want) {
		printf("%s: %s -> %s\n", check_name, what, got < 0 ? errname(-got) : g);
		return;
	}
	printf("%s: %s -> %s, want %s: FAIL\n", check_name, what,
	       got < 0 ? errname(-got) : g, want < 0 ? errname(-want) : w);
	note_failure(what);
}

void
check(int ok, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("%s: %s%s\n", check_name, what, ok ? "" : ": FAIL");
	if (!ok)
		note_failure(what);
}

long
res(long r)
{
	return r < 0 ? -errno : r;
}

const char *
errname(int e)
{
	static const char *const names[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
		[EINTR] = "EINTR", [ENXIO] = "ENXIO", [EBADF] = "EBADF",
		[ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EEXIST] = "EEXIST",
		[ENOTDIR] = "ENOTDIR", [EINVAL] = "EINVAL", [ENOSPC] = "ENOSPC",
		[ESPIPE] = "ESPIPE", [EPIPE] = "EPIPE", [ENOSYS] = "ENOSYS",
		[ENOTEMPTY] = "ENOTEMPTY", [EIDRM] = "EIDRM", [EMSGSIZE] = "EMSGSIZE",
		[ETIMEDOUT] = "ETIMEDOUT", [EBUSY] = "EBUSY", [EXDEV] = "EXDEV",
		[ENODEV] = "ENODEV", [EISDIR] = "EISDIR", [ENFILE] = "ENFILE",
		[EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY", [EFBIG] = "EFBIG",
		[ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG", [ELOOP] = "ELOOP",
		[EOVERFLOW] = "EOVERFLOW",
	};
	static char other[16];

	if (e == 0)
		return "0";
	if (e > 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
		return names[e];
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

const char *
signame(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};
	static char other[16];

	if (sig == 0)
		return "none";
	if (sig > 0 && sig < 32 && names[sig])
		return names[sig];
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(other, sizeof(other), "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(other, sizeof(other), "signal %d", sig);
	return other;
}

pid_t
spawn(void)
{
	fflush(stdout);
	return fork();
}

/* describe(), with " core" after a signal only when core is set. */
static const char *
status_words(int st, int core)
{
	static char buf[48];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %s%s", signame(WTERMSIG(st)),
			 core && WCOREDUMP(st) ? " core" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped %s", signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

const char *
describe(int st)
{
	return status_words(st, 1);
}

/*
 * Without " core": whether a core is dumped depends on the machine (a
 * core_pattern pipe dumps even with RLIMIT_CORE 0), not on the kernel.
 */
const char *
reap(pid_t pid)
{
	pid_t r;
	int st;

	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;		/* a handler ran */
	return r == pid ? status_words(st, 0) : errname(errno);
}

/* expect_words with the text of WHAT already in ap. */
static void
vexpect_words(const char *got, const char *want, const char *fmt, va_list ap)
{
	char what[160];

	vsnprintf(what, sizeof(what), fmt, ap);
	check(!strcmp(got, want), "%s: %s", what, got);
}

void
expect_words(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vexpect_words(got, want, fmt, ap);
	va_end(ap);
}

void
expect_status(pid_t pid, const char *want, const char *fmt, ...)
{
	const char *got = reap(pid);
	va_list ap;

	va_start(ap, fmt);
	vexpect_words(got, want, fmt, ap);
	va_end(ap);
}

int
reap_or_kill(pid_t *pids, int n, int ms)
{
	int left = n, good = 0, st;

	for (int waited = 0; left && waited < ms; waited += 5) {
		for (int i = 0; i < n; i++) {
			if (pids[i] && waitpid(pids[i], &st, WNOHANG) == pids[i]) {
				good += WIFEXITED(st) && WEXITSTATUS(st) == 0;
				pids[i] = 0;
				left--;
			}
		}
		if (left)
			sleep_ms(5);
	}
	for (int i = 0; i < n; i++) {
		if (pids[i]) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &st, 0);
		}
	}
	return good;
}

void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

long long
ns_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct timespec
ts_of(long long ns)
{
	return (struct timespec){ ns / 1000000000LL, ns % 1000000000LL };
}

char
proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

int
wait_state(pid_t pid, char state, int ms)
{
	for (int waited = 0; waited < ms; waited += 5) {
		if (proc_state(pid) == state)
			return 1;
		sleep_ms(5);
	}
	return 0;
}

int
wait_asleep(pid_t pid)
{
	return wait_state(pid, 'S', 10000);
}

void *
shared_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("%s: FAIL mmap MAP_SHARED|MAP_ANONYMOUS: %s\n", check_name, errname(errno));
		exit(1);
	}
	return p;
}

void
mount_missing(const char *type, const char *dir, const char *probe)
{
	if (access(probe, F_OK) == 0)
		return;
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) < 0)
		printf("%s: FAIL mount %s on %s: %s\n", check_name, type, dir, errname(errno));
}
