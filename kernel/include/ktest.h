/*
 * Kernel self-tests, run by name from the command line (test=NAME) for
 * the graders. KTEST(name) { ... } defines ktest_name and registers it in
 * the .ktests section, so each subsystem keeps its tests beside its code.
 */
#ifndef NEXA_KTEST_H
#define NEXA_KTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <compiler.h>

struct ktest {
	const char *name;
	void (*fn)(void);
};

#define KTEST(n)							\
	static void ktest_##n(void);					\
	static const struct ktest ktest_desc_##n			\
		__used __section(".ktests") __attribute__((aligned(8))) = \
		{ #n, ktest_##n };					\
	__noinline static void ktest_##n(void)

/* Runs the test called name between "ktest: begin/end" lines; false if none. */
bool ktest_run(const char *name);
/* The heap registers how many bytes it has handed out: leaks get reported. */
void ktest_set_heap_meter(uint64_t (*in_use)(void));

#endif
