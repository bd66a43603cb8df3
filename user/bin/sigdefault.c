/*
 * Default actions of signals, seen from the parent's wait4: terminate,
 * terminate with a core dump (WCOREDUMP only when RLIMIT_CORE lets one be
 * written), ignore, stop (WUNTRACED) and continue (WCONTINUED); SIGCHLD
 * with CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED and
 * si_status; SA_NOCLDSTOP, SIG_IGN and SA_NOCLDWAIT for SIGCHLD; SIGKILL
 * and SIGTERM of a stopped process; stops discarded in an orphaned process
 * group; SIGPIPE killing a writer. Works in /tmp/sigdefault, where Linux
 * writes its core files ("core" is Linux's default core_pattern: a core
 * written makes the wait status say so). The grader compares every line
 * with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME	"sigdefault"
#define WORKDIR	"/tmp/sigdefault"

static const char *
cldname(int code)
{
	static char other[16];

	switch (code) {
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_DUMPED: return "CLD_DUMPED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	}
	snprintf(other, sizeof(other), "code %d", code);
	return other;
}

/*
 * What waitpid(pid, options) reports: a status in words, "no change" (a
 * WNOHANG that found nothing), or an errno name. Polled, so that a child
 * that never changes fails the test instead of hanging it: for up to ms
 * milliseconds with WNOHANG, and up to 10 s without.
 */
static const char *
wait_change(pid_t pid, int options, int ms)
{
	int st = 0;
	pid_t r;

	if (!(options & WNOHANG))
		ms = 10000;
	for (;;) {
		r = waitpid(pid, &st, options | WNOHANG);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 0 || ms <= 0)
			break;
		sleep_ms(10);
		ms -= 10;
	}
	if (r < 0)
		return errname(errno);
	if (r == 0)
		return "no change";
	return r == pid ? describe(st) : "another child";
}

/* Prints "sigdefault: WHAT: STATUS", failing unless STATUS is want. */
#define expect_change(pid, options, ms, want, ...) \
	expect_words(wait_change(pid, options, ms), want, __VA_ARGS__)

/* A child that does nothing but wait for signals (in a process group of its own). */
static pid_t
idler(void)
{
	pid_t pid = spawn();

	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	return pid;
}

static void
set_core_limit(rlim_t limit)
{
	struct rlimit rl = { limit, limit };

	setrlimit(RLIMIT_CORE, &rl);
}

/* A child that sends itself sig (RLIMIT_CORE as given) and exits 7 if it lives. */
static pid_t
raiser(int sig, rlim_t core_limit)
{
	pid_t pid = spawn();

	if (pid == 0) {
		set_core_limit(core_limit);
		raise(sig);
		_exit(7);
	}
	return pid;
}

static void
remove_cores(void)
{
	DIR *d = opendir(WORKDIR);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, "core", 4)) {
			char path[300];

			snprintf(path, sizeof(path), WORKDIR "/%s", e->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
}

/* ---- terminate, core, ignore ---- */

static void
action_tests(void)
{
	static const int term[] = { SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
				    SIGTERM, SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO, SIGPWR };
	static const int core[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
				    SIGXCPU, SIGXFSZ, SIGSYS };
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };
	char want[48];
	pid_t pid;

	for (size_t i = 0; i < sizeof(term) / sizeof(term[0]); i++) {
		snprintf(want, sizeof(want), "signal %s", signame(term[i]));
		expect_change(raiser(term[i], 0), 0, 0, want, signame(term[i]));
	}
	expect_change(raiser(SIGRTMIN, 0), 0, 0, "signal SIGRTMIN+0", "SIGRTMIN");
	snprintf(want, sizeof(want), "signal %s", signame(SIGRTMAX));
	expect_change(raiser(SIGRTMAX, 0), 0, 0, want, "SIGRTMAX");
	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		snprintf(want, sizeof(want), "signal %s", signame(core[i]));
		expect_change(raiser(core[i], 0), 0, 0, want, "%s, RLIMIT_CORE 0: no core",
			      signame(core[i]));
	}
	/* A core is written where the process runs: the flag says it was. */
	expect_change(raiser(SIGQUIT, RLIM_INFINITY), 0, 0, "signal SIGQUIT core",
		      "SIGQUIT, RLIMIT_CORE unlimited");
	expect_change(raiser(SIGSEGV, RLIM_INFINITY), 0, 0, "signal SIGSEGV core",
		      "SIGSEGV, RLIMIT_CORE unlimited");
	expect_change(raiser(SIGTERM, RLIM_INFINITY), 0, 0, "signal SIGTERM",
		      "SIGTERM, RLIMIT_CORE unlimited: not a core signal");
	/* Linux writes no core smaller than a page: the limit of 1 byte stops it. */
	expect_change(raiser(SIGQUIT, 1), 0, 0, "signal SIGQUIT", "SIGQUIT, RLIMIT_CORE 1 byte");
	remove_cores();
	for (size_t i = 0; i < sizeof(ign) / sizeof(ign[0]); i++)
		expect_change(raiser(ign[i], 0), 0, 0, "exit 7", "%s: ignored", signame(ign[i]));

	/* One sent by the parent to a child asleep in pause(). */
	pid = idler();
	kill(pid, SIGTERM);
	expect_change(pid, 0, 0, "signal SIGTERM", "SIGTERM from the parent");
}

/* ---- stop and continue ---- */

static void
stop_tests(void)
{
	static const int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	volatile unsigned long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char want[48];
	unsigned long before;
	sigset_t all;
	int ready[2];
	char c;
	pid_t pid;

	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		pid = idler();
		kill(pid, stops[i]);
		snprintf(want, sizeof(want), "stopped %s", signame(stops[i]));
		expect_change(pid, WUNTRACED, 0, want, "%s, WUNTRACED", signame(stops[i]));
		kill(pid, SIGCONT);
		expect_change(pid, WCONTINUED, 0, "continued", "SIGCONT, WCONTINUED");
		kill(pid, SIGKILL);
		expect_change(pid, 0, 0, "signal SIGKILL", "then SIGKILL");
	}

	/* A stopped child does not run; reported once; wait4 without WUNTRACED ignores it. */
	pid = spawn();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			(*counter)++;
	}
	setpgid(pid, pid);
	expect_change(pid, WUNTRACED | WNOHANG, 0, "no change", "a counting child, WUNTRACED|WNOHANG");
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "SIGSTOP");
	before = *counter;
	sleep_ms(100);
	check(*counter == before, "its counter stands still while stopped");
	expect_change(pid, WUNTRACED | WNOHANG, 0, "no change", "the stop is reported only once");
	expect_change(pid, WNOHANG, 0, "no change", "WNOHANG alone does not report a stop");
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED | WNOHANG, 0, "no change", "SIGSTOP again to a stopped child");
	kill(pid, SIGCONT);
	expect_change(pid, WCONTINUED, 0, "continued", "SIGCONT");
	expect_change(pid, WCONTINUED | WNOHANG, 0, "no change", "reported only once");
	before = *counter;
	for (int i = 0; i < 200 && *counter == before; i++)
		sleep_ms(10);
	check(*counter != before, "the counter moves again");

	/* Fatal signals reach a stopped process: SIGKILL, and SIGTERM without a SIGCONT. */
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "stopped again");
	kill(pid, SIGKILL);
	expect_change(pid, 0, 0, "signal SIGKILL", "SIGKILL to the stopped child");
	pid = idler();
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "another child stopped");
	kill(pid, SIGTERM);
	expect_change(pid, WNOHANG, 200, "no change", "SIGTERM to it: waits for SIGCONT");
	kill(pid, SIGCONT);
	expect_change(pid, 0, 0, "signal SIGTERM", "SIGCONT: then SIGTERM kills it");

	/* SIGSTOP cannot be blocked; a blocked SIGTSTP waits. */
	pipe(ready);
	pid = spawn();
	if (pid == 0) {
		setpgid(0, 0);
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		close(ready[1]);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	close(ready[1]);
	read(ready[0], &c, 1);		/* EOF: it blocks everything now */
	close(ready[0]);
	kill(pid, SIGTSTP);
	expect_change(pid, WUNTRACED | WNOHANG, 200, "no change", "SIGTSTP to a child blocking all");
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "SIGSTOP to it");
	kill(pid, SIGKILL);
	expect_change(pid, 0, 0, "signal SIGKILL", "then SIGKILL");

	/*
	 * A process group is orphaned when no member has a parent in another
	 * group of the same session (a new session's leader, here): SIGTSTP,
	 * SIGTTIN and SIGTTOU would stop it for nobody, so they are dropped.
	 */
	pid = spawn();
	if (pid == 0) {
		setsid();
		raise(SIGTSTP);
		raise(SIGTTIN);
		raise(SIGTTOU);
		_exit(7);
	}
	expect_change(pid, WUNTRACED, 0, "exit 7", "SIGTSTP, SIGTTIN, SIGTTOU in an orphaned group");
	if (!kill(pid, SIGKILL))	/* it stopped after all: it must not outlive us */
		waitpid(pid, NULL, 0);
	pid = spawn();
	if (pid == 0) {
		setsid();
		raise(SIGSTOP);
		_exit(7);
	}
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "SIGSTOP in an orphaned group");
	kill(pid, SIGCONT);
	expect_change(pid, 0, 0, "exit 7", "continued, it ends");
	munmap((void *)counter, 4096);
}

/* ---- SIGCHLD ---- */

static volatile sig_atomic_t chld_hits;

static void
chld_handler(int sig)
{
	(void)sig;
	chld_hits++;
}

/* SIGCHLD (blocked) as sigtimedwait takes it within ms: "CLD_x SIGNAME/N" or "none". */
static const char *
next_chld(pid_t pid, int ms)
{
	static char buf[64];
	sigset_t chld;
	siginfo_t si;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	int r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while ((r = sigtimedwait(&chld, &si, &ts)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return "none";
	if (si.si_pid != pid)
		return "from another pid";
	if (si.si_code == CLD_EXITED)
		snprintf(buf, sizeof(buf), "%s %d", cldname(si.si_code), si.si_status);
	else
		snprintf(buf, sizeof(buf), "%s %s", cldname(si.si_code), signame(si.si_status));
	return buf;
}

static void
expect_chld(pid_t pid, int ms, const char *want, const char *what)
{
	const char *got = next_chld(pid, ms);

	check(!strcmp(got, want), "%s: SIGCHLD %s", what, got);
}

/* Sets SIGCHLD's action: handler (or SIG_IGN/SIG_DFL) with flags. */
static void
on_chld(void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigaction(SIGCHLD, &sa, NULL);
}

/* A wait that must find no child: "ECHILD", or what it found instead. */
static void
expect_echild(pid_t r, const char *what)
{
	check(r < 0 && errno == ECHILD, "%s -> %s", what, r > 0 ? "a child's pid" :
	      r == 0 ? "0" : errname(errno));
}

static void
sigchld_tests(void)
{
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	on_chld(chld_handler, 0);

	pid = spawn();
	if (pid == 0)
		_exit(3);
	expect_chld(pid, 5000, "CLD_EXITED 3", "child exits 3");
	expect_change(pid, 0, 0, "exit 3", "its status");

	pid = idler();
	kill(pid, SIGTERM);
	expect_chld(pid, 5000, "CLD_KILLED SIGTERM", "child killed by SIGTERM");
	expect_change(pid, 0, 0, "signal SIGTERM", "its status");

	pid = raiser(SIGABRT, RLIM_INFINITY);
	expect_chld(pid, 5000, "CLD_DUMPED SIGABRT", "child dumps core (SIGABRT)");
	expect_change(pid, 0, 0, "signal SIGABRT core", "its status");
	remove_cores();

	pid = idler();
	kill(pid, SIGSTOP);
	expect_chld(pid, 5000, "CLD_STOPPED SIGSTOP", "child stopped");
	kill(pid, SIGCONT);
	expect_chld(pid, 5000, "CLD_CONTINUED SIGCONT", "child continued");
	kill(pid, SIGTSTP);
	expect_chld(pid, 5000, "CLD_STOPPED SIGTSTP", "child stopped by SIGTSTP");
	kill(pid, SIGKILL);
	expect_chld(pid, 5000, "CLD_KILLED SIGKILL", "stopped child killed");
	expect_change(pid, WUNTRACED | WCONTINUED, 0, "signal SIGKILL", "its status");

	/* SA_NOCLDSTOP: nothing for stops and continues, as before for the end. */
	on_chld(chld_handler, SA_NOCLDSTOP);
	pid = idler();
	kill(pid, SIGSTOP);
	expect_change(pid, WUNTRACED, 0, "stopped SIGSTOP", "SA_NOCLDSTOP, child stopped");
	expect_chld(pid, 200, "none", "SA_NOCLDSTOP, child stopped");
	kill(pid, SIGCONT);
	expect_change(pid, WCONTINUED, 0, "continued", "SA_NOCLDSTOP, child continued");
	expect_chld(pid, 200, "none", "SA_NOCLDSTOP, child continued");
	kill(pid, SIGKILL);
	expect_chld(pid, 5000, "CLD_KILLED SIGKILL", "SA_NOCLDSTOP, child killed");
	expect_change(pid, 0, 0, "signal SIGKILL", "its status");

	/* The handler runs when SIGCHLD is not blocked. */
	on_chld(chld_handler, 0);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	chld_hits = 0;
	pid = spawn();
	if (pid == 0)
		_exit(0);
	expect_change(pid, 0, 0, "exit 0", "a child, SIGCHLD unblocked");
	for (int i = 0; i < 100 && !chld_hits; i++)
		sleep_ms(10);
	expect(chld_hits, 1, "the SIGCHLD handler ran");

	/* SIGCHLD ignored, or SA_NOCLDWAIT: children leave no zombie for wait4. */
	on_chld(SIG_IGN, 0);
	pid = spawn();
	if (pid == 0)
		_exit(0);
	sleep_ms(100);
	expect_echild(waitpid(pid, NULL, 0), "SIGCHLD SIG_IGN: waitpid of an exited child");
	pid = spawn();
	if (pid == 0) {
		sleep_ms(100);
		_exit(0);
	}
	expect_echild(waitpid(-1, NULL, 0), "SIG_IGN: waitpid(-1) waits for it, then");
	on_chld(chld_handler, SA_NOCLDWAIT);
	chld_hits = 0;
	pid = spawn();
	if (pid == 0)
		_exit(0);
	expect_echild(waitpid(-1, NULL, 0), "SA_NOCLDWAIT: waitpid(-1)");
	for (int i = 0; i < 100 && !chld_hits; i++)
		sleep_ms(10);
	expect(chld_hits, 1, "SA_NOCLDWAIT: the SIGCHLD handler still ran");
	on_chld(SIG_DFL, 0);
}

/* ---- SIGPIPE ---- */

static void
sigpipe_tests(void)
{
	int p[2];
	pid_t pid;

	pipe(p);
	close(p[0]);
	pid = spawn();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(7);
	}
	expect_change(pid, 0, 0, "signal SIGPIPE", "write to a pipe without readers");
	pid = spawn();
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		_exit(write(p[1], "x", 1) < 0 && errno == EPIPE ? 8 : 9);
	}
	expect_change(pid, 0, 0, "exit 8", "the same with SIGPIPE ignored (EPIPE)");
	close(p[1]);
}

static void
run_tests(void)
{
	action_tests();
	stop_tests();
	sigchld_tests();
	sigpipe_tests();
}

int
main(void)
{
	int st;

	check_init(NAME);
	default_signals();
	mkdir("/tmp", 01777);
	mkdir(WORKDIR, 0755);
	if (chdir(WORKDIR) < 0) {
		printf(NAME ": FAIL chdir " WORKDIR ": %s\n", errname(errno));
		return 1;
	}
	remove_cores();
	/* In a child: as pid 1 (NexaOS's init) orphans come back to us. */
	st = check_in_child(run_tests);
	remove_cores();
	chdir("/");
	rmdir(WORKDIR);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf(NAME ": FAIL the tests ended with %s\n", describe(st));
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
