/* Memory types through the page attribute table: write-combining (pat.c). */
#ifndef NEXA_ARCH_PAT_H
#define NEXA_ARCH_PAT_H

#include <stdint.h>

/*
 * Makes the pages of [va, va + len) in the kernel's tables that are mapped
 * uncached (device memory) write-combining. Returns how many bytes changed
 * type, or -1 when the CPU has no PAT (the range stays uncached).
 */
long pat_map_wc(uint64_t va, uint64_t len);

#endif
