/*
 * The vDSO's code: clocks answered in user space from the TSC and the
 * kernel's vvar page, falling back to the real system call for any clock
 * it does not know (the CPU clocks) or when the TSC is not calibrated.
 * Built as a shared object (vdso.ld), not as part of the kernel.
 */
#include <stdint.h>
#include <abi.h>
#include <vdso.h>

#define SYS_gettimeofday	96
#define SYS_time		201
#define SYS_clock_gettime	228
#define SYS_clock_getres	229
#define NSEC_PER_SEC		1000000000UL

/* The page below the image (vdso.ld): hidden, so reached rip-relative. */
extern const struct vdso_data vvar __attribute__((visibility("hidden")));

static long
syscall2(long nr, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

/* The monotonic clock in ns and the realtime offset, read consistently; false: no TSC. */
static int
read_clock(uint64_t *mono, uint64_t *realtime)
{
	uint32_t seq;

	do {
		seq = vvar.seq;
		__asm__ volatile("" ::: "memory");
		if (!vvar.mult)
			return 0;
		uint32_t lo, hi;
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		uint64_t tsc = (uint64_t)hi << 32 | lo;
		*mono = (uint64_t)(((unsigned __int128)(tsc - vvar.tsc0) * vvar.mult) >> vvar.shift);
		*realtime = vvar.realtime;
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || seq != vvar.seq);
	return 1;
}

/* The time of a clock the vDSO knows; 0 if the kernel must answer. */
static int
clock_ns(int clock, uint64_t *ns)
{
	uint64_t mono, realtime;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		if (!read_clock(&mono, &realtime))
			return 0;
		*ns = mono + realtime;
		return 1;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return read_clock(ns, &realtime);
	default:
		return 0;
	}
}

int
__vdso_clock_gettime(int clock, struct timespec_abi *ts)
{
	uint64_t ns;

	if (!clock_ns(clock, &ns))
		return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return 0;
}

int
__vdso_gettimeofday(struct timeval_abi *tv, void *tz)
{
	uint64_t ns;

	if (tz || !clock_ns(CLOCK_REALTIME, &ns))
		return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / 1000);
	}
	return 0;
}

long
__vdso_time(long *t)
{
	uint64_t ns;

	if (!clock_ns(CLOCK_REALTIME, &ns))
		return syscall2(SYS_time, (long)t, 0);
	long s = (long)(ns / NSEC_PER_SEC);
	if (t)
		*t = s;
	return s;
}

int
__vdso_clock_getres(int clock, struct timespec_abi *res)
{
	uint64_t ns;

	if (!clock_ns(clock, &ns))
		return (int)syscall2(SYS_clock_getres, clock, (long)res);
	if (res) {
		int coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;

		res->tv_sec = 0;
		res->tv_nsec = coarse ? (int64_t)vvar.coarse_ns : 1;
	}
	return 0;
}

/* One CPU: everyone runs on CPU 0, node 0. */
int
__vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

int clock_gettime(int, struct timespec_abi *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval_abi *, void *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, struct timespec_abi *)
	__attribute__((weak, alias("__vdso_clock_getres")));
int getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
