/* Device registers (PCI BARs) in the kernel's address space. */
#ifndef NEXA_MMIO_H
#define NEXA_MMIO_H

#include <stdint.h>

/*
 * Maps the device memory [pa, pa + len) uncached at its direct-map
 * address (HHDM_BASE + pa) and returns that address; NULL if there are
 * no kernel page tables yet, or no memory for them. Mapping a range twice
 * is fine. Call it at boot: address spaces created before it share the
 * new mapping only if its top-level entry existed already.
 */
void *mmio_map(uint64_t pa, uint64_t len);

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
