/* Device registers in memory (MMIO): the kernel's uncached view of them. */
#ifndef NEXA_MMIO_H
#define NEXA_MMIO_H

#include <stdint.h>

/*
 * Maps the physical range [pa, pa + len) uncached (PCD|PWT: no cache, no
 * write-combining, every access reaches the device in order) into the
 * MMIO window and returns the address of pa there; NULL when out of
 * window or memory. Without the kernel's page tables (vmm_init failed),
 * the boot tables' direct map of 4 GiB, cached as the MTRRs say.
 * Mappings are for the life of the kernel.
 */
volatile void *mmio_map(uint64_t pa, uint64_t len);

#endif
