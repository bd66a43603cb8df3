/*
 * Signal handlers as Linux runs them: siginfo (si_signo, si_code, si_pid),
 * the mask while a handler runs (its own signal unless SA_NODEFER, and
 * sa_mask), handlers interrupted by handlers, SA_RESETHAND, sigprocmask
 * and sigpending, SIG_IGN, the order in which blocked signals arrive once
 * unblocked (real-time ones queued), sigwaitinfo and sigtimedwait,
 * sigsuspend, pause, kill's process groups, the FPU/SSE state around a
 * handler, the ucontext a handler may change, and sigaltstack.
 * The grader compares every line with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "check.h"

#define NAME		"sigbasic"
#define ALTSTACK_SIZE	(64 * 1024)
#define FCW_DEFAULT	0x037f		/* x87 control word after finit */
#define MXCSR_DEFAULT	0x1f80		/* MXCSR at exec: all masked, round to nearest */
#define FCW_TRUNCATE	0x0f7f		/* x87 rounding toward zero */
#define MXCSR_TRUNCATE	0x7f80		/* SSE rounding toward zero */

static pid_t main_pid;			/* getpid() of the test, for children to check */

static const char *
codename(int code)
{
	static char other[16];

	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	case SEGV_MAPERR: return "SEGV_MAPERR";
	}
	snprintf(other, sizeof(other), "code %d", code);
	return other;
}

/* Installs handler for sig with flags (SA_SIGINFO handlers too) and sa_mask mask. */
static void
on(int sig, void *handler, int flags, const sigset_t *mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	if (sigaction(sig, &sa, NULL) < 0) {
		printf(NAME ": FAIL sigaction %s: %s\n", signame(sig), errname(errno));
		exit(1);
	}
}

static void
set_of(sigset_t *s, int sig)
{
	sigemptyset(s);
	if (sig)
		sigaddset(s, sig);
}

static int
blocked_now(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void
unblock_all(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* ---- siginfo ---- */

static volatile sig_atomic_t got_sig, got_code, got_pid_ok, hits;
static volatile pid_t want_pid;

static void
info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = si->si_signo == sig ? sig : -1;
	got_code = si->si_code;
	got_pid_ok = si->si_pid == want_pid && si->si_uid == getuid();
	hits++;
}

static void
siginfo_tests(void)
{
	sigset_t usr1;
	pid_t pid;

	on(SIGUSR1, info_handler, SA_SIGINFO, NULL);
	want_pid = getpid();
	hits = 0;
	kill(getpid(), SIGUSR1);
	check(hits == 1 && got_sig == SIGUSR1 && got_code == SI_USER && got_pid_ok,
	      "kill to self: %s %s, si_pid is getpid() and si_uid getuid()",
	      signame(got_sig), codename(got_code));

	hits = 0;
	raise(SIGUSR1);
	check(hits == 1 && got_sig == SIGUSR1 && got_code == SI_TKILL && got_pid_ok,
	      "raise: %s %s, si_pid is getpid()", signame(got_sig), codename(got_code));

	hits = 0;
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	check(hits == 1 && got_sig == SIGUSR1 && got_code == SI_TKILL && got_pid_ok,
	      "tgkill: %s %s, si_pid is getpid()", signame(got_sig), codename(got_code));
	expect(res(syscall(SYS_tgkill, getpid() + 100000, gettid(), SIGUSR1)), -ESRCH,
	       "tgkill with a wrong tgid");
	expect(res(syscall(SYS_tkill, 0, SIGUSR1)), -EINVAL, "tkill of tid 0");

	/* From a child: the handler runs once it is unblocked, after the child is gone. */
	set_of(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	hits = 0;
	pid = spawn();
	if (pid == 0)
		_exit(kill(getppid(), SIGUSR1) < 0);
	want_pid = pid;
	expect_status(pid, "exit 0", "child that kills its parent");
	check(hits == 0, "nothing delivered while blocked");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	check(hits == 1 && got_code == SI_USER && got_pid_ok,
	      "from a child: %s, si_pid is the child's pid", codename(got_code));

	/* And the other way: the child checks that si_pid is its getppid(). */
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pid = spawn();
	if (pid == 0) {
		siginfo_t si;
		struct timespec ts = { 5, 0 };

		if (sigtimedwait(&usr1, &si, &ts) != SIGUSR1)
			_exit(2);
		_exit(si.si_code == SI_USER && si.si_pid == getppid() ? 0 : 3);
	}
	kill(pid, SIGUSR1);
	expect_status(pid, "exit 0", "child sees si_pid == getppid()");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- the mask while a handler runs ---- */

static volatile sig_atomic_t self_blocked, other_blocked, third_blocked, uc_mask_ok;
static sigset_t mask_before;

static void
mask_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)si;
	self_blocked = blocked_now(sig);
	other_blocked = blocked_now(SIGUSR2);
	third_blocked = blocked_now(SIGTERM);
	/* uc_sigmask is the mask the handler's return puts back. */
	uc_mask_ok = sigismember(&uc->uc_sigmask, SIGTERM) == sigismember(&mask_before, SIGTERM) &&
		     sigismember(&uc->uc_sigmask, sig) == sigismember(&mask_before, sig) &&
		     sigismember(&uc->uc_sigmask, SIGUSR2) == sigismember(&mask_before, SIGUSR2);
	hits++;
}

static void
mask_tests(void)
{
	sigset_t usr2, term;

	set_of(&usr2, SIGUSR2);
	set_of(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, NULL, &mask_before);

	on(SIGUSR1, mask_handler, SA_SIGINFO, &usr2);
	raise(SIGUSR1);
	check(self_blocked && other_blocked && !third_blocked,
	      "in a handler: own signal blocked %d, sa_mask's SIGUSR2 %d, SIGTERM %d",
	      self_blocked, other_blocked, third_blocked);
	check(uc_mask_ok, "uc_sigmask is the mask from before the handler");
	check(!blocked_now(SIGUSR1) && !blocked_now(SIGUSR2), "after it: the mask is back");

	on(SIGUSR1, mask_handler, SA_SIGINFO | SA_NODEFER, NULL);
	raise(SIGUSR1);
	check(!self_blocked && !other_blocked,
	      "SA_NODEFER: own signal blocked %d, SIGUSR2 %d", self_blocked, other_blocked);

	/* The handler's mask adds to what was blocked already. */
	sigprocmask(SIG_BLOCK, &term, NULL);
	sigprocmask(SIG_BLOCK, NULL, &mask_before);
	on(SIGUSR1, mask_handler, SA_SIGINFO, &usr2);
	raise(SIGUSR1);
	check(self_blocked && other_blocked && third_blocked && uc_mask_ok,
	      "with SIGTERM blocked before: own %d, SIGUSR2 %d, SIGTERM %d, uc_sigmask right",
	      self_blocked, other_blocked, third_blocked);
	check(blocked_now(SIGTERM) && !blocked_now(SIGUSR1), "after it: SIGTERM still blocked, SIGUSR1 not");
	unblock_all();
	signal(SIGUSR1, SIG_DFL);
}

/* ---- nesting ---- */

static char trace[64];
static volatile sig_atomic_t armed, tlen;

static void
add_trace(char c)
{
	if (tlen < (int)sizeof(trace) - 1)
		trace[tlen++] = c;
}

/* SIGUSR1's handler, when armed, raises SIGUSR2 and then SIGUSR1 again. */
static void
nest_handler(int sig)
{
	char tag = sig == SIGUSR1 ? '1' : '2';

	add_trace('<');
	add_trace(tag);
	if (sig == SIGUSR1 && armed) {
		armed = 0;
		raise(SIGUSR2);
		raise(SIGUSR1);
	}
	add_trace(tag);
	add_trace('>');
}

static void
nest_tests(void)
{
	sigset_t usr2;

	on(SIGUSR2, nest_handler, 0, NULL);
	on(SIGUSR1, nest_handler, 0, NULL);
	tlen = 0;
	armed = 1;
	raise(SIGUSR1);
	trace[tlen] = 0;
	check(!strcmp(trace, "<1<22>1><11>"), "nesting, SIGUSR1 deferred: %s", trace);

	on(SIGUSR1, nest_handler, SA_NODEFER, NULL);
	tlen = 0;
	armed = 1;
	raise(SIGUSR1);
	trace[tlen] = 0;
	check(!strcmp(trace, "<1<22><11>1>"), "nesting, SA_NODEFER: %s", trace);

	set_of(&usr2, SIGUSR2);
	on(SIGUSR1, nest_handler, 0, &usr2);
	tlen = 0;
	armed = 1;
	raise(SIGUSR1);
	trace[tlen] = 0;
	check(!strcmp(trace, "<11><11><22>"), "nesting, SIGUSR2 in sa_mask: %s", trace);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- SA_RESETHAND ---- */

static void
count_handler(int sig)
{
	(void)sig;
	self_blocked = blocked_now(sig);
	hits++;
}

static void
resethand_tests(void)
{
	struct sigaction old;
	pid_t pid;

	hits = 0;
	on(SIGUSR1, count_handler, SA_RESETHAND, NULL);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	check(hits == 1 && old.sa_handler == SIG_DFL,
	      "SA_RESETHAND: handler ran %d time(s), then the action is SIG_DFL", (int)hits);
	check(self_blocked, "SA_RESETHAND: own signal blocked in the handler %d", self_blocked);

	/* The second one takes the default action: it kills. */
	pid = spawn();
	if (pid == 0) {
		on(SIGUSR1, count_handler, SA_RESETHAND, NULL);
		raise(SIGUSR1);
		raise(SIGUSR1);
		_exit(0);
	}
	expect_status(pid, "signal SIGUSR1", "SA_RESETHAND, second SIGUSR1");
}

/* ---- sigprocmask, sigpending, SIG_IGN ---- */

static void
mask_and_pending_tests(void)
{
	sigset_t usr1, all, cur, pend;

	set_of(&usr1, SIGUSR1);
	on(SIGUSR1, count_handler, 0, NULL);
	hits = 0;
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pend);
	check(hits == 0 && sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2),
	      "blocked, raised twice: not delivered, pending has SIGUSR1 only");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	expect(hits, 1, "unblocked: handler runs (standard signals do not queue)");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "pending empty again");

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	check(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP) &&
	      sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGRTMAX),
	      "blocking everything leaves SIGKILL and SIGSTOP out");
	unblock_all();
	expect(res(sigprocmask(12345, &usr1, NULL)), -EINVAL, "sigprocmask with a bad how");
	expect(res(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr1, NULL, 4)), -EINVAL,
	       "rt_sigprocmask with sigsetsize 4");
	expect(res(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL)),
	       -EINVAL, "sigaction SIGKILL");
	expect(res(sigaction(SIGSTOP, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL)),
	       -EINVAL, "sigaction SIGSTOP");
	expect(res(syscall(SYS_rt_sigaction, 0, NULL, NULL, 8)), -EINVAL, "rt_sigaction of signal 0");
	expect(res(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8)), -EINVAL, "rt_sigaction of signal 65");
	expect(res(sigaction(SIGKILL, NULL, &(struct sigaction){ 0 })), 0,
	       "sigaction SIGKILL, only reading");

	/* SIG_IGN: dropped when sent, unless blocked (the action could change). */
	hits = 0;
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "SIG_IGN: raised and gone, not pending");
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR1), "SIG_IGN but blocked: pending");
	on(SIGUSR1, count_handler, 0, NULL);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	expect(hits, 1, "a handler set before unblocking: it runs");

	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "pending, then set to SIG_IGN: discarded");
	on(SIGUSR1, count_handler, 0, NULL);
	hits = 0;
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	expect(hits, 0, "unblocked after that: nothing delivered");

	/* SIG_DFL whose default is to ignore: dropped as it is sent. */
	signal(SIGURG, SIG_DFL);
	raise(SIGURG);
	sigpending(&pend);
	check(!sigismember(&pend, SIGURG), "SIGURG (default ignore), unblocked: not pending");
	signal(SIGUSR1, SIG_DFL);
}

/* ---- the order of delivery on unblocking ---- */

static void
order_handler(int sig)
{
	add_trace(sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : sig == SIGTERM ? 'T' :
		  sig == SIGRTMIN ? 'r' : sig == SIGRTMIN + 1 ? 'R' : '?');
}

static void
raise_batch(void)
{
	raise(SIGTERM);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGRTMIN + 1);
	raise(SIGRTMIN);
}

/* Sets the handler of each signal of raise_batch, blocking mask while it runs. */
static void
order_handlers(const sigset_t *mask)
{
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM, SIGRTMIN, SIGRTMIN + 1 };

	for (int i = 0; i < 5; i++) {
		if (mask)
			on(sigs[i], order_handler, 0, mask);
		else
			signal(sigs[i], SIG_DFL);
	}
}

static void
order_tests(void)
{
	sigset_t all, old, pend, none;

	/*
	 * Each handler blocks only its own signal, so all are set up at once
	 * and the last frame built (the highest number) runs first.
	 */
	sigemptyset(&none);
	sigfillset(&all);
	order_handlers(&none);
	sigprocmask(SIG_BLOCK, &all, &old);
	raise_batch();
	sigpending(&pend);
	check(sigismember(&pend, SIGRTMIN) && sigismember(&pend, SIGTERM),
	      "all blocked: 5 signals pending");
	tlen = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	trace[tlen] = 0;
	check(!strcmp(trace, "RrT21"), "unblocked, handlers defer only themselves: %s", trace);

	/* Handlers that block everything run one after the other, lowest first. */
	order_handlers(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	raise_batch();
	tlen = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	trace[tlen] = 0;
	check(!strcmp(trace, "12TrR"), "unblocked, handlers block all: %s", trace);

	/* Real-time signals queue: each one sent is delivered; standard ones do not. */
	sigprocmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < 3; i++) {
		raise(SIGRTMIN);
		raise(SIGUSR1);
	}
	tlen = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	trace[tlen] = 0;
	check(!strcmp(trace, "1rrr"), "SIGRTMIN and SIGUSR1 sent 3 times each while blocked: %s",
	      trace);
	order_handlers(NULL);
}

/* ---- sigwaitinfo, sigtimedwait ---- */

static void
wait_tests(void)
{
	sigset_t usr1, usr12;
	siginfo_t si;
	struct timespec ts = { 0, 50 * 1000000L }, zero = { 0, 0 }, bad = { 0, 1000000000L };
	long t0;
	pid_t pid;

	set_of(&usr1, SIGUSR1);
	set_of(&usr12, SIGUSR1);
	sigaddset(&usr12, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr12, NULL);
	raise(SIGUSR2);
	memset(&si, 0, sizeof(si));
	expect(sigwaitinfo(&usr12, &si), SIGUSR2, "sigwaitinfo, SIGUSR2 pending");
	check(si.si_signo == SIGUSR2 && si.si_code == SI_TKILL && si.si_pid == getpid(),
	      "its siginfo: %s %s, si_pid is getpid()", signame(si.si_signo), codename(si.si_code));
	sigpending(&usr12);
	check(!sigismember(&usr12, SIGUSR2), "taken: no longer pending");

	t0 = now_ms();
	expect(res(sigtimedwait(&usr1, &si, &ts)), -EAGAIN, "sigtimedwait 50 ms, nothing comes");
	check(now_ms() - t0 >= 50, "it waited at least 50 ms");
	expect(res(sigtimedwait(&usr1, &si, &zero)), -EAGAIN, "sigtimedwait 0 s");
	expect(res(sigtimedwait(&usr1, &si, &bad)), -EINVAL, "sigtimedwait tv_nsec 1e9");

	/* A signal sent later by a child wakes it. */
	pid = spawn();
	if (pid == 0) {
		sleep_ms(100);
		_exit(kill(getppid(), SIGUSR1) < 0);
	}
	ts = (struct timespec){ 10, 0 };
	expect(sigtimedwait(&usr1, &si, &ts), SIGUSR1, "sigtimedwait woken by a child's kill");
	check(si.si_code == SI_USER && si.si_pid == pid, "its siginfo: %s, si_pid is the child's",
	      codename(si.si_code));
	expect_status(pid, "exit 0", "the child");

	/* Another signal, with a handler, ends the wait with EINTR (musl's sigtimedwait retries). */
	on(SIGUSR2, count_handler, 0, NULL);
	set_of(&usr12, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &usr12, NULL);
	hits = 0;
	pid = spawn();
	if (pid == 0) {
		sleep_ms(100);
		_exit(kill(getppid(), SIGUSR2) < 0);
	}
	ts = (struct timespec){ 10, 0 };
	expect(res(syscall(SYS_rt_sigtimedwait, &usr1, &si, &ts, _NSIG / 8)), -EINTR,
	       "rt_sigtimedwait, another signal's handler runs");
	expect(hits, 1, "that handler ran");
	expect_status(pid, "exit 0", "the child");
	unblock_all();
	signal(SIGUSR2, SIG_DFL);
}

/* ---- sigsuspend and pause ---- */

static void
suspend_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)si;
	self_blocked = blocked_now(sig);
	other_blocked = blocked_now(SIGUSR2);
	uc_mask_ok = sigismember(&uc->uc_sigmask, SIGUSR1) && sigismember(&uc->uc_sigmask, SIGUSR2);
	hits++;
}

/* A child that sends sig to its parent every 20 ms until killed. */
static pid_t
nagger(int sig)
{
	pid_t pid = spawn();

	if (pid == 0) {
		for (;;) {
			sleep_ms(20);
			kill(getppid(), sig);
		}
	}
	return pid;
}

static void
suspend_tests(void)
{
	sigset_t usr12, none;
	pid_t pid;
	int r;

	set_of(&usr12, SIGUSR1);
	sigaddset(&usr12, SIGUSR2);
	sigemptyset(&none);
	on(SIGUSR1, suspend_handler, SA_SIGINFO, NULL);
	sigprocmask(SIG_BLOCK, &usr12, NULL);
	hits = 0;
	pid = spawn();
	if (pid == 0) {
		sleep_ms(50);
		_exit(kill(getppid(), SIGUSR1) < 0);
	}
	r = sigsuspend(&none);
	expect(r < 0 ? -errno : r, -EINTR, "sigsuspend woken by a child's SIGUSR1");
	check(hits == 1 && self_blocked && !other_blocked,
	      "in the handler: SIGUSR1 blocked %d, SIGUSR2 (not in sigsuspend's mask) %d",
	      self_blocked, other_blocked);
	check(uc_mask_ok, "uc_sigmask is the mask from before sigsuspend");
	check(blocked_now(SIGUSR1) && blocked_now(SIGUSR2), "after sigsuspend: the old mask is back");
	expect_status(pid, "exit 0", "the child");

	/* Already pending: sigsuspend returns at once. */
	hits = 0;
	raise(SIGUSR1);
	r = sigsuspend(&none);
	expect(r < 0 ? -errno : r, -EINTR, "sigsuspend with SIGUSR1 already pending");
	expect(hits, 1, "its handler ran");
	unblock_all();

	on(SIGUSR2, count_handler, 0, NULL);
	hits = 0;
	pid = nagger(SIGUSR2);
	r = pause();
	expect(r < 0 ? -errno : r, -EINTR, "pause woken by a handler");
	kill(pid, SIGKILL);
	expect_status(pid, "signal SIGKILL", "the nagging child");
	check(hits >= 1, "the handler ran");
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- kill and process groups ---- */

/* Waits up to 5 s for sig; exit code bit from whether si_pid is want. */
static int
await_from(int sig, pid_t want)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = { 5, 0 };

	set_of(&set, sig);
	if (sigtimedwait(&set, &si, &ts) != sig)
		return 1;
	return si.si_code == SI_USER && si.si_pid == want ? 0 : 2;
}

static void
group_tests(void)
{
	sigset_t usr12, pend;
	int sync[2];
	char c;
	pid_t leader;

	set_of(&usr12, SIGUSR1);
	sigaddset(&usr12, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr12, NULL);
	main_pid = getpid();
	pipe(sync);
	/*
	 * A leader of a new group with two children: all three get main's
	 * kill(-leader, SIGUSR1), then the leader's kill(0, SIGUSR2).
	 */
	leader = spawn();
	if (leader == 0) {
		pid_t kids[2];
		int bad = 0;

		setpgid(0, 0);
		for (int i = 0; i < 2; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				int r = await_from(SIGUSR1, main_pid);

				_exit(r ? r : await_from(SIGUSR2, getppid()) << 2);
			}
		}
		write(sync[1], "x", 1);
		bad |= await_from(SIGUSR1, main_pid);
		bad |= kill(0, SIGUSR2) < 0;
		bad |= await_from(SIGUSR2, getpid()) << 2;
		for (int i = 0; i < 2; i++) {
			int st;

			waitpid(kids[i], &st, 0);
			bad |= (!WIFEXITED(st) || WEXITSTATUS(st)) << 4;
		}
		_exit(bad);
	}
	setpgid(leader, leader);
	close(sync[1]);
	read(sync[0], &c, 1);
	close(sync[0]);
	expect(res(kill(-leader, SIGUSR1)), 0, "kill(-pgid, SIGUSR1) to a group of three");
	expect_status(leader, "exit 0", "leader and children each got it, then kill(0, SIGUSR2)");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR2), "kill(0) did not reach the caller's parent group");
	expect(res(kill(-leader, 0)), -ESRCH, "kill(-pgid, 0) once the group is gone");
	expect(res(kill(leader, 0)), -ESRCH, "kill(pid, 0) of a reaped child");
	expect(res(kill(0, 0)), 0, "kill(0, 0)");
	leader = spawn();
	if (leader == 0)
		for (;;)
			pause();
	expect(res(kill(-1, 0)), 0, "kill(-1, 0), with a child there");
	kill(leader, SIGKILL);
	expect_status(leader, "signal SIGKILL", "that child");
	expect(res(kill(getpid(), 0)), 0, "kill(getpid(), 0)");
	expect(res(kill(getpid(), 65)), -EINVAL, "kill with signal 65");
	expect(res(kill(getpid(), -1)), -EINVAL, "kill with signal -1");
	expect(res(kill(INT_MIN, 0)), -ESRCH, "kill(INT_MIN, 0)");
	unblock_all();
}

/* ---- FPU and SSE state around a handler ---- */

static uint8_t xmm_in[16][16], xmm_out[16][16], xmm_seen[16];
static volatile uint16_t handler_fcw, saved_fcw;
static volatile uint32_t handler_mxcsr, saved_mxcsr;

/* Leaves every xmm register, the x87 control word, MXCSR and an x87 push changed. */
static void
fpu_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint16_t fcw = 0x0c7f;
	uint32_t mx = 0x3f80;
	uint16_t cw;
	uint32_t m;

	(void)sig;
	(void)si;
	asm volatile("fnstcw %0; stmxcsr %1" : "=m"(cw), "=m"(m));
	handler_fcw = cw;
	handler_mxcsr = m;
	saved_fcw = uc->uc_mcontext.fpregs->cwd;
	saved_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
	memcpy(xmm_seen, &uc->uc_mcontext.fpregs->_xmm[5], 16);
	asm volatile("pcmpeqd %%xmm0, %%xmm0\n\tpcmpeqd %%xmm1, %%xmm1\n\t"
		     "pcmpeqd %%xmm2, %%xmm2\n\tpcmpeqd %%xmm3, %%xmm3\n\t"
		     "pcmpeqd %%xmm4, %%xmm4\n\tpcmpeqd %%xmm5, %%xmm5\n\t"
		     "pcmpeqd %%xmm6, %%xmm6\n\tpcmpeqd %%xmm7, %%xmm7\n\t"
		     "pcmpeqd %%xmm8, %%xmm8\n\tpcmpeqd %%xmm9, %%xmm9\n\t"
		     "pcmpeqd %%xmm10, %%xmm10\n\tpcmpeqd %%xmm11, %%xmm11\n\t"
		     "pcmpeqd %%xmm12, %%xmm12\n\tpcmpeqd %%xmm13, %%xmm13\n\t"
		     "pcmpeqd %%xmm14, %%xmm14\n\tpcmpeqd %%xmm15, %%xmm15\n\t"
		     "fldcw %0\n\tldmxcsr %1\n\tfld1\n\tfld1"
		     : : "m"(fcw), "m"(mx)
		     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
		       "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory");
	hits++;
}

static void
fpu_tests(void)
{
	uint16_t fcw_in = FCW_TRUNCATE, fcw_out, fcw_def = FCW_DEFAULT;
	uint32_t mx_in = MXCSR_TRUNCATE, mx_out, mx_def = MXCSR_DEFAULT;
	static const long double pi = 3.14159265358979323846264L;
	long double st0 = 0;
	long pid = getpid();

	for (int r = 0; r < 16; r++)
		for (int b = 0; b < 16; b++)
			xmm_in[r][b] = (uint8_t)(r * 16 + b + 1);
	on(SIGUSR1, fpu_handler, SA_SIGINFO, NULL);
	hits = 0;
	/* Registers are loaded, a kill(self) is made, and they are read back: no C in between. */
	asm volatile("fldcw %[fcwin]\n\tldmxcsr %[mxin]\n\t"
		     "movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\t"
		     "movdqu 32(%[in]), %%xmm2\n\tmovdqu 48(%[in]), %%xmm3\n\t"
		     "movdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\t"
		     "movdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\t"
		     "movdqu 128(%[in]), %%xmm8\n\tmovdqu 144(%[in]), %%xmm9\n\t"
		     "movdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
		     "movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\t"
		     "movdqu 224(%[in]), %%xmm14\n\tmovdqu 240(%[in]), %%xmm15\n\t"
		     "fldt %[pi]\n\t"
		     "movl %[nr], %%eax\n\tmovq %[pid], %%rdi\n\tmovl %[sig], %%esi\n\tsyscall\n\t"
		     "fstpt %[st0]\n\t"
		     "movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\t"
		     "movdqu %%xmm2, 32(%[out])\n\tmovdqu %%xmm3, 48(%[out])\n\t"
		     "movdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\t"
		     "movdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\t"
		     "movdqu %%xmm8, 128(%[out])\n\tmovdqu %%xmm9, 144(%[out])\n\t"
		     "movdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
		     "movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\t"
		     "movdqu %%xmm14, 224(%[out])\n\tmovdqu %%xmm15, 240(%[out])\n\t"
		     "fnstcw %[fcwout]\n\tstmxcsr %[mxout]\n\t"
		     "fldcw %[fcwdef]\n\tldmxcsr %[mxdef]"
		     : [st0] "=m"(st0), [fcwout] "=m"(fcw_out), [mxout] "=m"(mx_out)
		     : [in] "r"(xmm_in), [out] "r"(xmm_out), [fcwin] "m"(fcw_in), [mxin] "m"(mx_in),
		       [fcwdef] "m"(fcw_def), [mxdef] "m"(mx_def), [nr] "i"(SYS_kill),
		       [pid] "m"(pid), [sig] "i"(SIGUSR1), [pi] "m"(pi)
		     : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "memory", "xmm0", "xmm1", "xmm2",
		       "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		       "xmm12", "xmm13", "xmm14", "xmm15");
	expect(hits, 1, "handler between loading and reading the FPU/SSE registers");
	check(handler_fcw == FCW_DEFAULT && handler_mxcsr == MXCSR_DEFAULT,
	      "the handler starts with a clean state: FCW %#x MXCSR %#x",
	      (unsigned)handler_fcw, (unsigned)handler_mxcsr);
	check(saved_fcw == FCW_TRUNCATE && saved_mxcsr == MXCSR_TRUNCATE &&
	      !memcmp(xmm_seen, xmm_in[5], 16),
	      "uc_mcontext.fpregs has the interrupted FCW %#x, MXCSR %#x and xmm5",
	      (unsigned)saved_fcw, (unsigned)saved_mxcsr);
	check(!memcmp(xmm_in, xmm_out, sizeof(xmm_in)), "xmm0-15 unchanged after the handler");
	check(fcw_out == FCW_TRUNCATE && mx_out == MXCSR_TRUNCATE,
	      "x87 control word %#x and MXCSR %#x unchanged", (unsigned)fcw_out, (unsigned)mx_out);
	check(!memcmp(&st0, &pi, 10), "x87 st(0) still holds pi (the handler pushed two)");
	signal(SIGUSR1, SIG_DFL);
}

/* ---- the ucontext: a handler moves rip past a faulting load and sets rax ---- */

extern char skip_fault[], skip_after[];
int skip_test(void);
asm(".text\n"
    ".globl skip_test\n"
    ".type skip_test, @function\n"
    "skip_test:\n"
    "	movl $7, %eax\n"
    "skip_fault:\n"
    "	movl 0x10, %eax\n"		/* a load from address 0x10: unmapped */
    "skip_after:\n"
    "	ret\n"
    ".size skip_test, . - skip_test\n");

static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void
skip_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	fault_addr = (uintptr_t)si->si_addr;
	fault_code = si->si_code;
	if (uc->uc_mcontext.gregs[REG_RIP] == (greg_t)(uintptr_t)skip_fault) {
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)skip_after;
		uc->uc_mcontext.gregs[REG_RAX] = 42;
	}
	hits++;
}

static void
ucontext_tests(void)
{
	int r;

	on(SIGSEGV, skip_handler, SA_SIGINFO, NULL);
	hits = 0;
	r = skip_test();
	expect(r, 42, "a load from 0x10 skipped by advancing REG_RIP, REG_RAX set");
	check(hits == 1 && fault_addr == 0x10 && fault_code == SEGV_MAPERR,
	      "its siginfo: %s, si_addr 0x%lx", codename(fault_code), (unsigned long)fault_addr);
	r = skip_test();
	expect(r, 42, "and again (the handler stays)");
	signal(SIGSEGV, SIG_DFL);
}

/* ---- sigaltstack ---- */

static char *alt_base;
static volatile sig_atomic_t on_alt, alt_flags, alt_change;

static void
alt_handler(int sig)
{
	char local;
	stack_t now, other = { .ss_sp = alt_base, .ss_size = ALTSTACK_SIZE };

	(void)sig;
	on_alt = &local >= alt_base && &local < alt_base + ALTSTACK_SIZE;
	sigaltstack(NULL, &now);
	alt_flags = now.ss_flags;
	alt_change = sigaltstack(&other, NULL) < 0 ? errno : 0;
	hits++;
}

static void
overflow(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	if (n > 0)
		overflow(n + 1);
	pad[1] = pad[0];
}

static void
overflow_handler(int sig)
{
	char local;

	(void)sig;
	_exit(&local >= alt_base && &local < alt_base + ALTSTACK_SIZE ? 42 : 43);
}

static void
altstack_tests(void)
{
	stack_t ss, old;
	pid_t pid;

	alt_base = malloc(ALTSTACK_SIZE);
	sigaltstack(NULL, &old);
	check(old.ss_flags == SS_DISABLE, "at start: ss_flags SS_DISABLE");
	ss = (stack_t){ .ss_sp = alt_base, .ss_size = MINSIGSTKSZ - 1 };
	expect(res(sigaltstack(&ss, NULL)), -ENOMEM, "sigaltstack of MINSIGSTKSZ - 1 bytes");
	ss = (stack_t){ .ss_sp = alt_base, .ss_size = ALTSTACK_SIZE, .ss_flags = 12345 };
	expect(res(sigaltstack(&ss, NULL)), -EINVAL, "sigaltstack with bad flags");
	ss.ss_flags = 0;
	expect(res(sigaltstack(&ss, NULL)), 0, "sigaltstack of 64 KiB");
	sigaltstack(NULL, &old);
	check(old.ss_sp == alt_base && old.ss_size == ALTSTACK_SIZE && old.ss_flags == 0,
	      "read back: same stack, ss_flags 0");

	on(SIGUSR1, alt_handler, SA_ONSTACK, NULL);
	hits = 0;
	raise(SIGUSR1);
	check(hits == 1 && on_alt, "SA_ONSTACK handler: a local is on the alternate stack");
	check(alt_flags == SS_ONSTACK, "inside it sigaltstack says SS_ONSTACK");
	expect(-alt_change, -EPERM, "changing the stack while on it");

	on(SIGUSR1, alt_handler, 0, NULL);
	raise(SIGUSR1);
	check(!on_alt && alt_flags == 0, "without SA_ONSTACK: on the normal stack, ss_flags 0");

	ss = (stack_t){ .ss_flags = SS_DISABLE };
	expect(res(sigaltstack(&ss, NULL)), 0, "SS_DISABLE");
	on(SIGUSR1, alt_handler, SA_ONSTACK, NULL);
	raise(SIGUSR1);
	check(!on_alt && alt_flags == SS_DISABLE, "SA_ONSTACK, stack disabled: on the normal stack");
	signal(SIGUSR1, SIG_DFL);
	ss = (stack_t){ .ss_flags = SS_DISABLE };
	sigaltstack(&ss, NULL);		/* the handler set it again */

	/* A stack overflow: only a handler on the alternate stack can run. */
	pid = spawn();
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		ss = (stack_t){ .ss_sp = alt_base, .ss_size = ALTSTACK_SIZE };
		sigaltstack(&ss, NULL);
		on(SIGSEGV, overflow_handler, SA_ONSTACK, NULL);
		overflow(1);
		_exit(1);
	}
	expect_status(pid, "exit 42", "stack overflow, SIGSEGV handler on the alternate stack");
	pid = spawn();
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		on(SIGSEGV, overflow_handler, 0, NULL);
		overflow(1);
		_exit(1);
	}
	expect_status(pid, "signal SIGSEGV", "stack overflow, handler without an alternate stack");
}

/* ---- pid 1 ---- */

/*
 * What Linux does for init: a signal it has no handler for is dropped
 * when sent (SIGKILL too), unless init blocks it: then it stays pending
 * for sigwaitinfo. Runs as pid 1 (prints its lines, returns failures).
 */
static int
init_checks(void)
{
	sigset_t usr2, pend;
	siginfo_t si;
	struct timespec ts = { 1, 0 };
	pid_t pid;

	signal(SIGUSR1, SIG_DFL);
	pid = spawn();
	if (pid == 0)
		_exit(kill(1, SIGUSR1) < 0 || kill(1, SIGKILL) < 0 || kill(1, SIGTERM) < 0);
	expect_status(pid, "exit 0", "as pid 1: a child sends SIGUSR1, SIGKILL, SIGTERM (no handlers)");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "pid 1 lives on and nothing is pending");

	set_of(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	pid = spawn();
	if (pid == 0)
		_exit(kill(1, SIGUSR2) < 0);
	expect_status(pid, "exit 0", "as pid 1, SIGUSR2 blocked: a child sends it");
	expect(res(sigtimedwait(&usr2, &si, &ts)), SIGUSR2, "pid 1's sigtimedwait gets it");

	on(SIGUSR1, count_handler, 0, NULL);
	hits = 0;
	pid = spawn();
	if (pid == 0)
		_exit(kill(1, SIGUSR1) < 0);
	expect_status(pid, "exit 0", "as pid 1 with a SIGUSR1 handler: a child sends it");
	expect(hits, 1, "pid 1's handler ran");
	unblock_all();
	signal(SIGUSR1, SIG_DFL);
	return check_failed;
}

/* init_checks as pid 1: this is NexaOS's init, or (Linux) pid 1 of a new PID namespace. */
static void
init_tests(void)
{
	pid_t helper;

	if (getpid() == 1) {
		int bad = init_checks();

		/* The line Linux's run prints for its pid 1 in a namespace. */
		check(!bad, "the pid 1 checks: %s", bad ? "exit 1" : "exit 0");
		return;
	}
	helper = spawn();
	if (helper == 0) {
		pid_t init;
		int st;

		if (unshare(CLONE_NEWPID) < 0) {
			printf(NAME ": pid 1 checks skipped: no PID namespace (%s)\n", errname(errno));
			_exit(0);
		}
		init = spawn();
		if (init == 0)
			_exit(init_checks() ? 1 : 0);
		waitpid(init, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	}
	expect_status(helper, "exit 0", "the pid 1 checks");
}

/* Everything but init_tests, in a child: pid 1 would not even get its blocked signals. */
static void
run_tests(void)
{
	siginfo_tests();
	mask_tests();
	nest_tests();
	resethand_tests();
	mask_and_pending_tests();
	order_tests();
	wait_tests();
	suspend_tests();
	group_tests();
	fpu_tests();
	ucontext_tests();
	altstack_tests();
}

int
main(void)
{
	pid_t pid;

	check_init(NAME);
	default_signals();
	pid = spawn();
	if (pid == 0) {
		run_tests();
		_exit(check_summary() ? 1 : 0);
	}
	expect_status(pid, "exit 0", "the tests in a child process");
	init_tests();
	return check_done();
}
