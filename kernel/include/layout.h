/* Virtual address-space layout of the kernel. */
#ifndef NEXA_LAYOUT_H
#define NEXA_LAYOUT_H

/*
 * 0xFFFFFFFFFFFFFFFF +---------------------------------+
 *                    | kernel image (text, data, bss)  |  KERNEL_VMA + 1 MiB ...
 * 0xFFFFFFFF80000000 +---------------------------------+  KERNEL_VMA: phys 0 .. 2 GiB
 *                    |             unused              |
 * 0xFFFFFF8000000000 +---------------------------------+
 *                    | device registers, uncached      |  MMIO_BASE (mmio_map)
 * 0xFFFFFF4000000000 +---------------------------------+
 *                    | kernel stacks, each with an     |  KSTACK_BASE (lab 3)
 *                    | unmapped guard page below it    |
 * 0xFFFFFF0000000000 +---------------------------------+
 *                    |             unused              |
 *                    | direct map of physical memory   |  HHDM_BASE: all of the memory
 * 0xFFFF800000000000 +---------------------------------+  map (the boot tables: 4 GiB)
 *                    |   non-canonical hole            |
 * 0x00007FFFFFFFF000 +---------------------------------+  USER_TOP
 *                    |   user space (lab 4)            |
 * 0x0000000000010000 +---------------------------------+  USER_BASE
 *                    |   never mapped (null pointers)  |  (the boot tables'
 * 0x0000000000000000 +---------------------------------+   identity map, once)
 *
 * The kernel is loaded at physical KERNEL_PHYS (1 MiB) and linked at
 * KERNEL_VMA + KERNEL_PHYS. The boot code in boot.S runs at its physical
 * address and builds the first page tables with 2 MiB pages; vmm_init()
 * replaces them: no identity map, W^X kernel sections, guard pages.
 */
#define KERNEL_PHYS	0x100000UL
#define KERNEL_VMA	0xFFFFFFFF80000000UL
#define KERNEL_IMAGE_MAX 0x40000000UL	/* the image must fit in 1 GiB */
#define HHDM_BASE	0xFFFF800000000000UL
#define HHDM_BOOT_SIZE	0x100000000UL	/* the boot tables map 4 GiB */
#define KSTACK_BASE	0xFFFFFF0000000000UL
#define KSTACK_SLOT	0x10000UL	/* 64 KiB per stack: guard page + stack */
#define KSTACK_SLOTS	4096
#define MMIO_BASE	0xFFFFFF4000000000UL	/* mmio_map's window (full tree) */
#define MMIO_SIZE	0x40000000UL	/* 1 GiB of it */
#define USER_BASE	0x10000UL	/* Linux's mmap_min_addr: below it, null pointers */
#define USER_TOP	0x00007FFFFFFFF000UL	/* past the last user page (Linux's TASK_SIZE) */

#define PAGE_SIZE	4096UL
/* Rounding to pages; PGROUNDUP of the last page's addresses wraps to 0. */
#define PGROUNDUP(a)	(((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PGROUNDDOWN(a)	((a) & ~(PAGE_SIZE - 1))

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Physical address -> its alias in the direct map. */
static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(pa + HHDM_BASE);
}

/* Kernel-image virtual address -> physical address. */
static inline uint64_t
kimg_to_phys(const void *va)
{
	return (uint64_t)va - KERNEL_VMA;
}
#endif

#endif
