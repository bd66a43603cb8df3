/*
 * A binary buddy allocator over physical frames (pure code: the kernel's
 * frame allocator uses it, and it also runs on the host under the unit
 * tests). Blocks are 2^order frames, aligned to their size; a free block
 * and its buddy (the block whose number differs in bit `order`) merge
 * into one block of the next order.
 */
#ifndef NEXA_BUDDY_H
#define NEXA_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_SIZE	4096UL
#define FRAME_SHIFT	12
#define BUDDY_MAX_ORDER	10	/* largest block: 2^10 frames = 4 MiB */

/* A free block's first bytes: links of its free list. */
struct free_block {
	struct free_block *next, *prev;
};

struct buddy {
	uint64_t nframes;	/* frames 0 .. nframes-1 (physical address / 4 KiB) */
	uint8_t *state;		/* one byte per frame, see buddy.c */
	struct free_block free[BUDDY_MAX_ORDER + 1];	/* list heads */
	uint64_t nfree[BUDDY_MAX_ORDER + 1];	/* blocks on each list */
	uint64_t free_frames;
	void *(*map)(uint64_t pa);	/* physical address -> pointer */
};

/* Sets up b for nframes frames, all reserved; state holds nframes bytes. */
void buddy_init(struct buddy *b, uint64_t nframes, uint8_t *state,
		void *(*map)(uint64_t pa));
/* Makes frames [first, end) allocatable. */
void buddy_add_range(struct buddy *b, uint64_t first, uint64_t end);

/* Allocates 2^order contiguous frames; returns the first frame's number or -1. */
int64_t buddy_alloc(struct buddy *b, unsigned order);

/*
 * Frees the block at frame with its order. Returns 0, or -1 if frame is
 * not the start of an allocated block of that order (a double free or a
 * bad address): the caller decides how loudly to fail.
 */
int buddy_free(struct buddy *b, uint64_t frame, unsigned order);

/* The order of the allocated block starting at frame, or -1. */
int buddy_block_order(const struct buddy *b, uint64_t frame);

#endif
