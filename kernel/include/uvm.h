/*
 * User address spaces: a page table whose upper half is the kernel's,
 * and the regions (VMAs) that say what the lower half may hold, kept in
 * an AVL tree by address (lookups, inserts and the search for free space
 * in O(log n)). Pages come on demand: a fault inside a region maps a
 * zeroed page, or copies a copy-on-write page shared since fork.
 *
 *   USER_STACK_TOP  +--------------------+  USER_TOP
 *                   | stack (8 MiB VMA)  |  demand-zero
 *                   +--------------------+
 *                   | guard gap, 1 MiB   |  nothing is placed here
 *                   +--------------------+
 *   USER_MMAP_TOP   | mmap regions       |  allocated top-down
 *                   :                    :
 *                   | heap (brk)         |  grows up from the end of bss
 *                   | .data .bss         |
 *                   | .text              |
 *   USER_BASE       +--------------------+  64 KiB
 */
#ifndef NEXA_UVM_H
#define NEXA_UVM_H

#include <stdbool.h>
#include <stdint.h>
#include <avl.h>
#include <layout.h>
#include <vmm.h>

#define USER_STACK_TOP	USER_TOP
#define USER_STACK_SIZE	(8UL << 20)	/* RLIMIT_STACK's usual 8 MiB */
#define STACK_GUARD_GAP	(256 * PAGE_SIZE)	/* Linux's stack_guard_gap */
#define USER_MMAP_TOP	(USER_STACK_TOP - USER_STACK_SIZE - 0x10000000UL)
#define USER_PIE_BASE	0x0000555555554000UL	/* where static-PIE programs go */
#define MAX_MAP_COUNT	65530	/* regions per process (Linux's vm.max_map_count) */

/* Region kinds. */
#define VMA_ANON	0x1	/* anonymous memory (mmap) */
#define VMA_HEAP	0x2	/* the brk heap */
#define VMA_STACK	0x4
#define VMA_IMAGE	0x8	/* a segment of the program */
#define VMA_SPECIAL	0x10	/* kernel frames lent to every process: the vDSO and its data */
#define VMA_SHARED	0x20	/* a file's pages themselves (MAP_SHARED): writes reach the file */
#define VMA_FILE	0x40	/* a file's pages behind it (mmap of a file, exec) */

struct vma;

/*
 * A file behind a region (lab 5's mmap and exec): how the address space
 * reaches its pages without knowing what a file is.
 */
struct vma_file_ops {
	/*
	 * The frame of page index with a reference for the caller; alloc
	 * fills a hole. -ENOENT for a hole, -EIO beyond the end of the file.
	 */
	int (*get_page)(void *file, uint64_t index, bool alloc, uint64_t *pa);
	/* Region v maps the file from now on, or no longer (the file keeps a list). */
	void (*hold)(void *file, struct vma *v);
	void (*release)(void *file, struct vma *v);
};

/* What mmap maps when it maps a file. */
struct mmap_file {
	void *file;
	const struct vma_file_ops *ops;
	uint64_t pgoff;			/* the file page at the region's start */
	bool may_write;			/* MAP_SHARED: the file is open for writing too */
};

struct vma {
	struct avl_node node;	/* in uvm.vmas, ordered by start */
	uint64_t start, end;	/* [start, end), page aligned */
	uint64_t gap;		/* free bytes below start, down to the previous region */
	uint64_t max_gap;	/* the largest gap in this subtree */
	unsigned prot;		/* VM_READ | VM_WRITE | VM_EXEC; 0 is PROT_NONE */
	unsigned kind;
	struct mmap_file file;	/* file.file NULL: anonymous memory */
	struct uvm *vm;		/* the address space it belongs to */
	struct vma *file_prev, *file_next;	/* the other regions that map the same file */
};

struct uvm {
	uint64_t pml4;		/* physical */
	struct avl_tree vmas;
	unsigned nvmas;		/* at most MAX_MAP_COUNT */
	uint64_t rss;		/* pages mapped, shared ones included */
	uint64_t max_rss;	/* the most rss ever was */
	uint64_t brk_start, brk;
	uint64_t arg_start, arg_end;	/* the argument strings (/proc/PID/cmdline) */
	uint64_t env_end;		/* the environment strings follow them */
};

struct uvm *uvm_create(void);
/* Frees everything; vm must not be loaded in CR3. May yield. */
void uvm_destroy(struct uvm *vm);
/*
 * The copy-on-write copy of vm for fork into *child: 0, -ENOMEM, or
 * -EINTR when a fatal signal arrived meanwhile. May yield.
 */
int uvm_fork(struct uvm *vm, struct uvm **child);
void uvm_activate(struct uvm *vm);	/* loads its page table (NULL: the kernel's) */

/* Adds a region; -EEXIST if it overlaps one, -ENOMEM. */
int uvm_add_region(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot,
		   unsigned kind);
/*
 * Maps the n kernel frames of pa[] at va as a VMA_SPECIAL region: shared
 * by every process, never counted, freed or copied. 0, -EEXIST, -ENOMEM.
 */
int uvm_map_special(struct uvm *vm, uint64_t va, const uint64_t *pa, unsigned n,
		    unsigned prot);
struct vma *uvm_find(struct uvm *vm, uint64_t va);
/* The regions in address order. */
struct vma *uvm_first(struct uvm *vm);
struct vma *uvm_next(struct vma *v);
/* The bytes of all regions (what Linux calls total-vm). */
uint64_t uvm_size(struct uvm *vm);

/*
 * Handles a page fault at va (write: a write access, fetch: an
 * instruction fetch). 0 when the access can now succeed, -EFAULT when it
 * is not allowed, -ENOMEM when no frame is left.
 */
int uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch);

/* Copies into vm's memory at va (faulting pages in, copying shared ones), for exec. */
int uvm_write(struct uvm *vm, uint64_t va, const void *src, uint64_t n);

/*
 * A file was cut to first_index pages: region v drops the pages it maps
 * from there on (its own copies of them too), which then fault as
 * beyond the end (SIGBUS), as Linux's truncate does to mappings.
 */
void uvm_zap_file_pages(struct vma *v, uint64_t first_index);

/*
 * Copies from vm's memory at va without faulting anything in (a page
 * never touched reads as zeros), for /proc/PID/cmdline. Never sleeps.
 */
int uvm_read(struct uvm *vm, uint64_t va, void *dst, uint64_t n);

/* mmap's PROT_READ/WRITE/EXEC as region permissions (write or exec imply read). */
unsigned uvm_prot_bits(int prot);

/* The memory system calls. */
uint64_t uvm_brk(struct uvm *vm, uint64_t addr);
/* mmap: anonymous memory (file NULL), or the file's pages, private or shared. */
int64_t uvm_mmap(struct uvm *vm, uint64_t addr, uint64_t len, int prot, int flags,
		 const struct mmap_file *file);
int uvm_munmap(struct uvm *vm, uint64_t addr, uint64_t len);
int uvm_mprotect(struct uvm *vm, uint64_t addr, uint64_t len, int prot);
/* madvise: discard drops the pages (MADV_DONTNEED): they read as zero again. */
int uvm_madvise(struct uvm *vm, uint64_t addr, uint64_t len, bool discard);

#endif
