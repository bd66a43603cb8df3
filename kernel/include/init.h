/*
 * Registration at link time. A subsystem adds itself to a table with one
 * of these macros, in its own file, and the linker gathers each table
 * into one array (kernel.ld). That is how a later lab plugs into earlier
 * code: no earlier file names it.
 *
 *   INITCALL(level, fn)       kmain runs fn at boot, the levels in order
 *   BOOT_ACTION(key, fn)      then fn(value) for a command line word key=value
 */
#ifndef NEXA_INIT_H
#define NEXA_INIT_H

#include <compiler.h>

/* Boot levels, in the order kmain runs them. */
#define INIT_CPU	1	/* descriptor tables, interrupts, the timer (lab 2) */
#define INIT_MM		2	/* frames, page tables, the heap (lab 3) */
#define INIT_PLATFORM	3	/* what replaces the PC's defaults: the APICs (full tree) */
#define INIT_PROC	4	/* processes and what they need (lab 4) */
#define INIT_FS		5	/* file systems and devices (lab 5) */
#define INIT_SERVICES	6	/* IPC and what runs on it (labs 6, 7) */

struct initcall {
	void (*fn)(void);
	const char *name;
};

#define INITCALL_(level, fn)						\
	static const struct initcall __initcall_##fn			\
		__used __section(".initcall" #level) __attribute__((aligned(8))) = \
		{ fn, #fn }
#define INITCALL(level, fn)	INITCALL_(level, fn)

/* What the kernel does once booted, when the command line asks: key=value. */
struct boot_action {
	const char *key;
	void (*run)(const char *value);	/* need not return */
};

#define BOOT_ACTION_(order, key, fn)					\
	static const struct boot_action __boot_action_##fn		\
		__used __section(".bootaction" #order) __attribute__((aligned(8))) = \
		{ key, fn }
/* order: lower first, when the command line asks for several (test= is 1). */
#define BOOT_ACTION(order, key, fn)	BOOT_ACTION_(order, key, fn)

/* Runs every initcall, level by level (main.c). */
void initcalls_run(void);
/* Runs the first boot action the command line asks for; returns if none. */
void boot_actions_run(void);

#endif
