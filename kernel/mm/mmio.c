/*
 * Device memory in the direct map. vmm_init maps RAM and the framebuffer
 * there; a device's registers (a PCI BAR) get their pages on demand,
 * uncached: a register read must reach the device every time.
 */
#include <kprintf.h>
#include <layout.h>
#include <mmio.h>
#include <vmm.h>

void *
mmio_map(uint64_t pa, uint64_t len)
{
	uint64_t pml4 = vmm_kernel_pml4();
	uint64_t start = PGROUNDDOWN(pa), end = PGROUNDUP(pa + len);

	if (!pml4 || len == 0 || end <= start || pa + len > HHDM_BASE)
		return NULL;
	for (uint64_t p = start; p < end; p += PAGE_SIZE) {
		uint64_t va = HHDM_BASE + p;
		uint64_t now = vmm_translate(pml4, va);

		if (now == p)
			continue;	/* mapped already (a 2 MiB page of the direct map) */
		if (now != (uint64_t)-1) {
			kprintf("mmio: 0x%lx is mapped to 0x%lx already\n", va, now);
			return NULL;
		}
		if (vmm_map_page(pml4, va, p, VM_READ | VM_WRITE | VM_NOCACHE) < 0)
			return NULL;
	}
	return phys_to_virt(pa);
}
