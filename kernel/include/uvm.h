/*
 * User address spaces: a page table whose upper half is the kernel's,
 * and a list of regions (VMAs) that say what the lower half may hold.
 * Pages come on demand: a fault inside a region maps a zeroed page, or
 * copies a copy-on-write page shared since fork.
 *
 *   USER_STACK_TOP  +--------------------+
 *                   | stack (8 MiB VMA)  |  grows down, demand-zero
 *                   +--------------------+
 *                   | guard page         |  never mapped
 *                   +--------------------+
 *                   | mmap regions       |  allocated top-down
 *                   :                    :
 *                   | heap (brk)         |  grows up from the end of bss
 *                   | .data .bss         |
 *                   | .text              |
 *   USER_BASE       +--------------------+  0x200000
 */
#ifndef NEXA_UVM_H
#define NEXA_UVM_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm.h>

#define USER_STACK_TOP	0x00007FFFFFFFF000UL
#define USER_STACK_SIZE	(8UL << 20)	/* RLIMIT_STACK's usual 8 MiB */
#define USER_MMAP_TOP	(USER_STACK_TOP - USER_STACK_SIZE - 0x10000000UL)
#define USER_PIE_BASE	0x0000555555554000UL	/* where static-PIE programs go */

/* Region kinds. */
#define VMA_ANON	0x1	/* anonymous memory (mmap) */
#define VMA_HEAP	0x2	/* the brk heap */
#define VMA_STACK	0x4
#define VMA_IMAGE	0x8	/* a segment of the program */

#define VM_READABLE	0x10	/* a region's prot: VM_READABLE | VM_WRITE | VM_EXEC */

struct vma {
	uint64_t start, end;	/* [start, end), page aligned */
	unsigned prot;		/* VM_READABLE, VM_WRITE, VM_EXEC; none: PROT_NONE */
	unsigned kind;
	struct vma *next;	/* sorted by start */
};

struct uvm {
	uint64_t pml4;		/* physical */
	struct vma *vmas;
	uint64_t brk_start, brk;
};

struct uvm *uvm_create(void);
void uvm_destroy(struct uvm *vm);
/* The copy-on-write copy of vm for fork; NULL if out of memory. */
struct uvm *uvm_fork(struct uvm *vm);
void uvm_activate(struct uvm *vm);	/* loads its page table (NULL: the kernel's) */

/* Adds a region; -EEXIST if it overlaps one, -ENOMEM. */
int uvm_add_region(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot,
		   unsigned kind);
struct vma *uvm_find(struct uvm *vm, uint64_t va);

/*
 * Handles a page fault at va (write: a write access, fetch: an
 * instruction fetch). 0 when the page is now mapped, -EFAULT when the
 * access is not allowed, -ENOMEM when no frame is left.
 */
int uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch);

/* Copies into vm's memory at va (faulting pages in), for exec's loader. */
int uvm_write(struct uvm *vm, uint64_t va, const void *src, uint64_t n);

/* mmap's PROT_READ/WRITE/EXEC as region permissions (write or exec imply read). */
unsigned uvm_prot_bits(int prot);

/* The memory system calls. */
uint64_t uvm_brk(struct uvm *vm, uint64_t addr);
int64_t uvm_mmap(struct uvm *vm, uint64_t addr, uint64_t len, int prot, int flags);
int uvm_munmap(struct uvm *vm, uint64_t addr, uint64_t len);
int uvm_mprotect(struct uvm *vm, uint64_t addr, uint64_t len, int prot);

#endif
