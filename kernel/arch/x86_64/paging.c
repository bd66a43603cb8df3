/*
 * x86-64 page tables: walking, mapping, unmapping (see the diagram in
 * vmm.h). Tables are frames from the physical allocator, reached through
 * the direct map.
 */
#include <stddef.h>
#include <errno.h>
#include <kprintf.h>
#include <layout.h>
#include <pmm.h>
#include <vmm.h>

static bool nx;

static inline unsigned
index_at(uint64_t va, int level)	/* level 4 = PML4 ... 1 = PT */
{
	return (va >> (12 + 9 * (level - 1))) & 0x1FF;
}

static inline pte_t *
table(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR);
}

static inline void
invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Page-table bits for a mapping with permissions vm. */
static pte_t
pte_bits(unsigned vm)
{
	pte_t f = PTE_P;

	if (vm & VM_WRITE)
		f |= PTE_W;
	if (vm & VM_USER)
		f |= PTE_U;
	else
		f |= PTE_G;
	if (!(vm & VM_EXEC) && nx)
		f |= PTE_NX;
	if (vm & VM_NOCACHE)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

#if SOL >= 3
pte_t *
vmm_walk(uint64_t pml4, uint64_t va, bool create)
{
	pte_t *t = table(pml4);

	for (int level = 4; level > 1; level--) {
		pte_t *e = &t[index_at(va, level)];

		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t frame = pmm_alloc_frame();	/* zeroed */
			if (!frame)
				return NULL;
			/* Leaf entries decide; the levels above only need to allow. */
			*e = frame | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			return NULL;	/* a huge page maps va already */
		}
		t = table(*e);
	}
	return &t[index_at(va, 1)];
}

int
vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	pte_t *e = vmm_walk(pml4, va, true);

	if (!e)
		return -ENOMEM;
	if (*e & PTE_P)
		return -EEXIST;
	*e = (pa & PTE_ADDR) | pte_bits(vm);
	return 0;
}

uint64_t
vmm_unmap_page(uint64_t pml4, uint64_t va)
{
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !(*e & PTE_P))
		return 0;
	uint64_t pa = *e & PTE_ADDR;
	*e = 0;
	invlpg(va);	/* the TLB may still hold the old translation */
	return pa;
}
#else
pte_t *
vmm_walk(uint64_t pml4, uint64_t va, bool create)
{
	/* LAB 3: your code here. Descend from PML4 to the PT (index_at,
	 * table), allocating zeroed tables with pmm_alloc_frame if create. */
	(void)pml4, (void)va, (void)create;
	return NULL;
}

int
vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	/* LAB 3: your code here. */
	(void)pml4, (void)va, (void)pa, (void)vm, (void)pte_bits;
	return -ENOMEM;
}

uint64_t
vmm_unmap_page(uint64_t pml4, uint64_t va)
{
	/* LAB 3: your code here. Clear the entry, then invlpg(va). */
	(void)pml4, (void)va, (void)invlpg;
	return 0;
}
#endif

int
vmm_protect(uint64_t pml4, uint64_t va, unsigned vm)
{
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !(*e & PTE_P))
		return -ENOENT;
	*e = (*e & PTE_ADDR) | pte_bits(vm);
	invlpg(va);
	return 0;
}

pte_t *
vmm_next_mapped(uint64_t pml4, uint64_t *va, uint64_t end)
{
	while (*va < end) {
		pte_t *t = table(pml4);
		int level = 4;

		for (; level > 1; level--) {
			pte_t e = t[index_at(*va, level)];

			if (!(e & PTE_P) || (e & PTE_PS))
				break;
			t = table(e);
		}
		if (level == 1) {
			pte_t *e = &t[index_at(*va, 1)];

			if (*e & PTE_P)
				return e;
		}
		/* Nothing here: skip the whole range the missing entry covers. */
		uint64_t span = 1UL << (12 + 9 * (level - 1));
		uint64_t next = (*va & ~(span - 1)) + span;
		if (next <= *va)
			break;		/* wrapped around the top */
		*va = next;
	}
	return NULL;
}

/* The entry that maps va and its level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB), read only. */
static pte_t
lookup(uint64_t pml4, uint64_t va, int *level)
{
	pte_t *t = table(pml4);

	for (int l = 4; l >= 1; l--) {
		pte_t e = t[index_at(va, l)];

		if (!(e & PTE_P) || l == 1 || (l <= 3 && (e & PTE_PS))) {
			*level = l;
			return e;
		}
		t = table(e);
	}
	return 0;
}

uint64_t
vmm_translate(uint64_t pml4, uint64_t va)
{
	int level;
	pte_t e = lookup(pml4, va, &level);
	uint64_t size = 1UL << (12 + 9 * (level - 1));

	if (!(e & PTE_P))
		return (uint64_t)-1;
	return (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
}

void
vmm_print_walk(uint64_t pml4, uint64_t va)
{
	static const char *const names[] = { "", "PT", "PD", "PDPT", "PML4" };
	pte_t *t = table(pml4);

	kprintf("walk of 0x%016lx (CR3 0x%lx):\n", va, pml4);
	for (int l = 4; l >= 1; l--) {
		pte_t e = t[index_at(va, l)];

		kprintf("  %-4s[%3u] = 0x%016lx", names[l], index_at(va, l), e);
		if (!(e & PTE_P)) {
			kprintf(" not present\n");
			return;
		}
		kprintf(" %s%s%s%s%s\n", e & PTE_W ? "W" : "R", e & PTE_U ? " U" : "",
			e & PTE_NX ? " NX" : " X", e & PTE_G ? " G" : "",
			(l > 1 && (e & PTE_PS)) ? " huge" : "");
		if (l == 1 || (l <= 3 && (e & PTE_PS)))
			break;
		t = table(e);
	}
	kprintf("  -> physical 0x%lx\n", vmm_translate(pml4, va));
}

/* Turns on no-execute if the CPU has it (CPUID 0x80000001 EDX bit 20). */
void
paging_enable_nx(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001));
	if (!(d & (1u << 20)))
		return;
	__asm__ volatile("rdmsr; orl $(1 << 11), %%eax; wrmsr"
			 : : "c"(0xC0000080) : "eax", "edx");
	nx = true;
}

/* CR4.PGE: kernel entries (PTE_G) then survive CR3 loads at context switches. */
void
paging_enable_global(void)
{
	uint64_t cr4;

	__asm__ volatile("movq %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("movq %0, %%cr4" : : "r"(cr4 | (1UL << 7)) : "memory");
}

bool
vmm_nx_enabled(void)
{
	return nx;
}

void
vmm_invalidate(uint64_t va)
{
	invlpg(va);
}

void
paging_load(uint64_t pml4)
{
	__asm__ volatile("movq %0, %%cr3" : : "r"(pml4) : "memory");
}

/* Maps 2 MiB at va to pa with one PD entry (the direct map). */
int
paging_map_huge(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	pte_t *t = table(pml4);

	for (int level = 4; level > 2; level--) {
		pte_t *e = &t[index_at(va, level)];

		if (!(*e & PTE_P)) {
			uint64_t frame = pmm_alloc_frame();
			if (!frame)
				return -ENOMEM;
			*e = frame | PTE_P | PTE_W;
		}
		t = table(*e);
	}
	t[index_at(va, 2)] = (pa & PTE_ADDR) | pte_bits(vm) | PTE_PS;
	return 0;
}
