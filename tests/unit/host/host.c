/*
 * What the kernel's allocators need from the rest of the kernel, on the
 * host: panic, and a frame allocator (the real buddy.c) over an arena
 * that stands for physical memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <buddy.h>
#include <layout.h>
#include <panic.h>
#include <pmm.h>
#include "host.h"

uint64_t host_hhdm_base, host_hhdm_size;
jmp_buf host_panic_env;
int host_panic_armed;
char host_panic_msg[256];

static struct buddy arena;
static uint8_t *arena_state;

void
panic_at(const char *func, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_armed)
		longjmp(host_panic_env, 1);
	fprintf(stderr, "unexpected panic in %s (%s:%d): %s\n", func, file, line,
		host_panic_msg);
	abort();
}

static void *
arena_map(uint64_t pa)
{
	return (void *)(host_hhdm_base + pa);
}

void
host_arena_init(uint64_t nframes)
{
	/* Aligned to the largest buddy block, as physical memory is. */
	size_t align = FRAME_SIZE << BUDDY_MAX_ORDER;

	host_hhdm_size = nframes * FRAME_SIZE;
	host_hhdm_base = (uint64_t)aligned_alloc(align, host_hhdm_size);
	arena_state = malloc(nframes);
	buddy_init(&arena, nframes, arena_state, arena_map);
	/* Frame 0 stays reserved: pmm_alloc_pages() returns 0 for "none". */
	buddy_add_range(&arena, 1, nframes);
}

void
host_arena_free(void)
{
	free((void *)host_hhdm_base);
	free(arena_state);
	host_hhdm_base = host_hhdm_size = 0;
}

uint64_t
pmm_alloc_pages(unsigned order)
{
	int64_t f = buddy_alloc(&arena, order);

	return f < 0 ? 0 : (uint64_t)f << FRAME_SHIFT;
}

void
pmm_free_pages(uint64_t pa, unsigned order)
{
	if (buddy_free(&arena, pa >> FRAME_SHIFT, order) < 0)
		panic("pmm_free_pages: %#lx was not allocated", (unsigned long)pa);
}

int
pmm_block_order(uint64_t pa)
{
	return buddy_block_order(&arena, pa >> FRAME_SHIFT);
}

uint64_t
pmm_free_frames(void)
{
	return arena.free_frames;
}
