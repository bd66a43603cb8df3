/* Benchmark, not a test: the costs of the lab-4 paths, in ns and TSC cycles. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYSCALLS	10000
#define FORKS		200
#define EXECS		100
#define FAULT_MAPS	4		/* of 4 MiB each */
#define MAP_SIZE	(4 << 20)
#define YIELDS		2000		/* per process */

struct stamp {
	long long ns;
	uint64_t tsc;
};

static struct stamp
now(void)
{
	struct stamp s;
	struct timespec t;
	uint32_t lo, hi;

	clock_gettime(CLOCK_MONOTONIC, &t);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	s.ns = t.tv_sec * 1000000000LL + t.tv_nsec;
	s.tsc = (uint64_t)hi << 32 | lo;
	return s;
}

static void
report(const char *name, struct stamp t0, long n)
{
	struct stamp t1 = now();

	printf("bench: %-22s %9lld ns %11llu cycles\n", name,
	       (t1.ns - t0.ns) / n, (unsigned long long)(t1.tsc - t0.tsc) / n);
}

/* Forks a child that runs @fn (or exits at once) and waits for it. */
static int
fork_wait(void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (fn)
			fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		printf("bench: FAIL fork/exec/wait: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void
exec_true(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	execve("/bin/true", argv, envp);
	_exit(127);
}

static void
yield_loop(void)
{
	int i;

	for (i = 0; i < YIELDS; i++)
		sched_yield();
}

int
main(void)
{
	struct stamp t0;
	char *p;
	long i, j;

	t0 = now();
	for (i = 0; i < SYSCALLS; i++)
		syscall(SYS_getpid);
	report("getpid", t0, SYSCALLS);

	struct timespec ts;
	t0 = now();
	for (i = 0; i < SYSCALLS; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);	/* the vDSO, where there is one */
	report("clock_gettime", t0, SYSCALLS);

	fflush(stdout);
	t0 = now();
	for (i = 0; i < FORKS; i++)
		if (fork_wait(NULL) < 0)
			return 1;
	report("fork+exit+wait", t0, FORKS);

	t0 = now();
	for (i = 0; i < EXECS; i++)
		if (fork_wait(exec_true) < 0)
			return 1;
	report("fork+execve+wait", t0, EXECS);

	t0 = now();
	for (i = 0; i < FAULT_MAPS; i++) {
		p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("bench: FAIL mmap: %s\n", strerror(errno));
			return 1;
		}
		for (j = 0; j < MAP_SIZE; j += 4096)
			p[j] = 1;
		munmap(p, MAP_SIZE);
	}
	report("page fault (anon)", t0, FAULT_MAPS * (MAP_SIZE / 4096));

	/* Two processes yield to each other: each yield is a switch. */
	fflush(stdout);
	t0 = now();
	if (fork() == 0) {
		yield_loop();
		_exit(0);
	}
	yield_loop();
	if (wait4(-1, NULL, 0, NULL) < 0)
		return 1;
	report("sched_yield (2 procs)", t0, 2 * YIELDS);
	printf("bench: ok\n");
	return 0;
}
