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

static inline uint32_t
mmio_read32(const volatile void *base, uint32_t off)
{
	return *(const volatile uint32_t *)((const volatile uint8_t *)base + off);
}

static inline void
mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}

/* A 64-bit register as two 32-bit accesses, low half first (xHCI allows it). */
static inline void
mmio_write64(volatile void *base, uint32_t off, uint64_t v)
{
	mmio_write32(base, off, (uint32_t)v);
	mmio_write32(base, off + 4, (uint32_t)(v >> 32));
}

static inline uint64_t
mmio_read64(const volatile void *base, uint32_t off)
{
	uint64_t lo = mmio_read32(base, off);

	return lo | (uint64_t)mmio_read32(base, off + 4) << 32;
}

#endif
