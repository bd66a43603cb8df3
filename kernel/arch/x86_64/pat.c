/*
 * Write-combining through the PAT (page attribute table, IA32_PAT). A
 * page's memory type is the PAT entry its PAT, PCD and PWT bits index;
 * at reset the entries are WB, WT, UC-, UC, then the same again. Entry 1
 * (PWT alone) becomes WC here, as in Linux: nothing maps write-through,
 * and uncached device memory (PCD | PWT, entry 3) stays uncached.
 *
 * Write-combining lets the CPU gather a framebuffer's stores into whole
 * cache lines instead of one bus write per pixel: drawing a screen of
 * text on real hardware is many times faster than uncached.
 */
#include <stddef.h>
#include <layout.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/msr.h>
#include <arch/pat.h>

#define MSR_PAT		0x277
#define PAT_WC		0x01ULL
#define PAT_ENTRY_BITS	8
#define CPUID_PAT	(1u << 16)	/* leaf 1, edx */

static bool
pat_enable_wc(void)
{
	static bool done;

	if (done)
		return true;
	if (!(cpuid(1).edx & CPUID_PAT))
		return false;
	uint64_t pat = rdmsr(MSR_PAT);

	pat &= ~(0xFFULL << PAT_ENTRY_BITS);
	wrmsr(MSR_PAT, pat | PAT_WC << PAT_ENTRY_BITS);
	done = true;
	return true;
}

/* The leaf entry (4 KiB, 2 MiB or 1 GiB) mapping va, with its span; NULL if none. */
static pte_t *
leaf_of(uint64_t va, uint64_t *span)
{
	pte_t *table = phys_to_virt(read_cr3() & PTE_ADDR);

	for (int level = PT_LEVELS; level >= 1; level--) {
		pte_t *e = &table[pt_index(va, level)];

		*span = pt_span(level);
		if (!pte_present(*e))
			return NULL;
		if (level == 1 || pte_huge(*e))
			return e;
		table = phys_to_virt(pte_frame(*e));
	}
	return NULL;
}

long
pat_map_wc(uint64_t va, uint64_t len)
{
	long changed = 0;

	if (!pat_enable_wc())
		return -1;
	for (uint64_t end = va + len; va < end;) {
		uint64_t span;
		pte_t *e = leaf_of(va, &span);

		if (e && (*e & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT)) {
			*e &= ~PTE_PCD;
			invlpg(va & ~(span - 1));
			changed += span;
		}
		va = (va & ~(span - 1)) + span;
	}
	return changed;
}
