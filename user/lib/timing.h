/*
 * The benchmarks' clock (bench, authbench): a moment in ns and TSC cycles,
 * and the row that reports the cost of one of n operations since then.
 */
#ifndef TIMING_H
#define TIMING_H

#include <stdint.h>

struct stamp {
	long long ns;		/* CLOCK_MONOTONIC */
	uint64_t tsc;
};

/* The moment now. */
struct stamp now(void);

/* Prints "bench: NAME  N ns  C cycles": per operation, n of them since t0; flushes. */
void report(const char *name, struct stamp t0, long n);

#endif
