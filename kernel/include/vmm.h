/*
 * Virtual memory: 4-level page tables and the kernel's address space.
 *
 *   virtual address (48 bits used, 63..48 copy bit 47):
 *   +---------+---------+---------+---------+------------+
 *   | PML4 9  | PDPT 9  |  PD 9   |  PT 9   | offset 12  |
 *   +---------+---------+---------+---------+------------+
 *    47     39 38     30 29     21 20     12 11          0
 *
 * CR3 -> PML4[va 47:39] -> PDPT[38:30] -> PD[29:21] -> PT[20:12] -> frame.
 * A PDPT or PD entry with PS set maps 1 GiB or 2 MiB directly.
 */
#ifndef NEXA_VMM_H
#define NEXA_VMM_H

#include <stdbool.h>
#include <stdint.h>

/* Page-table entry bits (the hardware's). */
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
#define PTE_NX		(1UL << 63)	/* no execute (needs EFER.NXE) */
#define PTE_ADDR	0x000FFFFFFFFFF000UL
#define PTE_FLAGS	(~PTE_ADDR)

/* Mapping permissions, as callers ask for them. */
#define VM_READ		0x0
#define VM_WRITE	0x1
#define VM_EXEC		0x2
#define VM_USER		0x4
#define VM_NOCACHE	0x8

typedef uint64_t pte_t;

/*
 * The last-level entry for va in the tables rooted at pml4 (physical), or
 * NULL. With create, missing tables are allocated (zeroed); NULL then
 * means out of memory, or that a huge page already maps va.
 */
pte_t *vmm_walk(uint64_t pml4, uint64_t va, bool create);

/*
 * The next present 4 KiB entry at or after *va and below end, with *va
 * set to the address it maps; NULL if none. Skips missing tables whole,
 * so a walk over a huge, mostly empty range costs what is mapped in it.
 */
pte_t *vmm_next_mapped(uint64_t pml4, uint64_t *va, uint64_t end);

/* Maps the page at va to frame pa; 0, -ENOMEM, or -EEXIST if va is mapped. */
int vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm);
/* Unmaps va (and flushes it from the TLB); returns the frame it mapped, or 0. */
uint64_t vmm_unmap_page(uint64_t pml4, uint64_t va);
/* Changes the permissions of a mapped page; 0, or -ENOENT if unmapped. */
int vmm_protect(uint64_t pml4, uint64_t va, unsigned vm);
/* Drops va's translation from the TLB, after a direct change of its entry. */
void vmm_invalidate(uint64_t va);
/* The physical address va maps to (huge pages too); -1 if unmapped. */
uint64_t vmm_translate(uint64_t pml4, uint64_t va);
/* Prints the walk of va level by level (the monitor's translate). */
void vmm_print_walk(uint64_t pml4, uint64_t va);

/* Builds the kernel's page tables (W^X, direct map, guard pages) and switches to them. */
int vmm_init(void);
uint64_t vmm_kernel_pml4(void);	/* 0 while the boot tables are in use */
bool vmm_nx_enabled(void);

/*
 * A kernel stack of pages pages, with an unmapped guard page below it;
 * returns its top (the initial rsp), or 0.
 */
uint64_t vmm_alloc_stack(unsigned pages);
void vmm_free_stack(uint64_t top);	/* top: what vmm_alloc_stack returned */
/* If va lies in a stack's guard page, the bottom of that stack; else 0. */
uint64_t vmm_guard_hit(uint64_t va);

/* Architecture hooks, for vmm.c. */
void paging_enable_nx(void);
void paging_enable_global(void);
void paging_load(uint64_t pml4);
int paging_map_huge(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm);

#endif
