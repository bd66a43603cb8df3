/*
 * The host's stand-in for kernel/include/layout.h: the "direct map" is
 * an arena that host.c allocates, so HHDM_BASE is its address and
 * physical address 0 is the arena's first byte.
 */
#ifndef NEXA_LAYOUT_H
#define NEXA_LAYOUT_H

#include <stdint.h>

extern uint64_t host_hhdm_base;		/* the arena */
extern uint64_t host_hhdm_size;

#define HHDM_BASE	host_hhdm_base
#define KSTACK_BASE	(host_hhdm_base + host_hhdm_size)
#define PAGE_SIZE	4096UL

static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(pa + HHDM_BASE);
}

#endif
