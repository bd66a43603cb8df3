/*
 * Random system calls with hostile arguments: null, kernel, non-canonical
 * and unaligned pointers, huge sizes, unknown numbers, and the calls that
 * change processes (fork, execve, kill, process groups, brk, mmap).
 * Children make the calls in process groups of their own and may die of
 * what they do to themselves (munmap of their own text, say); the kernel
 * must carry on, keep every process running, and give back the memory.
 *
 *   fuzz               8 rounds of 4000 calls, one after another
 *   fuzz CALLS PROCS   CALLS calls in all from PROCS processes at once,
 *                      while a heartbeat process checks that it never
 *                      waits a second to run (make fuzz)
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS		8
#define CALLS		4000
#define SLACK		(64LL << 10)
#define MAX_GAP_MS	1000

/* Calls that cannot block for long or end the program on purpose. */
static const long calls[] = {
	SYS_write, SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk, SYS_rt_sigprocmask,
	SYS_ioctl, SYS_readv, SYS_writev, SYS_sched_yield, SYS_madvise, SYS_getpid,
	SYS_wait4, SYS_uname, SYS_sysinfo, SYS_getppid, SYS_arch_prctl,
	SYS_set_tid_address, SYS_clock_gettime, SYS_gettid, SYS_getuid, SYS_mremap,
	SYS_fork, SYS_execve, SYS_kill, SYS_tkill, SYS_setpgid, SYS_getpgid, SYS_setsid,
	SYS_nanosleep, SYS_clock_getres, SYS_getrusage, SYS_times, SYS_gettimeofday,
	SYS_clock_nanosleep,
	/* lab 6 (ENOSYS before): signals, timers, futex, and NexaOS's channels */
	SYS_rt_sigaction, SYS_sigaltstack, SYS_rt_sigpending, SYS_rt_sigtimedwait, SYS_alarm,
	SYS_setitimer, SYS_getitimer, SYS_futex, SYS_rt_sigreturn,
	500, 501, 502, 503, 504, 505,
};

#define SYS_chan_recv	502
#define SYS_chan_destroy 504
#define CHAN_MAX	32

static uint64_t
value(void)
{
	static const uint64_t odd[] = {
		0, 1, 8, 4095, 4096, 0x200000, 0x400000, 0x7fffffffe000,
		0x7ffffffff000, 0x800000000000, 0xffff800000000000,
		0xffffffff80100000, 0xfffffffffffff000, UINT64_MAX, UINT64_MAX / 2,
		1UL << 40, 0x1000000,
	};
	switch (rand() % 4) {
	case 0:
		return odd[rand() % (sizeof(odd) / sizeof(odd[0]))];
	case 1:
		return (uint64_t)rand() % 64;
	case 2:
		return (uint64_t)rand() << 12;
	default:
		return (uint64_t)rand() << 33 | (uint64_t)rand();
	}
}

/* The raw instruction: musl's syscall() would store errno through the TLS
 * pointer, which a fuzzed arch_prctl may have moved. */
static long
raw_syscall(long nr, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3], r8 __asm__("r8") = a[4],
		 r9 __asm__("r9") = a[5];
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define SCRATCH		0x100000000UL	/* what munmap and mprotect mostly aim at */

/* Keeps a call's arguments from blocking, or reaching outside this round: the call to make. */
static long
tame(long nr, uint64_t a[6])
{
	if (nr == SYS_write || nr == SYS_writev || nr == SYS_readv)
		a[0] = 1000;	/* not the console: no noise, no waiting for input */
	if (nr == SYS_wait4)
		a[2] |= 1;	/* WNOHANG */
	if ((nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_mremap ||
	     nr == SYS_madvise) && rand() % 8) {
		a[0] = SCRATCH + (uint64_t)(rand() % 64) * 4096;
		a[1] = (uint64_t)(rand() % 128) * 4096;
	}
	/*
	 * Signals stay in this round's own process group (0) or go to
	 * itself, and rarely kill it: a round should live to make its calls.
	 */
	if (nr == SYS_kill || nr == SYS_tkill) {
		static const int mild[] = { 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, 65, -1 };

		a[0] = nr == SYS_kill && rand() % 2 ? 0 : (uint64_t)getpid();
		if (rand() % 256)
			a[1] = (uint64_t)mild[rand() % (sizeof(mild) / sizeof(mild[0]))];
	}
	/* Sleeps of 0 or 1 ms (or a kernel pointer): a random one could last years. */
	if (nr == SYS_nanosleep || nr == SYS_clock_nanosleep) {
		static const uint64_t zero[2] = { 0, 0 }, ms[2] = { 0, 1000000 };
		int r = rand() % 16;

		a[nr == SYS_nanosleep ? 0 : 2] = r == 0 ? (uint64_t)ms : r == 1 ?
			0xffffffff80100000 : (uint64_t)zero;
	}
	if (nr == SYS_setpgid)
		a[1] = 0;	/* never into a group outside this round */
	/* Waits: never long (a timeout of 0 or 1 ms, or no waiting at all). */
	if (nr == SYS_rt_sigtimedwait) {
		static const struct timespec ms = { 0, 1000000 };
		a[2] = (uint64_t)&ms;
	}
	if (nr == SYS_futex && (a[1] & 0x7F) != 1 && (a[1] & 0x7F) != 10) {
		static const struct timespec ms = { 0, 1000000 };
		a[3] = rand() % 4 ? (uint64_t)&ms : a[3];
		if (!(rand() % 4))
			a[1] = 1;	/* mostly a wake */
	}
	if (nr == SYS_chan_recv)
		a[3] = rand() % 8 ? 1 : 0;	/* CHAN_NONBLOCK, or a timeout below */
	if (nr == SYS_chan_recv && !a[3]) {
		static const struct timespec ms = { 0, 1000000 };
		a[4] = (uint64_t)&ms;
	}
	if (nr == SYS_alarm || nr == SYS_setitimer)
		a[0] = nr == SYS_alarm ? a[0] % 2 : a[0];
	/* A forged frame kills the round: only now and then. */
	if (nr == SYS_rt_sigreturn && rand() % 16)
		nr = SYS_getpid;
	if (nr == SYS_execve && rand() % 64 == 0) {
		static char *const argv[] = { "true", NULL };
		a[0] = (uint64_t)"/bin/true";
		a[1] = (uint64_t)argv;
	}
	return nr;
}

/* One round: calls system calls in a process group of its own; never returns. */
static void
fuzz(unsigned seed, int n)
{
	srand(seed);
	setpgid(0, 0);
	mmap((void *)SCRATCH, 64 << 12, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	for (int i = 0; i < n; i++) {
		long nr = rand() % 8 ? calls[rand() % (sizeof(calls) / sizeof(calls[0]))] :
			  rand() % 600 + 400;
		uint64_t a[6];

		for (int k = 0; k < 6; k++)
			a[k] = value();
		nr = tame(nr, a);
		if (raw_syscall(nr, a) == 0 && (nr == SYS_fork || nr == 58 /* vfork */))
			_exit(0);	/* a child of a fork ends at once */
	}
	_exit(0);
}

static long long
free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return (long long)si.freeram * si.mem_unit;
}

/* Runs one round in a child; 1 if it exited normally, -1 if fork failed. */
static int
round_of(unsigned seed, int n)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		fuzz(seed, n);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	/* Reap what its forks left behind (they are ours now only if orphaned
	 * to init, which is us in a test run). */
	while (waitpid(-1, &st, WNOHANG) > 0)
		;
	return WIFEXITED(st);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits for every child left (as init we inherit the rounds' orphans,
 * which may still be on their way out, or stopped until the kernel hangs
 * their orphaned group up); 1 when none is left within 10 s.
 */
static int
reap_all(void)
{
	for (long end = now_ms() + 10000; now_ms() < end;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid < 0)
			return 1;	/* ECHILD: none left */
		if (pid == 0)
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	return 0;
}

/* Beats until watched is gone; exits with the longest gap in 10 ms units. */
static void
heartbeat(pid_t watched)
{
	long last = now_ms(), longest = 0;

	while (kill(watched, 0) == 0) {
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
		long t = now_ms();
		if (t - last > longest)
			longest = t - last;
		last = t;
	}
	_exit(longest / 10 > 255 ? 255 : (int)(longest / 10));
}

/* A worker: rounds of CALLS calls until it has made its share. */
static void
worker(int id, long share)
{
	for (long done = 0, r = 0; done < share; done += CALLS, r++)
		if (round_of((unsigned)(id * 100000 + r), CALLS) < 0)
			_exit(255);
	_exit(0);
}

static pid_t
spawn(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid;
}

static void
sleep_forever(void)
{
	for (;;)
		pause();
}

/*
 * PROCS workers at once and a heartbeat; 0 if all went well. As init
 * this process also reaps the orphans the rounds leave behind, as they
 * come, so that they never fill the process table.
 */
static int
parallel(long total, int procs)
{
	pid_t marker = spawn(sleep_forever), workers[64], hb;
	int ok = 1, st, running = procs;

	fflush(stdout);
	if ((hb = fork()) == 0)
		heartbeat(marker);
	for (int i = 0; i < procs; i++)
		if ((workers[i] = fork()) == 0)
			worker(i, total / procs);
	while (running) {
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0)
			break;
		for (int i = 0; i < procs; i++) {
			if (pid == workers[i]) {
				ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
				running--;
			}
		}
	}
	kill(marker, SIGKILL);
	waitpid(marker, &st, 0);
	waitpid(hb, &st, 0);
	long gap = WIFEXITED(st) ? WEXITSTATUS(st) * 10L : 99999;
	printf("fuzz: %ld calls from %d processes at once, the kernel carried on\n",
	       total, procs);
	if (!ok)
		printf("fuzz: FAIL a worker could not fork its rounds\n");
	if (gap >= MAX_GAP_MS) {
		printf("fuzz: FAIL a process waited %ld ms to run\n", gap);
		ok = 0;
	} else {
		printf("fuzz: no process waited a second to run\n");
	}
	return !ok;
}

int
main(int argc, char **argv)
{
	struct utsname u;
	int survived = 0, failed = 0;

	uname(&u);
	long long before = free_ram();
	fflush(stdout);
	if (argc > 2) {
		long total = atol(argv[1]);
		int procs = atoi(argv[2]);

		if (total < CALLS || procs < 1 || procs > 64) {
			printf("fuzz: FAIL usage: fuzz [CALLS PROCS], CALLS >= %d, PROCS 1-64\n",
			       CALLS);
			return 1;
		}
		failed = parallel(total, procs);
	} else {
		for (int r = 0; r < ROUNDS; r++) {
			int n = round_of(1000 + r, CALLS);

			if (n < 0) {
				printf("fuzz: FAIL fork\n");
				return 1;
			}
			survived += n;
		}
		printf("fuzz: %d rounds of %d calls, the kernel carried on\n", ROUNDS, CALLS);
	}
	if (!reap_all()) {
		printf("fuzz: FAIL a child left behind never ended\n");
		return 1;
	}
	/* Channels outlive their creators by design: the rounds' go now. */
	for (int id = 0; id < CHAN_MAX; id++)
		syscall(SYS_chan_destroy, id);
	if (strcmp(u.sysname, "Linux")) {
		long long lost = before - free_ram();

		if (lost > SLACK) {
			printf("fuzz: FAIL %lld bytes of memory not returned\n", lost);
			return 1;
		}
		printf("fuzz: memory returned\n");
	}
	if (failed) {
		printf("fuzz: FAIL\n");
		return 1;
	}
	if (argc > 2)
		printf("fuzz: ok\n");
	else
		printf("fuzz: ok (%d children exited normally)\n", survived);
	return 0;
}
