/*
 * Random system calls with hostile arguments: null, kernel, non-canonical
 * and unaligned pointers, huge sizes, unknown numbers. Children make the
 * calls and may die of what they do to themselves (munmap of their own
 * text, say); the kernel must carry on, and give back all the memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS		8
#define CALLS		4000
#define SLACK		(64LL << 10)

/* Calls that cannot block, replace the program or end it on purpose. */
static const long calls[] = {
	SYS_write, SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk, SYS_rt_sigprocmask,
	SYS_ioctl, SYS_readv, SYS_writev, SYS_sched_yield, SYS_madvise, SYS_getpid,
	SYS_wait4, SYS_uname, SYS_sysinfo, SYS_getppid, SYS_arch_prctl,
	SYS_set_tid_address, SYS_clock_gettime, SYS_gettid, SYS_getuid, SYS_mremap,
};

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

static void
fuzz(unsigned seed)
{
	srand(seed);
	mmap((void *)SCRATCH, 64 << 12, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	for (int i = 0; i < CALLS; i++) {
		long nr = rand() % 8 ? calls[rand() % (sizeof(calls) / sizeof(calls[0]))] :
			  rand() % 600 + 400;
		uint64_t a[6];

		for (int k = 0; k < 6; k++)
			a[k] = value();
		if (nr == SYS_write || nr == SYS_writev || nr == SYS_readv)
			a[0] = 1000;	/* not the console: no noise, no waiting for input */
		if (nr == SYS_wait4)
			a[2] |= 1;	/* WNOHANG: nothing to wait for */
		if ((nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_mremap ||
		     nr == SYS_madvise) && rand() % 8) {
			a[0] = SCRATCH + (uint64_t)(rand() % 64) * 4096;
			a[1] = (uint64_t)(rand() % 128) * 4096;
		}
		raw_syscall(nr, a);
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

int
main(void)
{
	struct utsname u;
	int survived = 0;

	uname(&u);
	long long before = free_ram();
	fflush(stdout);
	for (int r = 0; r < ROUNDS; r++) {
		pid_t pid = fork();
		int st;

		if (pid < 0) {
			printf("fuzz: FAIL fork\n");
			return 1;
		}
		if (pid == 0)
			fuzz(1000 + r);
		if (waitpid(pid, &st, 0) != pid) {
			printf("fuzz: FAIL waitpid\n");
			return 1;
		}
		survived += WIFEXITED(st);
	}
	printf("fuzz: %d rounds of %d calls, the kernel carried on\n", ROUNDS, CALLS);
	if (strcmp(u.sysname, "Linux")) {
		long long lost = before - free_ram();

		if (lost > SLACK) {
			printf("fuzz: FAIL %lld bytes of memory not returned\n", lost);
			return 1;
		}
		printf("fuzz: memory returned\n");
	}
	printf("fuzz: ok (%d children exited normally)\n", survived);
	return 0;
}
