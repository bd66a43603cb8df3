/* The kernel's own symbol table, for symbolized backtraces. */
#ifndef NEXA_KSYMS_H
#define NEXA_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * One function, sorted by addr. The build links the kernel once, lists
 * its functions with tools/mksyms and links again with this table in
 * the .ksyms section (placed after .text, so no function moves).
 */
struct ksym {
	uint64_t addr;
	uint32_t size;		/* 0 if unknown: then it ends at the next symbol */
	uint32_t name;		/* offset into the name blob */
};

struct ksym_table {
	const struct ksym *syms;
	size_t count;
	const char *names;
};

/* The function containing addr, and addr's offset in it; NULL if none. */
const char *ksym_find(const struct ksym_table *t, uint64_t addr, uint64_t *off);

/* ksym_find() over the kernel's own table. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);

#endif
