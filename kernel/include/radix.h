/*
 * A radix tree from 64-bit indexes to non-zero 64-bit values: a file's
 * pages (index -> frame) in tmpfs. Nodes of 64 slots; the tree is as tall
 * as its largest index needs, so a small file costs one node. Pure code,
 * also built on the host.
 */
#ifndef NEXA_RADIX_H
#define NEXA_RADIX_H

#include <stdint.h>

#define RADIX_BITS	6
#define RADIX_SLOTS	(1 << RADIX_BITS)

struct radix_node;

struct radix_tree {
	struct radix_node *root;
	unsigned height;	/* levels; 0: empty */
	uint64_t count;		/* values stored */
};

/* The value at index, or 0. */
uint64_t radix_get(const struct radix_tree *t, uint64_t index);
/* Stores a non-zero value at index: 0, or -ENOMEM (the tree unchanged). */
int radix_set(struct radix_tree *t, uint64_t index, uint64_t value);
/* Removes index's value and returns it (0 if none); empty nodes are freed. */
uint64_t radix_delete(struct radix_tree *t, uint64_t index);
/* The first index >= *index that holds a value, with *index set to it; 0 if none. */
uint64_t radix_next(const struct radix_tree *t, uint64_t *index);

#endif
