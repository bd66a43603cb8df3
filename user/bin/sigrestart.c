/*
 * Blocking calls and the signals that interrupt them, as Linux has it:
 * a handler without SA_RESTART makes each fail with EINTR; with
 * SA_RESTART read, write, wait4, a FIFO's open and futex wait run again
 * (and complete later), while nanosleep, clock_nanosleep, pause,
 * sigsuspend, poll, select, sigtimedwait and a timed futex wait still
 * fail with EINTR; a pipe write that had written some returns its count.
 * A stop and a continue (no handler) resume nanosleep for the rest of
 * its time only. Then the real-time timer: alarm, setitimer and
 * getitimer, intervals, disarming, EINVAL, fork (not inherited) and exec
 * (kept). Signals come from a child that waits until this process
 * sleeps (/proc/PID/stat says S), so each lands inside the call.
 * The grader compares every line with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME		"sigrestart"
#define FIFO_PATH	"/tmp/sigrestart.fifo"
#define PIPE_CAPACITY	65536		/* Linux's default: 16 pages */
#define LONG_NS		5000000000L	/* what the interrupted sleeps ask for */
#define STATE_WAIT_MS	20000		/* how long a poker waits for a sleeper */
#define FUTEX_WAIT	0		/* <linux/futex.h>: musl-gcc has no kernel headers */
#define FUTEX_WAKE	1

/* Shared with the pokers: what the handlers saw, and the futex word. */
struct shared {
	volatile int hits;		/* SIGUSR1 handlers run */
	volatile int alarms;		/* SIGALRM handlers run */
	volatile uint32_t futex;
};
static struct shared *sh;
static int pfd[2];			/* the pipe of the current case */
static pid_t sleeper;			/* the child wait4 waits for */

/*
 * Forks a poker: once the caller sleeps it sends sig; with then, it waits
 * for the handler to have run and the caller to sleep again (the call
 * restarted) and runs then. The caller reaps it with reap().
 */
static pid_t
poke(int sig, void (*then)(void))
{
	pid_t target = getpid(), pid;
	int before = sh->hits;

	pid = spawn();
	if (pid != 0)
		return pid;
	if (!wait_state(target, 'S', STATE_WAIT_MS))
		_exit(2);
	sleep_ms(20);
	kill(target, sig);
	if (then) {
		for (int ms = 0; sh->hits == before && ms < STATE_WAIT_MS; ms += 5)
			sleep_ms(5);
		if (!wait_state(target, 'S', STATE_WAIT_MS))
			_exit(3);
		sleep_ms(20);
		then();
	}
	_exit(0);
}

static void
on_usr1(int sig)
{
	(void)sig;
	sh->hits++;
}

static void
on_alrm(int sig)
{
	(void)sig;
	sh->alarms++;
}

/* SIGUSR1 runs on_usr1, with SA_RESTART or not. */
static void
handle_usr1(int flags)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };

	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		check(0, "sigaction of a SIGUSR1 handler: %s", errname(errno));
		_exit(1);	/* no handler: every signal here would kill */
	}
}

static const char *
flag_text(int flags)
{
	return flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART";
}

/*
 * The line of a call that a poker interrupted: its result; a line more
 * (a failure) unless the poker did its job and the handler ran once.
 */
static void
expect_poked(pid_t poker, long got, long want, const char *fmt, const char *arg)
{
	const char *p = reap(poker);
	char what[160];

	snprintf(what, sizeof(what), fmt, arg);
	expect(got, want, "%s", what);
	if (strcmp(p, "exit 0") || sh->hits != 1)
		check(0, "%s: the poker: %s, handlers run: %d", what, p, sh->hits);
	sh->hits = 0;
}

/* ---- the calls that SA_RESTART runs again ---- */

static void
give_data(void)
{
	write(pfd[1], "hello", 5);
}

static void
take_room(void)
{
	static char buf[4096];

	read(pfd[0], buf, sizeof(buf));
}

static void
end_sleeper(void)
{
	kill(sleeper, SIGTERM);
}

static void
open_fifo_writer(void)
{
	close(open(FIFO_PATH, O_WRONLY | O_NONBLOCK));
}

static void
wake_futex(void)
{
	sh->futex = 1;
	syscall(SYS_futex, &sh->futex, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Fills the pipe to its capacity; returns what went in. */
static long
fill_pipe(void)
{
	static char buf[4096];
	long total = 0, n;

	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	while ((n = write(pfd[1], buf, sizeof(buf))) > 0)
		total += n;
	fcntl(pfd[1], F_SETFL, 0);
	return total;
}

static void
pipe_cases(int flags)
{
	const char *f = flag_text(flags);
	static char big[100000];
	char buf[16];
	pid_t poker;
	long r;

	handle_usr1(flags);
	pipe(pfd);
	poker = poke(SIGUSR1, flags & SA_RESTART ? give_data : NULL);
	r = res(read(pfd[0], buf, sizeof(buf)));
	expect_poked(poker, r, flags & SA_RESTART ? 5 : -EINTR, "read of an empty pipe, %s", f);

	expect(fill_pipe(), PIPE_CAPACITY, "%s: a pipe takes", f);
	poker = poke(SIGUSR1, flags & SA_RESTART ? take_room : NULL);
	r = res(write(pfd[1], "x", 1));
	expect_poked(poker, r, flags & SA_RESTART ? 1 : -EINTR, "write of 1 byte to a full pipe, %s", f);
	close(pfd[0]);
	close(pfd[1]);

	pipe(pfd);
	poker = poke(SIGUSR1, NULL);
	r = res(write(pfd[1], big, sizeof(big)));
	expect_poked(poker, r, PIPE_CAPACITY,
		     "write of 100000 bytes to an empty pipe, %s: what went in", f);
	close(pfd[0]);
	close(pfd[1]);
}

static void
wait_cases(int flags)
{
	const char *f = flag_text(flags);
	pid_t poker;
	long r;
	int st = 0;

	handle_usr1(flags);
	sleeper = spawn();
	if (sleeper == 0) {
		signal(SIGUSR1, SIG_DFL);
		for (;;)
			pause();
	}
	poker = poke(SIGUSR1, flags & SA_RESTART ? end_sleeper : NULL);
	r = res(wait4(sleeper, &st, 0, NULL));
	expect_poked(poker, r == sleeper ? 1 : r, flags & SA_RESTART ? 1 : -EINTR,
		     "wait4 for a child, %s (1: the child)", f);
	if (flags & SA_RESTART) {
		check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "its status: %s", describe(st));
	} else {
		kill(sleeper, SIGKILL);
		reap(sleeper);
	}
}

static void
fifo_cases(int flags)
{
	const char *f = flag_text(flags);
	pid_t poker;
	long r;

	handle_usr1(flags);
	unlink(FIFO_PATH);
	if (mkfifo(FIFO_PATH, 0600) < 0) {
		check(0, "mkfifo %s: %s", FIFO_PATH, errname(errno));
		return;
	}
	poker = poke(SIGUSR1, flags & SA_RESTART ? open_fifo_writer : NULL);
	r = res(open(FIFO_PATH, O_RDONLY));
	if (r >= 0)
		close((int)r);
	expect_poked(poker, r >= 0 ? 0 : r, flags & SA_RESTART ? 0 : -EINTR,
		     "open of a FIFO for reading, no writer, %s", f);
	unlink(FIFO_PATH);
}

static void
futex_cases(int flags)
{
	const char *f = flag_text(flags);
	struct timespec ts = { 10, 0 };
	pid_t poker;
	long r;

	handle_usr1(flags);
	sh->futex = 0;
	poker = poke(SIGUSR1, flags & SA_RESTART ? wake_futex : NULL);
	r = res(syscall(SYS_futex, &sh->futex, FUTEX_WAIT, 0, NULL, NULL, 0));
	expect_poked(poker, r, flags & SA_RESTART ? 0 : -EINTR, "futex wait, %s", f);
	sh->futex = 0;
	poker = poke(SIGUSR1, NULL);
	r = res(syscall(SYS_futex, &sh->futex, FUTEX_WAIT, 0, &ts, NULL, 0));
	expect_poked(poker, r, -EINTR, "futex wait with a timeout, %s", f);
}

/* ---- the calls that never restart after a handler ---- */

/* Whether a remaining time is in (0, LONG_NS]. */
static const char *
remaining(const struct timespec *ts)
{
	long long ns = ts->tv_sec * 1000000000LL + ts->tv_nsec;

	return ns > 0 && ns <= LONG_NS ? "in (0, requested]" : "out of (0, requested]";
}

static void
sleep_cases(void)
{
	const char *f = flag_text(SA_RESTART);
	struct timespec req = { LONG_NS / 1000000000L, 0 }, rem, abs;
	pid_t poker;
	long r;

	handle_usr1(SA_RESTART);
	rem = (struct timespec){ -1, -1 };
	poker = poke(SIGUSR1, NULL);
	r = res(syscall(SYS_nanosleep, &req, &rem));
	expect_poked(poker, r, -EINTR, "nanosleep of 5 s, %s", f);
	check(!strcmp(remaining(&rem), "in (0, requested]"), "nanosleep: remaining time %s",
	      remaining(&rem));

	rem = (struct timespec){ -1, -1 };
	poker = poke(SIGUSR1, NULL);
	r = -clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	expect_poked(poker, r, -EINTR, "clock_nanosleep relative, %s", f);
	check(!strcmp(remaining(&rem), "in (0, requested]"),
	      "clock_nanosleep: remaining time %s", remaining(&rem));

	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_sec += LONG_NS / 1000000000L;
	rem = (struct timespec){ -1, -1 };
	poker = poke(SIGUSR1, NULL);
	r = -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
	expect_poked(poker, r, -EINTR, "clock_nanosleep TIMER_ABSTIME, %s", f);
	check(rem.tv_sec == -1 && rem.tv_nsec == -1, "TIMER_ABSTIME: remaining time left alone");
}

static void
wait_for_signal_cases(void)
{
	const char *f = flag_text(SA_RESTART);
	struct timespec ts = { 10, 0 };
	sigset_t none, usr2;
	struct pollfd pf;
	fd_set rd;
	pid_t poker;
	long r;

	handle_usr1(SA_RESTART);
	poker = poke(SIGUSR1, NULL);
	r = res(pause());
	expect_poked(poker, r, -EINTR, "pause, %s", f);

	sigemptyset(&none);
	poker = poke(SIGUSR1, NULL);
	r = res(sigsuspend(&none));
	expect_poked(poker, r, -EINTR, "sigsuspend, %s", f);

	pipe(pfd);
	pf = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	poker = poke(SIGUSR1, NULL);
	r = res(poll(&pf, 1, -1));
	expect_poked(poker, r, -EINTR, "poll of an empty pipe, no timeout, %s", f);
	poker = poke(SIGUSR1, NULL);
	r = res(poll(&pf, 1, 10000));
	expect_poked(poker, r, -EINTR, "poll of an empty pipe, 10 s, %s", f);
	FD_ZERO(&rd);
	FD_SET(pfd[0], &rd);
	poker = poke(SIGUSR1, NULL);
	r = res(select(pfd[0] + 1, &rd, NULL, NULL, NULL));
	expect_poked(poker, r, -EINTR, "select of an empty pipe, %s", f);
	close(pfd[0]);
	close(pfd[1]);

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	poker = poke(SIGUSR1, NULL);
	/* The system call: musl's sigtimedwait() tries again after EINTR. */
	r = res(syscall(SYS_rt_sigtimedwait, &usr2, NULL, &ts, _NSIG / 8));
	expect_poked(poker, r, -EINTR, "sigtimedwait for SIGUSR2, SIGUSR1 handled, %s", f);
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
}

/* Forks a child that stops the caller once it sleeps and continues it 1 s later. */
static pid_t
stop_and_continue(void)
{
	pid_t target = getpid(), pid;

	pid = spawn();
	if (pid != 0)
		return pid;
	if (!wait_state(target, 'S', STATE_WAIT_MS))
		_exit(2);
	kill(target, SIGSTOP);
	if (!wait_state(target, 'T', STATE_WAIT_MS))
		_exit(3);
	sleep_ms(1000);
	kill(target, SIGCONT);
	_exit(0);
}

/* Whether ms is 1.5 s, not 2.5 s or more: the call went on for the rest of its time only. */
static const char *
rest_only(long ms)
{
	return ms >= 1490 && ms < 2400 ? "1.5 s in all" : ms < 1490 ? "too short" :
	       "too long (started over?)";
}

/* A stop and a continue, no handler: nanosleep goes on for the rest of its time. */
static void
stop_cases(void)
{
	struct timespec req = { 1, 500000000L };
	pid_t pid;
	long t0, ms;

	pid = stop_and_continue();
	t0 = now_ms();
	expect(res(syscall(SYS_nanosleep, &req, NULL)), 0,
	       "nanosleep of 1.5 s, stopped 1 s on the way");
	ms = now_ms() - t0;
	check(!strcmp(reap(pid), "exit 0") && !strcmp(rest_only(ms), "1.5 s in all"),
	      "nanosleep: it slept the rest only: %s", rest_only(ms));

	sh->futex = 0;
	pid = stop_and_continue();
	t0 = now_ms();
	expect(res(syscall(SYS_futex, &sh->futex, FUTEX_WAIT, 0, &req, NULL, 0)), -ETIMEDOUT,
	       "futex wait of 1.5 s, stopped 1 s on the way");
	ms = now_ms() - t0;
	check(!strcmp(reap(pid), "exit 0") && !strcmp(rest_only(ms), "1.5 s in all"),
	      "futex wait: it waited until its deadline only: %s", rest_only(ms));
}

/* ---- the real-time timer ---- */

static long
tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

static void
alarm_cases(void)
{
	struct sigaction sa = { .sa_handler = on_alrm };
	struct itimerval it;
	long t0, ms;

	sigaction(SIGALRM, &sa, NULL);
	sh->alarms = 0;
	t0 = now_ms();
	expect(alarm(1), 0, "alarm(1), none before");
	while (!sh->alarms && now_ms() - t0 < 5000)
		pause();
	ms = now_ms() - t0;
	check(sh->alarms == 1 && ms >= 900 && ms < 4000, "SIGALRM came after about 1 s");

	expect(alarm(10), 0, "alarm(10)");
	expect(alarm(5), 10, "alarm(5) right after: the seconds left of alarm(10)");
	getitimer(ITIMER_REAL, &it);
	check(tv_ms(it.it_value) > 4000 && tv_ms(it.it_value) <= 5000 && !tv_ms(it.it_interval),
	      "getitimer: about 5 s left, no interval");
	expect(alarm(0), 5, "alarm(0): what was left, and the alarm is off");
	getitimer(ITIMER_REAL, &it);
	check(!it.it_value.tv_sec && !it.it_value.tv_usec, "getitimer after alarm(0): 0");
	sh->alarms = 0;
	alarm(1);
	alarm(0);
	sleep_ms(1500);
	expect(sh->alarms, 0, "alarm(1) then alarm(0): SIGALRMs in 1.5 s");
}

static void
itimer_cases(void)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, old;
	long t0;

	sh->alarms = 0;
	expect(res(setitimer(ITIMER_REAL, &it, NULL)), 0, "setitimer every 50 ms");
	t0 = now_ms();
	while (now_ms() - t0 < 1000)
		sleep_ms(1000 - (now_ms() - t0));
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	expect(res(setitimer(ITIMER_REAL, &it, &old)), 0, "setitimer with it_value 0");
	check(sh->alarms >= 5 && sh->alarms <= 30, "SIGALRMs in 1 s: between 5 and 30");
	check(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 50000 &&
	      tv_ms(old.it_value) <= 50, "its old value: interval 50 ms, at most 50 ms to go");
	sh->alarms = 0;
	sleep_ms(300);
	expect(sh->alarms, 0, "disarmed: SIGALRMs in 0.3 s");
	getitimer(ITIMER_REAL, &it);
	check(!tv_ms(it.it_value) && !it.it_value.tv_usec && !tv_ms(it.it_interval) &&
	      !it.it_interval.tv_usec, "getitimer: all 0");

	it = (struct itimerval){ { 2, 0 }, { 10, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &it);
	check(it.it_interval.tv_sec == 2 && it.it_interval.tv_usec == 0 &&
	      tv_ms(it.it_value) > 9000 && tv_ms(it.it_value) <= 10000,
	      "setitimer 10 s, every 2 s: getitimer says 2 s and 9-10 s to go");
	it = (struct itimerval){ { 0, 0 }, { 0, 1000000 } };
	expect(res(setitimer(ITIMER_REAL, &it, NULL)), -EINVAL, "setitimer, it_value.tv_usec 1000000");
	it = (struct itimerval){ { 0, -1 }, { 1, 0 } };
	expect(res(setitimer(ITIMER_REAL, &it, NULL)), -EINVAL, "setitimer, it_interval.tv_usec -1");
	it = (struct itimerval){ { 0, 0 }, { -1, 0 } };
	expect(res(setitimer(ITIMER_REAL, &it, NULL)), -EINVAL, "setitimer, it_value.tv_sec -1");
	getitimer(ITIMER_REAL, &it);
	check(it.it_interval.tv_sec == 2 && tv_ms(it.it_value) > 8000,
	      "after the EINVALs the timer runs on");
	/* Linux takes no new value as a zero one (with a warning in its log). */
	expect(res(syscall(SYS_setitimer, ITIMER_REAL, NULL, &old)), 0, "setitimer with no new value");
	getitimer(ITIMER_REAL, &it);
	check(old.it_interval.tv_sec == 2 && !it.it_value.tv_sec && !it.it_value.tv_usec,
	      "it returned the old timer and disarmed it");
	expect(res(setitimer(ITIMER_REAL + 99, &it, NULL)), -EINVAL, "setitimer of timer 99");
	expect(res(getitimer(ITIMER_REAL + 99, &it)), -EINVAL, "getitimer of timer 99");
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* fork: the child has no timer; exec: the timer stays (with the seconds left). */
static void
inherit_cases(void)
{
	struct itimerval it = { { 0, 0 }, { 10, 0 } };
	pid_t pid;

	setitimer(ITIMER_REAL, &it, NULL);
	pid = spawn();
	if (pid == 0) {
		getitimer(ITIMER_REAL, &it);
		_exit(it.it_value.tv_sec || it.it_value.tv_usec ? 1 : alarm(0) ? 2 : 0);
	}
	check(!strcmp(reap(pid), "exit 0"), "fork: the child's getitimer and alarm(0) say 0");
	expect(alarm(0), 10, "the parent's alarm is still there");

	pid = spawn();
	if (pid == 0) {
		alarm(7);
		execl("/bin/" NAME, NAME, "after-exec", (char *)NULL);
		_exit(126);
	}
	check(!strcmp(reap(pid), "exit 7"), "exec: the new program's alarm(0) says 7");

	pid = spawn();
	if (pid == 0) {
		struct itimerval soon = { { 0, 0 }, { 0, 300000 } };

		signal(SIGALRM, SIG_DFL);
		setitimer(ITIMER_REAL, &soon, NULL);
		execl("/bin/" NAME, NAME, "pause", (char *)NULL);
		_exit(126);
	}
	check(!strcmp(reap(pid), "signal SIGALRM"),
	      "exec with 0.3 s on the timer, then pause: killed by SIGALRM");
}

static void
run_tests(void)
{
	pipe_cases(0);
	pipe_cases(SA_RESTART);
	wait_cases(0);
	wait_cases(SA_RESTART);
	fifo_cases(0);
	fifo_cases(SA_RESTART);
	futex_cases(0);
	futex_cases(SA_RESTART);
	sleep_cases();
	wait_for_signal_cases();
	stop_cases();
	alarm_cases();
	itimer_cases();
	inherit_cases();
}

int
main(int argc, char **argv)
{
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "after-exec"))
		return alarm(0);
	if (argc > 1 && !strcmp(argv[1], "pause")) {
		pause();
		return 1;
	}
	check_init(NAME);
	if (access("/proc/self/stat", R_OK) < 0)
		mount("proc", "/proc", "proc", 0, NULL);	/* NexaOS's init mounts it */
	if (access("/proc/self/stat", R_OK) < 0) {
		printf(NAME ": FAIL no /proc/self/stat: %s\n", errname(errno));
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf(NAME ": FAIL mmap: %s\n", errname(errno));
		return 1;
	}
	/* In a child: pid 1 is not the place for stops and default actions. */
	pid = spawn();
	if (pid == 0) {
		run_tests();
		_exit(check_summary() ? 1 : 0);
	}
	const char *st = reap(pid);
	check(!strcmp(st, "exit 0"), "the tests in a child process: %s", st);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;		/* as pid 1: orphans */
	return check_done();
}
