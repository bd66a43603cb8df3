/*
 * mmio_map: device registers get their own window of virtual addresses
 * instead of the direct map, because the direct map covers what the
 * memory map lists with large write-back pages, and firmware lists
 * device ranges there too (UEFI's "memory-mapped I/O" regions). Caching
 * a register would read stale values and merge writes.
 */
#include <stddef.h>
#include <layout.h>
#include <mmio.h>
#include <vmm.h>

static uint64_t next = MMIO_BASE;	/* the window is handed out upwards, never freed */

volatile void *
mmio_map(uint64_t pa, uint64_t len)
{
	uint64_t first = PGROUNDDOWN(pa), end = PGROUNDUP(pa + len);

	if (!len || end <= first)
		return NULL;
	if (!vmm_kernel_pml4())
		return end <= HHDM_BOOT_SIZE ? phys_to_virt(pa) : NULL;
	if (end - first > MMIO_BASE + MMIO_SIZE - next)
		return NULL;
	uint64_t va = next;
	for (uint64_t p = first; p < end; p += PAGE_SIZE)
		if (vmm_map_page(vmm_kernel_pml4(), va + (p - first), p,
				 VM_READ | VM_WRITE | VM_NOCACHE) < 0)
			return NULL;	/* the pages mapped so far stay: a tiny leak */
	next += end - first;
	return (volatile void *)(va + (pa - first));
}
