/*
 * futex(2) as Linux runs it: FUTEX_WAIT's value check (EAGAIN) and its
 * timeouts (relative, and FUTEX_WAIT_BITSET's absolute ones on both
 * clocks), FUTEX_WAKE's counts, bitsets, requeueing, FUTEX_PRIVATE_FLAG,
 * the errors (EFAULT, EINVAL, ENOSYS), signals (EINTR, SA_RESTART,
 * blocked and ignored ones), words shared by processes through MAP_SHARED
 * anonymous memory and through a /dev/shm file mapped at different
 * addresses, a futex mutex (Drepper's, states 0/1/2) hammered by four
 * processes, and a ping-pong. Waiters are processes (NexaOS has no
 * threads): a test waits until /proc says the waiter sleeps before it
 * wakes it. The grader compares every line with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME		"futex"
#define PAGE		4096
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define KERNEL_ADDRESS	0xffff800000001000UL	/* above user space */
#define LONG_WAIT_S	20		/* a waiter's timeout: only a broken wake meets it */
#define STRESS_PROCS	4
#define STRESS_ITERS	10000		/* lock/unlock per process */
#define PINGPONG_ROUNDS	10000
#define HANG_MS		60000		/* a stress run longer than this hung */

static char shm_path[64];		/* a file of /dev/shm, named by our pid */

/* futex(2) itself: its result, or -errno. */
static long
fx(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
	return res(syscall(SYS_futex, uaddr, op, val, ts, NULL, val3));
}

/* FUTEX_(CMP_)REQUEUE: wakes n of uaddr's waiters, moves up to n2 more to uaddr2. */
static long
requeue(volatile uint32_t *uaddr, int op, int n, int n2, volatile uint32_t *uaddr2, uint32_t val3)
{
	return res(syscall(SYS_futex, uaddr, op, n, (long)n2, uaddr2, val3));
}

/* Waits (10 s at most) until *v reaches want. */
static int
wait_for(volatile int *v, int want)
{
	for (int i = 0; i < 10000 && __atomic_load_n(v, __ATOMIC_SEQ_CST) < want; i++)
		sleep_ms(1);
	return __atomic_load_n(v, __ATOMIC_SEQ_CST) >= want;
}

/* What a waiting child leaves for the parent. */
struct board {
	uint32_t word;			/* the futex word; at offset 0 */
	uint32_t word2;
	volatile int ready, done, handled;
	volatile long result[8];	/* each waiter's futex result (or -errno) */
};

/* ---- errors and timeouts, in one process ---- */

static void
value_tests(void)
{
	static uint32_t word = 1;

	expect(fx(&word, FUTEX_WAIT, 0, NULL, 0), -EAGAIN, "FUTEX_WAIT, the word differs");
	expect(fx(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, NULL, 0), -EAGAIN,
	       "FUTEX_WAIT|FUTEX_PRIVATE_FLAG, the word differs");
	expect(fx(&word, FUTEX_WAIT_BITSET, 0, NULL, 1), -EAGAIN,
	       "FUTEX_WAIT_BITSET, the word differs");
	struct timespec zero = { 0, 0 };
	expect(fx(&word, FUTEX_WAIT, 0, &zero, 0), -EAGAIN,
	       "FUTEX_WAIT with a zero timeout, the word differs");
	expect(fx(&word, FUTEX_WAKE, 1, NULL, 0), 0, "FUTEX_WAKE with no waiter");
	expect(fx(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG with no waiter");
	expect(fx(&word, FUTEX_WAKE_BITSET, 1, NULL, 0xff), 0, "FUTEX_WAKE_BITSET with no waiter");
}

/* FUTEX_WAIT with a relative timeout of ms: ETIMEDOUT, not before it. */
static void
relative_timeout(uint32_t *word, int op, int ms, const char *what)
{
	struct timespec ts = ts_of(ms * 1000000LL);
	long long t0 = ns_of(CLOCK_MONOTONIC);

	expect(fx(word, op, *word, &ts, 0), -ETIMEDOUT, "%s", what);
	long long waited = ns_of(CLOCK_MONOTONIC) - t0;
	check(waited >= ms * 1000000LL - 2000000 && waited < 15000000000LL,
	      "%s slept for its timeout", what);
}

/* FUTEX_WAIT_BITSET until ms from now on clock: ETIMEDOUT, not before. */
static void
absolute_timeout(uint32_t *word, int op, clockid_t clock, int ms, const char *what)
{
	long long deadline = ns_of(clock) + ms * 1000000LL;
	struct timespec ts = ts_of(deadline);

	expect(fx(word, op, *word, &ts, 0xffffffff), -ETIMEDOUT, "%s", what);
	long long now = ns_of(clock);
	check(now >= deadline - 2000000 && now < deadline + 15000000000LL,
	      "%s returned at its deadline", what);
}

static void
timeout_tests(void)
{
	static uint32_t word = 7;
	struct timespec zero = { 0, 0 }, bad_ns = { 0, 1000000000 }, neg = { -1, 0 };

	relative_timeout(&word, FUTEX_WAIT, 50, "FUTEX_WAIT with a 50 ms timeout");
	relative_timeout(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 20,
			 "FUTEX_WAIT|FUTEX_PRIVATE_FLAG with a 20 ms timeout");
	absolute_timeout(&word, FUTEX_WAIT_BITSET, CLOCK_MONOTONIC, 50,
			 "FUTEX_WAIT_BITSET until CLOCK_MONOTONIC + 50 ms");
	absolute_timeout(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, CLOCK_REALTIME, 50,
			 "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME until CLOCK_REALTIME + 50 ms");
	absolute_timeout(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, CLOCK_MONOTONIC, 20,
			 "FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG until CLOCK_MONOTONIC + 20 ms");
	expect(fx(&word, FUTEX_WAIT, 7, &zero, 0), -ETIMEDOUT, "FUTEX_WAIT with a zero timeout");
	expect(fx(&word, FUTEX_WAIT_BITSET, 7, &zero, 1), -ETIMEDOUT,
	       "FUTEX_WAIT_BITSET until CLOCK_MONOTONIC 0 (past)");
	expect(fx(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 7, &zero, 1), -ETIMEDOUT,
	       "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME until 1970 (past)");
	expect(fx(&word, FUTEX_WAIT, 7, &bad_ns, 0), -EINVAL, "FUTEX_WAIT, tv_nsec 1000000000");
	expect(fx(&word, FUTEX_WAIT, 7, &neg, 0), -EINVAL, "FUTEX_WAIT, tv_sec -1");
	expect(fx(&word, FUTEX_WAIT_BITSET, 7, &bad_ns, 1), -EINVAL,
	       "FUTEX_WAIT_BITSET, tv_nsec 1000000000");
	expect(fx(&word, FUTEX_WAIT, 7, (struct timespec *)8, 0), -EFAULT,
	       "FUTEX_WAIT, the timeout at address 8");
}

static void
error_tests(void)
{
	uint32_t *page = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *hole = (uint32_t *)((char *)page + PAGE);
	uint32_t *ro = (uint32_t *)((char *)page + 2 * PAGE);
	struct timespec short_wait = { 0, 10000000 };
	uint32_t *none, *shared_ro;

	if (page == MAP_FAILED) {
		check(0, "mmap for the error tests: %s", errname(errno));
		return;
	}
	munmap(hole, PAGE);
	mprotect(ro, PAGE, PROT_READ);
	none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared_ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	expect(fx(NULL, FUTEX_WAIT, 0, NULL, 0), -EFAULT, "FUTEX_WAIT on NULL");
	expect(fx(hole, FUTEX_WAIT, 0, NULL, 0), -EFAULT, "FUTEX_WAIT on an unmapped page");
	expect(fx(hole, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, 0), -EFAULT,
	       "FUTEX_WAIT|FUTEX_PRIVATE_FLAG on an unmapped page");
	expect(fx(none, FUTEX_WAIT, 0, NULL, 0), -EFAULT, "FUTEX_WAIT on a PROT_NONE page");
	expect(fx((uint32_t *)KERNEL_ADDRESS, FUTEX_WAIT, 0, NULL, 0), -EFAULT,
	       "FUTEX_WAIT on a kernel address");
	expect(fx(hole, FUTEX_WAKE, 1, NULL, 0), -EFAULT, "FUTEX_WAKE on an unmapped page");
	expect(fx((uint32_t *)KERNEL_ADDRESS, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0), -EFAULT,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG on a kernel address");
	expect(fx(hole, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG on an unmapped page");
	expect(fx(NULL, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG on NULL");
	/* A read-only anonymous page never changes: only a private futex may use it. */
	expect(fx(ro, FUTEX_WAIT, 0, &short_wait, 0), -EFAULT,
	       "FUTEX_WAIT on a read-only MAP_PRIVATE anonymous page");
	expect(fx(ro, FUTEX_WAKE, 1, NULL, 0), -EFAULT,
	       "FUTEX_WAKE on a read-only MAP_PRIVATE anonymous page");
	expect(fx(ro, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &short_wait, 0), -ETIMEDOUT,
	       "FUTEX_WAIT|FUTEX_PRIVATE_FLAG on it (10 ms)");
	expect(fx(ro, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG on it");
	expect(fx(shared_ro, FUTEX_WAIT, 0, &short_wait, 0), -ETIMEDOUT,
	       "FUTEX_WAIT on a read-only MAP_SHARED anonymous page (10 ms)");
	expect(fx(shared_ro, FUTEX_WAKE, 1, NULL, 0), 0,
	       "FUTEX_WAKE on a read-only MAP_SHARED anonymous page");
	expect(fx((uint32_t *)((char *)page + 1), FUTEX_WAIT, 0, NULL, 0), -EINVAL,
	       "FUTEX_WAIT on a misaligned word");
	expect(fx((uint32_t *)((char *)page + 2), FUTEX_WAKE, 1, NULL, 0), -EINVAL,
	       "FUTEX_WAKE on a misaligned word");
	expect(fx((uint32_t *)((char *)hole + 1), FUTEX_WAKE, 1, NULL, 0), -EINVAL,
	       "FUTEX_WAKE on a misaligned word of an unmapped page");
	expect(fx(page, FUTEX_WAIT_BITSET, 0, NULL, 0), -EINVAL, "FUTEX_WAIT_BITSET, bitset 0");
	expect(fx(page, FUTEX_WAKE_BITSET, 1, NULL, 0), -EINVAL, "FUTEX_WAKE_BITSET, bitset 0");
	expect(fx(page, 20, 0, NULL, 0), -ENOSYS, "futex op 20");
	expect(fx(page, 20 | FUTEX_PRIVATE_FLAG, 0, NULL, 0), -ENOSYS,
	       "futex op 20|FUTEX_PRIVATE_FLAG");
	expect(fx(page, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, 0), -ENOSYS,
	       "FUTEX_WAKE|FUTEX_CLOCK_REALTIME");
	munmap(page, 3 * PAGE);
	munmap(none, PAGE);
	munmap(shared_ro, PAGE);
}

/* ---- waking, across processes ---- */

/* A child that waits on *word (op, bitset) for its value 0 and leaves its result in slot. */
static pid_t
waiter(struct board *b, volatile uint32_t *word, int op, uint32_t bitset, int slot)
{
	pid_t pid = spawn();

	if (pid == 0) {
		struct timespec ts = { LONG_WAIT_S, 0 };

		if ((op & 127) == FUTEX_WAIT_BITSET)
			ts = ts_of(ns_of(CLOCK_MONOTONIC) + LONG_WAIT_S * 1000000000LL);
		__atomic_add_fetch(&b->ready, 1, __ATOMIC_SEQ_CST);
		b->result[slot] = fx(word, op, 0, &ts, bitset);
		__atomic_add_fetch(&b->done, 1, __ATOMIC_SEQ_CST);
		_exit(0);
	}
	return pid;
}

static void
wake_count_tests(void)
{
	struct board *b = shared_anon(PAGE);
	pid_t pid[3];

	/* The waker never touched the page: the wake still finds the waiter. */
	pid[0] = waiter(b, &b->word, FUTEX_WAIT, 0, 0);
	check(wait_asleep(pid[0]), "a waiter on a fresh shared page sleeps");
	expect(fx(&b->word, FUTEX_WAKE, 1, NULL, 0), 1,
	       "FUTEX_WAKE 1 from a process that never touched the page");
	expect_status(pid[0], "exit 0", "the waiter");
	expect(b->result[0], 0, "its FUTEX_WAIT");

	b->ready = b->done = 0;
	for (int i = 0; i < 3; i++)
		pid[i] = waiter(b, &b->word, FUTEX_WAIT, 0, i);
	int all = 1;
	for (int i = 0; i < 3; i++)
		all &= wait_asleep(pid[i]);
	check(all && b->ready == 3, "three waiters sleep");
	expect(fx(&b->word, FUTEX_WAKE, 1, NULL, 0), 1, "FUTEX_WAKE 1 with three waiters");
	check(wait_for(&b->done, 1), "one waiter returned");
	sleep_ms(100);
	check(b->done == 1, "the two others still wait");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 2, "FUTEX_WAKE INT_MAX");
	for (int i = 0; i < 3; i++) {
		expect_status(pid[i], "exit 0", "waiter %d", i);
		expect(b->result[i], 0, "waiter %d's FUTEX_WAIT", i);
	}
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 0, "FUTEX_WAKE INT_MAX once they are gone");

	/* Two words on one page: a wake of one leaves the other's waiter alone. */
	b->done = 0;
	pid[0] = waiter(b, &b->word, FUTEX_WAIT, 0, 0);
	pid[1] = waiter(b, &b->word2, FUTEX_WAIT, 0, 1);
	check(wait_asleep(pid[0]) && wait_asleep(pid[1]), "a waiter on each of two words sleeps");
	expect(fx(&b->word2, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE of the second word");
	expect_status(pid[1], "exit 0", "its waiter");
	check(proc_state(pid[0]) == 'S', "the first word's waiter still sleeps");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE of the first word");
	expect_status(pid[0], "exit 0", "its waiter");
	munmap(b, PAGE);
}

static void
bitset_tests(void)
{
	struct board *b = shared_anon(PAGE);
	pid_t a, c, d;

	a = waiter(b, &b->word, FUTEX_WAIT_BITSET, 0x1, 0);
	c = waiter(b, &b->word, FUTEX_WAIT_BITSET, 0x6, 1);
	check(wait_asleep(a) && wait_asleep(c), "waiters with bitsets 0x1 and 0x6 sleep");
	expect(fx(&b->word, FUTEX_WAKE_BITSET, INT_MAX, NULL, 0x8), 0,
	       "FUTEX_WAKE_BITSET 0x8 (disjoint)");
	expect(fx(&b->word, FUTEX_WAKE_BITSET, INT_MAX, NULL, 0x4), 1, "FUTEX_WAKE_BITSET 0x4");
	expect_status(c, "exit 0", "the 0x6 waiter");
	expect(b->result[1], 0, "its FUTEX_WAIT_BITSET");
	check(proc_state(a) == 'S', "the 0x1 waiter still sleeps");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE (every bit)");
	expect_status(a, "exit 0", "the 0x1 waiter");
	expect(b->result[0], 0, "its FUTEX_WAIT_BITSET");

	d = waiter(b, &b->word, FUTEX_WAIT, 0, 2);
	check(wait_asleep(d), "a FUTEX_WAIT waiter sleeps");
	expect(fx(&b->word, FUTEX_WAKE_BITSET, INT_MAX, NULL, 0x80000000), 1,
	       "FUTEX_WAKE_BITSET 0x80000000 wakes FUTEX_WAIT");
	expect_status(d, "exit 0", "the FUTEX_WAIT waiter");
	munmap(b, PAGE);
}

/* Requeueing: waiters move from one word to another without waking. */
static void
requeue_tests(void)
{
	struct board *b = shared_anon(PAGE);
	pid_t pid[3];
	int all = 1;

	expect(requeue(&b->word, FUTEX_CMP_REQUEUE, 1, 1, &b->word2, 5), -EAGAIN,
	       "FUTEX_CMP_REQUEUE, the word differs");
	expect(requeue(&b->word, FUTEX_CMP_REQUEUE, -1, 1, &b->word2, 0), -EINVAL,
	       "FUTEX_CMP_REQUEUE, a negative count");
	for (int i = 0; i < 3; i++)
		pid[i] = waiter(b, &b->word, FUTEX_WAIT, 0, i);
	for (int i = 0; i < 3; i++)
		all &= wait_asleep(pid[i]);
	check(all, "three waiters sleep");
	expect(requeue(&b->word, FUTEX_CMP_REQUEUE, 1, 1, &b->word2, 0), 2,
	       "FUTEX_CMP_REQUEUE: wake 1, move 1");
	check(wait_for(&b->done, 1), "one waiter returned");
	expect(requeue(&b->word, FUTEX_CMP_REQUEUE, 0, INT_MAX, &b->word, 0), 1,
	       "FUTEX_CMP_REQUEUE of a word onto itself");
	expect(requeue(&b->word2, FUTEX_REQUEUE, 0, INT_MAX, &b->word2, 0), 1,
	       "FUTEX_REQUEUE of the other word onto itself");
	expect(fx(&b->word2, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE of the word it moved to");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE of the first word");
	for (int i = 0; i < 3; i++)
		expect_status(pid[i], "exit 0", "waiter %d", i);
	check(!b->result[0] && !b->result[1] && !b->result[2], "their FUTEX_WAITs returned 0");
	munmap(b, PAGE);
}

/* A private waiter lives in its own address space: no other process reaches it. */
static void
private_tests(void)
{
	struct board *b = shared_anon(PAGE);
	static uint32_t cow_word;	/* MAP_PRIVATE: the child's copy is its own */
	pid_t p;

	p = waiter(b, &b->word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0);
	check(wait_asleep(p), "a FUTEX_PRIVATE_FLAG waiter on a shared page sleeps");
	expect(fx(&b->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG from another process");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 0, "FUTEX_WAKE from another process");
	kill(p, SIGTERM);
	expect_status(p, "signal SIGTERM", "the private waiter, killed");

	p = waiter(b, &b->word, FUTEX_WAIT, 0, 0);
	check(wait_asleep(p), "a shared waiter sleeps");
	expect(fx(&b->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, 0), 0,
	       "FUTEX_WAKE|FUTEX_PRIVATE_FLAG does not wake it");
	expect(fx(&b->word, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE does");
	expect_status(p, "exit 0", "the shared waiter");

	p = waiter(b, &cow_word, FUTEX_WAIT, 0, 0);
	check(wait_asleep(p), "a waiter on its copy of a MAP_PRIVATE word sleeps");
	expect(fx(&cow_word, FUTEX_WAKE, INT_MAX, NULL, 0), 0,
	       "FUTEX_WAKE of the parent's copy");
	kill(p, SIGTERM);
	expect_status(p, "signal SIGTERM", "the MAP_PRIVATE waiter, killed");
	munmap(b, PAGE);
}

/* ---- signals ---- */

static struct board *sig_board;

static void
on_usr1(int sig)
{
	(void)sig;
	sig_board->handled++;
}

/* A waiter child with SIGUSR1 caught (flags), blocked, or ignored (how). */
static pid_t
signal_waiter(struct board *b, int flags, int timeout, int how)
{
	pid_t pid = spawn();

	if (pid == 0) {
		struct sigaction sa;
		struct timespec ts = { LONG_WAIT_S, 0 };
		sigset_t set;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = how == 2 ? SIG_IGN : on_usr1;
		sa.sa_flags = flags;
		sigaction(SIGUSR1, &sa, NULL);
		if (how == 1) {
			sigemptyset(&set);
			sigaddset(&set, SIGUSR1);
			sigprocmask(SIG_BLOCK, &set, NULL);
		}
		b->result[0] = fx(&b->word, FUTEX_WAIT, 0, timeout ? &ts : NULL, 0);
		_exit(0);
	}
	return pid;
}

static void
signal_tests(void)
{
	struct board *b = shared_anon(PAGE);
	pid_t p;

	sig_board = b;
	p = signal_waiter(b, 0, 0, 0);
	check(wait_asleep(p), "a waiter with a SIGUSR1 handler sleeps");
	kill(p, SIGUSR1);
	expect_status(p, "exit 0", "the waiter, sent SIGUSR1");
	expect(b->result[0], -EINTR, "its FUTEX_WAIT");
	expect(b->handled, 1, "handlers run");

	b->handled = 0;
	p = signal_waiter(b, SA_RESTART, 1, 0);
	check(wait_asleep(p), "a waiter with a timeout and an SA_RESTART handler sleeps");
	kill(p, SIGUSR1);
	expect_status(p, "exit 0", "the waiter, sent SIGUSR1");
	expect(b->result[0], -EINTR, "its FUTEX_WAIT with a timeout");
	expect(b->handled, 1, "handlers run");

	/* Without a timeout, SA_RESTART restarts the wait: only a wake ends it. */
	b->handled = 0;
	b->result[0] = 99;
	p = signal_waiter(b, SA_RESTART, 0, 0);
	check(wait_asleep(p), "a waiter with an SA_RESTART handler sleeps");
	kill(p, SIGUSR1);
	check(wait_for(&b->handled, 1) && wait_asleep(p), "after its handler it sleeps again");
	expect(fx(&b->word, FUTEX_WAKE, 1, NULL, 0), 1, "FUTEX_WAKE of the restarted wait");
	expect_status(p, "exit 0", "the waiter");
	expect(b->result[0], 0, "its FUTEX_WAIT");

	p = signal_waiter(b, 0, 0, 1);
	check(wait_asleep(p), "a waiter with SIGUSR1 blocked sleeps");
	kill(p, SIGUSR1);
	sleep_ms(50);
	expect(fx(&b->word, FUTEX_WAKE, 1, NULL, 0), 1, "FUTEX_WAKE after a blocked SIGUSR1");
	expect_status(p, "exit 0", "the waiter");
	expect(b->result[0], 0, "its FUTEX_WAIT");

	p = signal_waiter(b, 0, 0, 2);
	check(wait_asleep(p), "a waiter with SIGUSR1 ignored sleeps");
	kill(p, SIGUSR1);
	kill(p, SIGWINCH);		/* ignored by default */
	sleep_ms(50);
	expect(fx(&b->word, FUTEX_WAKE, 1, NULL, 0), 1,
	       "FUTEX_WAKE after an ignored SIGUSR1 and SIGWINCH");
	expect_status(p, "exit 0", "the waiter");
	expect(b->result[0], 0, "its FUTEX_WAIT");
	munmap(b, PAGE);
}

/* ---- a file of /dev/shm, mapped at different addresses ---- */

static void
shm_file_tests(void)
{
	const char *path = shm_path;
	int fd;
	pid_t p;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 2 * PAGE) < 0) {
		check(0, "a file in /dev/shm: %s", errname(errno));
		return;
	}
	char *mine = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	uint32_t *word = (uint32_t *)(mine + PAGE + 64);

	/* The child maps the second page alone: the word sits elsewhere in it. */
	p = spawn();
	if (p == 0) {
		char *its = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
		uint32_t *w = (uint32_t *)(its + 64);

		if (its == MAP_FAILED || w == word)
			_exit(3);
		_exit(fx(w, FUTEX_WAIT, 0, &(struct timespec){ LONG_WAIT_S, 0 }, 0) == 0 ? 0 : 4);
	}
	check(wait_asleep(p), "a child waits on its own mapping of the file's second page");
	expect(fx(word, FUTEX_WAKE, INT_MAX, NULL, 0), 1, "FUTEX_WAKE through the parent's mapping");
	expect_status(p, "exit 0", "the child");

	/* And the other way: a child opens the file by name and wakes the parent. */
	p = spawn();
	if (p == 0) {
		int cfd = open(path, O_RDWR);
		char *its = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		uint32_t *w = (uint32_t *)(its + PAGE + 64);

		if (cfd < 0 || its == MAP_FAILED || w == word)
			_exit(3);
		if (!wait_asleep(getppid()))
			_exit(4);
		_exit(fx(w, FUTEX_WAKE, 1, NULL, 0) == 1 ? 0 : 5);
	}
	expect(fx(word, FUTEX_WAIT, 0, &(struct timespec){ LONG_WAIT_S, 0 }, 0), 0,
	       "FUTEX_WAIT woken by a child that opened the file itself");
	expect_status(p, "exit 0", "the child");
	munmap(mine, 2 * PAGE);
	close(fd);
	expect(res(unlink(path)), 0, "unlink of the /dev/shm file");
}

/* ---- a futex mutex under load ---- */

/* Drepper's mutex: 0 free, 1 locked, 2 locked with (perhaps) waiters. */
static void
mutex_lock(uint32_t *m, volatile int *waits)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		__atomic_add_fetch(waits, 1, __ATOMIC_RELAXED);
		fx(m, FUTEX_WAIT, 2, NULL, 0);
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	}
}

static void
mutex_unlock(uint32_t *m)
{
	if (__atomic_fetch_sub(m, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(m, 0, __ATOMIC_RELEASE);
		fx(m, FUTEX_WAKE, 1, NULL, 0);
	}
}

struct arena {
	uint32_t lock;
	uint32_t turn;			/* ping-pong: whose turn, 0 or 1 */
	volatile int counter;		/* incremented under lock, not atomically */
	volatile int waits;
	volatile int seq, wrong;
};

static void
mutex_stress(void)
{
	struct arena *a = shared_anon(PAGE);
	pid_t pids[STRESS_PROCS];

	for (int i = 0; i < STRESS_PROCS; i++) {
		if ((pids[i] = spawn()) == 0) {
			for (int k = 0; k < STRESS_ITERS; k++) {
				mutex_lock(&a->lock, &a->waits);
				int v = a->counter;
				if (k % 8 == 0)
					sched_yield();	/* hold the lock across a switch */
				a->counter = v + 1;
				mutex_unlock(&a->lock);
			}
			_exit(0);
		}
	}
	int good = reap_or_kill(pids, STRESS_PROCS, HANG_MS);
	check(good == STRESS_PROCS, "%d processes x %d lock/unlock: all finished",
	      STRESS_PROCS, STRESS_ITERS);
	expect(a->counter, STRESS_PROCS * STRESS_ITERS, "the counter");
	expect(a->lock, 0, "the mutex at the end");
	check(a->waits > 0, "the mutex was contended (FUTEX_WAIT called)");
	munmap(a, PAGE);
}

/* Waits until a->turn is me, then counts a step and hands the turn over. */
static void
take_turn(struct arena *a, uint32_t me)
{
	uint32_t t;

	while ((t = __atomic_load_n(&a->turn, __ATOMIC_ACQUIRE)) != me)
		fx(&a->turn, FUTEX_WAIT, t, NULL, 0);
	if ((a->seq & 1) != (int)me)
		a->wrong++;
	a->seq++;
	__atomic_store_n(&a->turn, !me, __ATOMIC_RELEASE);
	fx(&a->turn, FUTEX_WAKE, 1, NULL, 0);
}

static void
ping_pong(void)
{
	struct arena *a = shared_anon(PAGE);
	pid_t pids[2];

	for (uint32_t side = 0; side < 2; side++) {
		if ((pids[side] = spawn()) == 0) {
			for (int k = 0; k < PINGPONG_ROUNDS; k++)
				take_turn(a, side);
			_exit(0);
		}
	}
	int good = reap_or_kill(pids, 2, HANG_MS);
	check(good == 2, "ping-pong of %d rounds between two processes: both finished",
	      PINGPONG_ROUNDS);
	expect(a->seq, 2 * PINGPONG_ROUNDS, "turns taken");
	expect(a->wrong, 0, "turns out of order");
	munmap(a, PAGE);
}

static void
run_tests(void)
{
	value_tests();
	timeout_tests();
	error_tests();
	if (check_failed) {
		/* Each waiter of a broken futex would cost a long timeout. */
		printf(NAME ": FAIL the process tests are skipped after %d failures\n",
		       check_failed);
		return;
	}
	wake_count_tests();
	bitset_tests();
	requeue_tests();
	private_tests();
	signal_tests();
	shm_file_tests();
	mutex_stress();
	ping_pong();
}

int
main(void)
{
	int st;

	check_init(NAME);
	/* As init on NexaOS, /proc (PID/stat) and /dev (shm) are ours to mount. */
	mount_missing("proc", "/proc", "/proc/self/stat");
	mount_missing("devtmpfs", "/dev", "/dev/shm");
	snprintf(shm_path, sizeof(shm_path), "/dev/shm/futex-test.%d", (int)getpid());
	/* In a child: as pid 1 (NexaOS's init) orphans come back to us. */
	st = check_in_child(run_tests);
	unlink(shm_path);		/* left there when a test failed */
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 1)
			printf(NAME ": FAIL the tests ended with status %#x\n", st);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
