/* The kernel heap: kmalloc/kfree for any size. */
#ifndef NEXA_KMALLOC_H
#define NEXA_KMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMALLOC_CLASSES	7	/* 16, 32, ... 1024 bytes; larger: whole pages */
#define KMALLOC_MAX_SMALL 1024

/*
 * Debug mode (kernel command line kmalloc=debug; it also makes the frame
 * allocator poison freed frames, pmm_set_poison): freed memory is
 * poisoned and checked when reused (use after free), and every small
 * object has red zones that kfree checks (overflow, underflow).
 */
void kmalloc_init(bool debug);

void *kmalloc(size_t size);		/* 16-byte aligned; NULL if out of memory */
void *kzalloc(size_t size);		/* zeroed */
void *kmalloc_aligned(size_t size, size_t align);	/* align: a power of two */
void kfree(void *p);			/* NULL is fine; a bad pointer panics */

struct kmalloc_stats {
	uint64_t objects[KMALLOC_CLASSES];	/* live objects per size class */
	uint64_t bytes[KMALLOC_CLASSES];	/* their bytes (class size each) */
	uint64_t slabs[KMALLOC_CLASSES];	/* pages holding the class */
	uint64_t large_bytes;			/* whole-page allocations */
	uint64_t large_objects;
};
void kmalloc_stats(struct kmalloc_stats *s);
uint64_t kmalloc_in_use(void);		/* bytes of all live allocations */
size_t kmalloc_class_size(int cls);

#endif
