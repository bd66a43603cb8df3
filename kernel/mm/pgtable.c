/*
 * 4-level page tables: walking, mapping, unmapping, protecting (see the
 * diagram in vmm.h). Tables are frames from the physical allocator,
 * reached through the direct map; the entries are built and read with
 * the MMU's helpers (arch/mmu.h), and vmm_pte() is the one place where
 * permissions become entry bits.
 */
#include <stddef.h>
#include <kerrno.h>
#include <kprintf.h>
#include <layout.h>
#include <pmm.h>
#include <vmm.h>

static inline pte_t *
table(pte_t e)
{
	return phys_to_virt(pte_frame(e));
}

pte_t
vmm_pte(uint64_t pa, unsigned vm)
{
	if (!(vm & (VM_READ | VM_WRITE | VM_EXEC)))
		return pte_mkprotnone(pa);
	return pte_mkleaf(pa, vm & VM_WRITE, vm & VM_EXEC, vm & VM_USER,
			  vm & VM_NOCACHE, vmm_nx_enabled());
}

#if SOL >= 3
pte_t *
vmm_walk(uint64_t pml4, uint64_t va, bool create)
{
	pte_t *t = table(pml4);

	for (int level = PT_LEVELS; level > 1; level--) {
		pte_t *e = &t[pt_index(va, level)];

		if (!pte_present(*e)) {
			if (!create)
				return NULL;
			uint64_t frame = pmm_alloc_frame();	/* zeroed */
			if (!frame)
				return NULL;
			/* Leaf entries decide; the levels above only need to allow. */
			*e = pte_mktable(frame, va < USER_TOP);
		} else if (pte_huge(*e)) {
			return NULL;	/* a huge page maps va already */
		}
		t = table(*e);
	}
	return &t[pt_index(va, 1)];
}

int
vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	pte_t *e = vmm_walk(pml4, va, true);

	if (!e)
		return -ENOMEM;
	if (pte_has_frame(*e))
		return -EEXIST;
	*e = vmm_pte(pa, vm);
	return 0;
}

uint64_t
vmm_unmap_page(uint64_t pml4, uint64_t va)
{
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !pte_has_frame(*e))
		return 0;
	uint64_t pa = pte_frame(*e);
	*e = 0;
	invlpg(va);	/* the TLB may still hold the old translation */
	return pa;
}
#else
pte_t *
vmm_walk(uint64_t pml4, uint64_t va, bool create)
{
	/* LAB 3: your code here. Descend from PML4 to the PT (pt_index,
	 * table), allocating zeroed tables with pmm_alloc_frame if create
	 * (pte_mktable). */
	(void)pml4, (void)va, (void)create;
	return NULL;
}

int
vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	/* LAB 3: your code here. The entry is vmm_pte(pa, vm). */
	(void)pml4, (void)va, (void)pa, (void)vm;
	return -ENOMEM;
}

uint64_t
vmm_unmap_page(uint64_t pml4, uint64_t va)
{
	/* LAB 3: your code here. Clear the entry, then invlpg(va). */
	(void)pml4, (void)va;
	return 0;
}
#endif

int
vmm_protect(uint64_t pml4, uint64_t va, unsigned vm)
{
	pte_t *e = vmm_walk(pml4, va, false);

	if (!e || !pte_has_frame(*e))
		return -ENOENT;
	*e = vmm_pte(pte_frame(*e), vm);
	invlpg(va);
	return 0;
}

pte_t *
vmm_next_mapped(uint64_t pml4, uint64_t *va, uint64_t end)
{
	while (*va < end) {
		pte_t *t = table(pml4);
		int level = PT_LEVELS;

		for (; level > 1; level--) {
			pte_t e = t[pt_index(*va, level)];

			if (!pte_present(e) || pte_huge(e))
				break;
			t = table(e);
		}
		if (level == 1) {
			pte_t *e = &t[pt_index(*va, 1)];

			if (pte_has_frame(*e))
				return e;
		}
		/* Nothing here: skip the whole range the missing entry covers. */
		uint64_t next = (*va & ~(pt_span(level) - 1)) + pt_span(level);
		if (next <= *va)
			break;		/* wrapped around the top */
		*va = next;
	}
	return NULL;
}

/*
 * Clears the entries of [start, end) in table t (level `level`, whose
 * first entry maps base) and below; true if t maps nothing any more.
 */
static bool
unmap_level(pte_t *t, int level, uint64_t base, uint64_t start, uint64_t end,
	    bool flush, void (*drop)(pte_t e, void *arg), void *arg)
{
	uint64_t span = pt_span(level);
	unsigned first = start > base ? (start - base) / span : 0;
	unsigned last = (end - 1 - base) / span;

	for (unsigned i = first; i <= last && i < PT_ENTRIES; i++) {
		uint64_t va = base + i * span;

		if (!t[i])
			continue;
		if (level == 1) {
			pte_t e = t[i];

			t[i] = 0;
			if (flush)
				invlpg(va);
			if (pte_has_frame(e) && drop)
				drop(e, arg);
		} else if (!pte_huge(t[i]) &&
			   unmap_level(table(t[i]), level - 1, va, start > va ? start : va,
				       end < va + span ? end : va + span, flush, drop, arg)) {
			pmm_free_frame(pte_frame(t[i]));
			t[i] = 0;
		}
	}
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

void
vmm_unmap_range(uint64_t pml4, uint64_t start, uint64_t end,
		void (*drop)(pte_t e, void *arg), void *arg)
{
	bool active = read_cr3() == pml4;

	if (start >= end || end > USER_TOP)
		return;
	unmap_level(table(pml4), PT_LEVELS, 0, start, end, active, drop, arg);
	/* Any invlpg also drops the cached upper levels: the freed tables too. */
	if (active)
		invlpg(start);
}

/* The entry that maps va and its level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB), read only. */
static pte_t
lookup(uint64_t pml4, uint64_t va, int *level)
{
	pte_t *t = table(pml4);

	for (int l = PT_LEVELS; l >= 1; l--) {
		pte_t e = t[pt_index(va, l)];

		if (!pte_present(e) || l == 1 || (l <= 3 && pte_huge(e))) {
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
	uint64_t size = pt_span(level);

	if (!pte_present(e))
		return (uint64_t)-1;
	return (pte_frame(e) & ~(size - 1)) | (va & (size - 1));
}

void
vmm_print_walk(uint64_t pml4, uint64_t va)
{
	static const char *const names[] = { "", "PT", "PD", "PDPT", "PML4" };
	pte_t *t = table(pml4);

	kprintf("walk of 0x%016lx (CR3 0x%lx):\n", va, pml4);
	for (int l = PT_LEVELS; l >= 1; l--) {
		pte_t e = t[pt_index(va, l)];

		kprintf("  %-4s[%3u] = 0x%016lx", names[l], pt_index(va, l), e);
		if (!pte_present(e)) {
			kprintf(" not present\n");
			return;
		}
		kprintf(" %s%s%s%s%s\n", pte_writable(e) ? "W" : "R", pte_user(e) ? " U" : "",
			pte_exec(e) ? " X" : " NX", e & PTE_G ? " G" : "",
			(l > 1 && pte_huge(e)) ? " huge" : "");
		if (l == 1 || (l <= 3 && pte_huge(e)))
			break;
		t = table(e);
	}
	kprintf("  -> physical 0x%lx\n", vmm_translate(pml4, va));
}

int
vmm_map_huge(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm)
{
	pte_t *t = table(pml4);

	for (int level = PT_LEVELS; level > 2; level--) {
		pte_t *e = &t[pt_index(va, level)];

		if (!pte_present(*e)) {
			uint64_t frame = pmm_alloc_frame();
			if (!frame)
				return -ENOMEM;
			*e = pte_mktable(frame, false);
		}
		t = table(*e);
	}
	t[pt_index(va, 2)] = vmm_pte(pa, vm) | PTE_PS;
	return 0;
}
