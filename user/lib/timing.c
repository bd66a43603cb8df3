/* The benchmarks' clock: timing.h. */
#include <stdio.h>
#include <time.h>
#include "timing.h"

struct stamp
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

void
report(const char *name, struct stamp t0, long n)
{
	struct stamp t1 = now();

	printf("bench: %-22s %9lld ns %11llu cycles\n", name,
	       (t1.ns - t0.ns) / n, (unsigned long long)(t1.tsc - t0.tsc) / n);
	fflush(stdout);
}
