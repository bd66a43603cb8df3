/*
 * No system call may stop the rest of the machine. A heartbeat process
 * sleeps 5 ms at a time and measures the longest gap between its
 * wake-ups while another process does something long in the kernel:
 *
 *   write   an 8 MiB writev to the console, then SIGKILL 300 ms later:
 *           the write must stop at once, and the heartbeat never wait a
 *           second;
 *   regions 20,000 mprotect splits, then an mmap and a fork; then splits
 *           until the region limit (ENOMEM near Linux's 65,530).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096
#define MAX_GAP_MS	1000
#define SPLITS		20000

static int failed;

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
check(int ok, const char *what)
{
	printf("stall: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

/* Beats until watched is reaped; exits with the longest gap in 10 ms units. */
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

static pid_t
start(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid;
}

/* The heartbeat of watched: forked now, its longest gap in ms once watched is reaped. */
static pid_t
start_heartbeat(pid_t watched)
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0)
		heartbeat(watched);
	return pid;
}

static long
longest_gap(pid_t hb)
{
	int st;

	waitpid(hb, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) * 10L : 99999;
}

static void
console_writer(void)
{
	static char zeros[64 << 10];	/* NUL bytes: the grader ignores them */
	struct iovec iov[128];

	for (int i = 0; i < 128; i++)
		iov[i] = (struct iovec){ zeros, sizeof(zeros) };
	writev(1, iov, 128);
}

static void
test_write(void)
{
	long t0 = now_ms();
	pid_t w = start(console_writer), hb = start_heartbeat(w);
	int st;

	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	kill(w, SIGKILL);
	waitpid(w, &st, 0);
	long took = now_ms() - t0;
	check(WIFSIGNALED(st) && took < 800, "SIGKILL stops an 8 MiB console write at once");
	check(longest_gap(hb) < MAX_GAP_MS, "nobody waited a second meanwhile");
}

static void
splitter(void)
{
	long n = 2L * 65536;
	char *p = mmap(NULL, n * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long i = 0, r = 0;

	if (p == MAP_FAILED)
		_exit(2);
	for (; i < SPLITS; i++)
		if (mprotect(p + 2 * i * PAGE, PAGE, PROT_NONE))
			_exit(3);
	/* Far from the others, then a fork of the whole address space. */
	if (mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		_exit(4);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		_exit(5);
	for (; i < n / 2 && (r = mprotect(p + 2 * i * PAGE, PAGE, PROT_NONE)) == 0; i++)
		;
	/* Linux stops at 65,530 regions: about twice the splits, plus a few. */
	if (r == 0 || errno != ENOMEM || i < 32000 || i > 32800)
		_exit(6);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		_exit(7);
	if (munmap(p, n * PAGE))
		_exit(8);
}

static void
test_regions(void)
{
	pid_t s = start(splitter), hb = start_heartbeat(s);
	int st;

	waitpid(s, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "20,000 splits, mmap, fork; ENOMEM at the region limit");
	if (WIFEXITED(st) && WEXITSTATUS(st))
		printf("stall: (the splitter stopped at step %d)\n", WEXITSTATUS(st));
	check(longest_gap(hb) < MAX_GAP_MS, "nobody waited a second meanwhile");
}

int
main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "write"))
		test_write();
	if (argc < 2 || !strcmp(argv[1], "regions"))
		test_regions();
	if (failed) {
		printf("stall: FAIL\n");
		return 1;
	}
	printf("stall: ok\n");
	return 0;
}
