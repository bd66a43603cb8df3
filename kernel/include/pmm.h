/* The physical frame allocator: a buddy allocator over the usable RAM. */
#ifndef NEXA_PMM_H
#define NEXA_PMM_H

#include <stdbool.h>
#include <stdint.h>
#include <bootinfo.h>
#include <buddy.h>

#define LOW_MEMORY_END	0x100000UL	/* the first 1 MiB stays with the firmware */

/* Builds the allocator from the memory map minus every boot reservation. */
void pmm_init(struct bootinfo *bi);

/* 2^order contiguous frames; returns the physical address, 0 when out of memory. */
uint64_t pmm_alloc_pages(unsigned order);
/* Frees a block; a double free or a bad address panics (a kernel bug). */
void pmm_free_pages(uint64_t pa, unsigned order);
/* Debug mode: freed frames are filled with 0x6B (a stale page table or a
 * page used after its free then shows at once). */
void pmm_set_poison(bool on);
uint64_t pmm_alloc_frame(void);		/* one frame, zeroed; 0 if none */
void pmm_free_frame(uint64_t pa);
/*
 * Gives a boot reservation [start, end) (the initramfs, once unpacked)
 * to the allocator, except the frames it shares with other reservations:
 * the bytes it gained.
 */
uint64_t pmm_release_boot_range(struct bootinfo *bi, uint64_t start, uint64_t end);
/* The order of the allocated block at pa, or -1 if none starts there. */
int pmm_block_order(uint64_t pa);

/* Frames shared by user address spaces: pmm_unref frees at the last reference. */
void pmm_ref(uint64_t pa);
void pmm_unref(uint64_t pa);
unsigned pmm_refcount(uint64_t pa);

uint64_t pmm_free_frames(void);
uint64_t pmm_managed_frames(void);	/* frames ever given to the allocator */
/* Free blocks of each order (for the monitor and the tests). */
uint64_t pmm_free_blocks(unsigned order);

#endif
