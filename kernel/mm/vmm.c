/*
 * The kernel's address space (layout.h): the image mapped section by
 * section with W^X, all physical memory in the direct map (no execute),
 * no identity map (so a null pointer faults), and guarded kernel stacks.
 */
#include <kstring.h>
#include <bootinfo.h>
#include <kerrno.h>
#include <kprintf.h>
#include <layout.h>
#include <panic.h>
#include <pmm.h>
#include <vmm.h>
#include <arch/cpu.h>

#define HUGE_SIZE	0x200000UL

extern const char __text_start[], __text_end[], __rodata_start[],
	__data_start[], __bss_end[], boot_stack_guard[], boot_stack_bottom[];

static uint64_t kernel_pml4;
static bool nx;			/* the CPU honours PTE_NX */
static uint8_t stack_used[KSTACK_SLOTS];

static uint64_t
page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Maps the image pages [start, end) with permissions vm. */
static int
map_image(uint64_t pml4, const char *start, const char *end, unsigned vm)
{
	for (uint64_t va = (uint64_t)start; va < page_up((uint64_t)end); va += PAGE_SIZE) {
		if (va == (uint64_t)boot_stack_guard)
			continue;
		int r = vmm_map_page(pml4, va, kimg_to_phys((const void *)va), vm);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The direct map of [start, end) with 2 MiB pages. */
static int
map_direct(uint64_t pml4, uint64_t start, uint64_t end, unsigned vm)
{
	for (uint64_t pa = start & ~(HUGE_SIZE - 1); pa < end; pa += HUGE_SIZE) {
		uint64_t va = HHDM_BASE + pa;

		if (vmm_walk(pml4, va, false) || vmm_translate(pml4, va) != (uint64_t)-1)
			continue;	/* already mapped: low memory, or a shared 2 MiB page */
		int r = vmm_map_huge(pml4, va, pa, vm);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The direct map of the low memory (BIOS data, VGA, EBDA, the kernel)
 * with 4 KiB pages, leaving out the kernel's text and rodata: no writable
 * alias of code, W^X holds for the direct map too.
 */
static int
map_low(uint64_t pml4)
{
	uint64_t end = (kimg_to_phys(__bss_end) + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);

	for (uint64_t pa = 0; pa < end; pa += PAGE_SIZE) {
		if (pa >= kimg_to_phys(__text_start) && pa < kimg_to_phys(__data_start))
			continue;
		int r = vmm_map_page(pml4, HHDM_BASE + pa, pa, VM_READ | VM_WRITE);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
build(uint64_t pml4)
{
	const struct bootinfo *bi = &boot_info;
	int r;

	if ((r = map_image(pml4, __text_start, __text_end, VM_READ | VM_EXEC)) < 0 ||
	    (r = map_image(pml4, __rodata_start, __data_start, VM_READ)) < 0 ||
	    (r = map_image(pml4, __data_start, __bss_end, VM_READ | VM_WRITE)) < 0)
		return r;
	if ((r = map_low(pml4)) < 0)
		return r;
	for (unsigned i = 0; i < bi->nmem; i++)
		if ((r = map_direct(pml4, bi->mem[i].base,
				    bi->mem[i].base + bi->mem[i].len, VM_READ | VM_WRITE)) < 0)
			return r;
	if (bi->has_fb)
		r = map_direct(pml4, bi->fb.addr, bi->fb.addr +
			       (uint64_t)bi->fb.pitch * bi->fb.height,
			       VM_READ | VM_WRITE | VM_NOCACHE);
	return r;
}

int
vmm_init(void)
{
	uint64_t pml4 = pmm_alloc_frame();

	nx = mmu_enable_nx();
	if (!pml4 || !vmm_walk(pml4, KERNEL_VMA, true)) {
		kprintf("vmm: cannot build page tables (%s); staying on the boot tables\n",
			pml4 ? "vmm_walk failed" : "no memory");
		if (pml4)
			pmm_free_frame(pml4);
		return -ENOMEM;
	}
	int r = build(pml4);
	if (r < 0) {
		kprintf("vmm: building the kernel page tables failed (%d)\n", r);
		return r;
	}
	load_cr3(pml4);
	mmu_enable_global();
	kernel_pml4 = pml4;
	return 0;
}

uint64_t
vmm_kernel_pml4(void)
{
	return kernel_pml4;
}

bool
vmm_nx_enabled(void)
{
	return nx;
}

void
vmm_activate(uint64_t pml4)
{
	if (!pml4)
		pml4 = kernel_pml4;
	if (read_cr3() != pml4)
		load_cr3(pml4);
}

uint64_t
vmm_alloc_stack(unsigned pages)
{
	if (!kernel_pml4 || pages == 0 || pages >= KSTACK_SLOT / PAGE_SIZE)
		return 0;
	for (unsigned s = 0; s < KSTACK_SLOTS; s++) {
		if (stack_used[s])
			continue;
		uint64_t top = KSTACK_BASE + (s + 1) * KSTACK_SLOT;
		for (unsigned i = 1; i <= pages; i++) {
			uint64_t pa = pmm_alloc_frame();

			if (!pa || vmm_map_page(kernel_pml4, top - i * PAGE_SIZE, pa,
						   VM_READ | VM_WRITE) < 0) {
				if (pa)
					pmm_free_frame(pa);
				while (--i)
					pmm_free_frame(vmm_unmap_page(kernel_pml4, top - i * PAGE_SIZE));
				return 0;
			}
		}
		stack_used[s] = (uint8_t)pages;
		return top;
	}
	return 0;
}

uint64_t
vmm_guard_hit(uint64_t va)
{
	if (va >= (uint64_t)boot_stack_guard && va < (uint64_t)boot_stack_bottom)
		return (uint64_t)boot_stack_bottom;
	if (va < KSTACK_BASE || va >= KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT)
		return 0;
	uint64_t s = (va - KSTACK_BASE) / KSTACK_SLOT;
	uint64_t bottom = KSTACK_BASE + (s + 1) * KSTACK_SLOT - stack_used[s] * PAGE_SIZE;
	return stack_used[s] && va < bottom && va >= bottom - PAGE_SIZE ? bottom : 0;
}

void
vmm_free_stack(uint64_t top)
{
	uint64_t s = (top - KSTACK_BASE) / KSTACK_SLOT - 1;

	if (top < KSTACK_BASE + KSTACK_SLOT || s >= KSTACK_SLOTS ||
	    top != KSTACK_BASE + (s + 1) * KSTACK_SLOT || !stack_used[s])
		panic("vmm_free_stack: 0x%lx is not a kernel stack", top);
	for (unsigned i = 1; i <= stack_used[s]; i++)
		pmm_free_frame(vmm_unmap_page(kernel_pml4, top - i * PAGE_SIZE));
	stack_used[s] = 0;
}
