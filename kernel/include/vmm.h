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
#include <arch/mmu.h>

/*
 * Permissions: one vocabulary for the kernel's mappings and for user
 * regions. A user page with none of READ, WRITE, EXEC (PROT_NONE) keeps
 * its frame but is not present: neither the program nor the kernel
 * can reach it.
 */
#define VM_READ		0x1
#define VM_WRITE	0x2	/* implies read: x86 has no write-only pages */
#define VM_EXEC		0x4
#define VM_USER		0x8
#define VM_NOCACHE	0x10	/* device memory (the framebuffer) */
#define VM_RWX		(VM_READ | VM_WRITE | VM_EXEC)

/* The page-table entry that maps frame pa with permissions vm. */
pte_t vmm_pte(uint64_t pa, unsigned vm);

/*
 * The last-level entry for va in the tables rooted at pml4 (physical), or
 * NULL. With create, missing tables are allocated (zeroed); NULL then
 * means out of memory, or that a huge page already maps va.
 */
pte_t *vmm_walk(uint64_t pml4, uint64_t va, bool create);

/*
 * The next 4 KiB entry that holds a frame (present or PROT_NONE) at or
 * after *va and below end, with *va set to the address it maps; NULL if
 * none. Skips missing tables whole,
 * so a walk over a huge, mostly empty range costs what is mapped in it.
 */
pte_t *vmm_next_mapped(uint64_t pml4, uint64_t *va, uint64_t end);

/*
 * Clears every entry of [start, end) in the user half, handing each one
 * that holds a frame to drop(e, arg) (which may be NULL), and frees the
 * page tables left mapping nothing; the TLB forgets the range.
 */
void vmm_unmap_range(uint64_t pml4, uint64_t start, uint64_t end,
		     void (*drop)(pte_t e, void *arg), void *arg);

/* Maps the page at va to frame pa; 0, -ENOMEM, or -EEXIST if va is mapped. */
int vmm_map_page(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm);
/* Unmaps va (and flushes it from the TLB); returns the frame it mapped, or 0. */
uint64_t vmm_unmap_page(uint64_t pml4, uint64_t va);
/* Changes the permissions of a mapped page; 0, or -ENOENT if unmapped. */
int vmm_protect(uint64_t pml4, uint64_t va, unsigned vm);
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
/* Maps 2 MiB at va (2 MiB aligned) to pa with one PD entry: the direct map. */
int vmm_map_huge(uint64_t pml4, uint64_t va, uint64_t pa, unsigned vm);
/* Loads the tables rooted at pml4 into CR3 (0: the kernel's own). */
void vmm_activate(uint64_t pml4);

#endif
