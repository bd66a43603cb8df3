/* The host harness of the allocator tests (host.c). */
#ifndef NEXA_HOST_H
#define NEXA_HOST_H

#include <stdint.h>

/* Sets up nframes frames of "physical memory" for pmm_alloc_pages(). */
void host_arena_init(uint64_t nframes);
void host_arena_free(void);

#endif
