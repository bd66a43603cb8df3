/*
 * The vDSO: a small shared object the kernel maps into every process
 * (AT_SYSINFO_EHDR) so that clock_gettime, gettimeofday, time and getcpu
 * run in user space, as on Linux, reading the clock from a data page the
 * kernel keeps up to date (the "vvar" page, just below the code).
 *
 *   vdso_base - 4 KiB   vvar: struct vdso_data, read-only
 *   vdso_base           the ELF image (arch/x86_64/vdso), read and execute
 */
#ifndef NEXA_VDSO_H
#define NEXA_VDSO_H

#include <stdint.h>

/* The vvar page: shared with the vDSO's code (arch/x86_64/vdso/vclock.c). */
struct vdso_data {
	volatile uint32_t seq;	/* odd while the kernel changes what follows */
	uint32_t shift;
	uint64_t tsc0;		/* the TSC when the monotonic clock was 0 */
	uint64_t mult;		/* ns = (tsc - tsc0) * mult >> shift; 0: ask the kernel */
	uint64_t realtime;	/* CLOCK_REALTIME minus CLOCK_MONOTONIC, in ns */
	uint64_t coarse_ns;	/* the resolution of the _COARSE clocks */
};

#ifndef VDSO_BUILD
struct uvm;

/* Fills the vvar page from the clocks (at boot, and when the time is set). */
void vdso_update(void);
/* Maps the vvar page and the vDSO into vm; returns the vDSO's address, or 0. */
uint64_t vdso_map(struct uvm *vm);
#endif

#endif
