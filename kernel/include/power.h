/* Turning the machine off. */
#ifndef NEXA_POWER_H
#define NEXA_POWER_H

#include <compiler.h>

/* Exit codes seen by QEMU's isa-debug-exit device as status (code << 1) | 1. */
enum power_code {
	POWER_OK = 0,		/* QEMU exits 1 */
	POWER_FAIL = 1,		/* QEMU exits 3: a self-test failed */
	POWER_PANIC = 2,	/* QEMU exits 5: a kernel panic */
};

/*
 * Prints "nexaos: power off", drains the serial port and powers off:
 * QEMU's debug-exit port, then Bochs's shutdown port, then ACPI.
 */
__noreturn void power_off(enum power_code code);

/* Resets the machine (reboot(2)): the keyboard controller, else a triple fault. */
__noreturn void power_reboot(void);

/* Ends a panic: the debug-exit port only (graders), else halts forever. */
__noreturn void power_halt(enum power_code code);

#endif
