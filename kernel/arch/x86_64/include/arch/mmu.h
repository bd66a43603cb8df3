/*
 * The x86-64 MMU as the memory manager sees it: page-table entry bits,
 * helpers that build and read entries, TLB invalidation, CR3. mm/pgtable.c
 * walks the tables; nothing outside arch/ needs to know a bit position.
 *
 *   63  62..52  51........12  11..9  8  7  6  5  4   3   2  1  0
 *   NX  (free)  frame address  (sw)  G PS  D  A PCD PWT U  W  P
 */
#ifndef NEXA_ARCH_MMU_H
#define NEXA_ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_P		(1UL << 0)	/* present */
#define PTE_W		(1UL << 1)	/* writable */
#define PTE_U		(1UL << 2)	/* user-accessible */
#define PTE_PWT		(1UL << 3)
#define PTE_PCD		(1UL << 4)	/* cache disable */
#define PTE_A		(1UL << 5)	/* accessed */
#define PTE_D		(1UL << 6)	/* dirty */
#define PTE_PS		(1UL << 7)	/* huge page (in a PDPT or PD entry) */
#define PTE_G		(1UL << 8)	/* global: survives CR3 reloads */
#define PTE_COW		(1UL << 9)	/* software: copy before writing (uvm.c) */
#define PTE_PROTNONE	(1UL << 10)	/* software: a frame kept without any access */
#define PTE_SPECIAL	(1UL << 11)	/* software: a kernel frame lent out (the vDSO), not counted */
#define PTE_NX		(1UL << 63)	/* no execute (needs EFER.NXE) */
#define PTE_ADDR	0x000FFFFFFFFFF000UL

#define PT_ENTRIES	512
#define PT_LEVELS	4		/* 4 = PML4 ... 1 = PT */

/* The index of va in the table at level (4 = PML4 ... 1 = PT). */
static inline unsigned
pt_index(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 0x1FF;
}

/* The bytes one entry at level maps: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
static inline uint64_t
pt_span(int level)
{
	return 1UL << (12 + 9 * (level - 1));
}

static inline uint64_t
pte_frame(pte_t e)
{
	return e & PTE_ADDR;
}

static inline bool
pte_present(pte_t e)
{
	return e & PTE_P;
}

/* A leaf entry that holds a frame: present, or kept without access (PROT_NONE). */
static inline bool
pte_has_frame(pte_t e)
{
	return e & (PTE_P | PTE_PROTNONE);
}

static inline bool
pte_huge(pte_t e)
{
	return e & PTE_PS;
}

static inline bool
pte_writable(pte_t e)
{
	return e & PTE_W;
}

static inline bool
pte_user(pte_t e)
{
	return e & PTE_U;
}

static inline bool
pte_exec(pte_t e)
{
	return !(e & PTE_NX);
}

static inline bool
pte_cow(pte_t e)
{
	return e & PTE_COW;
}

static inline bool
pte_special(pte_t e)
{
	return e & PTE_SPECIAL;
}

static inline pte_t
pte_mkspecial(pte_t e)
{
	return e | PTE_SPECIAL;
}

/* An entry pointing to a lower-level table; leaf entries decide the rights. */
static inline pte_t
pte_mktable(uint64_t pa, bool user)
{
	return pa | PTE_P | PTE_W | (user ? PTE_U : 0);
}

/*
 * A leaf entry for frame pa: readable always, writable and executable
 * as asked (no-execute only where the CPU has NX), user or global
 * (kernel entries survive CR3 loads), uncached for device memory.
 */
static inline pte_t
pte_mkleaf(uint64_t pa, bool write, bool exec, bool user, bool nocache, bool nx)
{
	return (pa & PTE_ADDR) | PTE_P | (write ? PTE_W : 0) | (user ? PTE_U : PTE_G) |
	       (!exec && nx ? PTE_NX : 0) | (nocache ? PTE_PCD | PTE_PWT : 0);
}

/* A frame kept in the table but not accessible at all (PROT_NONE). */
static inline pte_t
pte_mkprotnone(uint64_t pa)
{
	return (pa & PTE_ADDR) | PTE_PROTNONE;
}

/* The same entry, read-only and marked copy-on-write. */
static inline pte_t
pte_mkcow(pte_t e)
{
	return (e & ~PTE_W) | PTE_COW;
}

/* Drops va's translation (and every cached upper-level entry) from the TLB. */
static inline void
invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void
load_cr3(uint64_t pml4)
{
	__asm__ volatile("movq %0, %%cr3" : : "r"(pml4) : "memory");
}

static inline uint64_t
read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr3, %0" : "=r"(v));
	return v;
}

/* The CPU switches (mmu.c): each returns whether the CPU has the feature. */
bool mmu_enable_nx(void);	/* EFER.NXE: PTE_NX works */
void mmu_enable_global(void);	/* CR4.PGE: PTE_G entries survive CR3 loads */
/* CR4.SMEP and CR4.SMAP: the kernel can neither run nor (outside the
 * user-copy routine) touch user pages. Returns what is on ("SMEP and
 * SMAP", "SMEP", ...), or NULL. */
const char *mmu_enable_user_guards(void);

#endif
