/*
 * Radix trees (see radix.h). A node at level l (1 = leaves) holds 64
 * slots, each covering 64^(l-1) indexes: values in leaves, child nodes
 * above. Growing adds levels on top; deleting frees nodes left empty and
 * shrinks the tree while its root has only slot 0 in use.
 */
#include <stddef.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <radix.h>

struct radix_node {
	uint64_t slot[RADIX_SLOTS];	/* values (leaves) or struct radix_node * */
	unsigned used;			/* non-zero slots */
};

static unsigned
slot_of(uint64_t index, unsigned level)
{
	unsigned shift = RADIX_BITS * (level - 1);

	return shift >= 64 ? 0 : (unsigned)(index >> shift) & (RADIX_SLOTS - 1);
}

/* The largest index a tree of height h holds. */
static uint64_t
max_index(unsigned h)
{
	return RADIX_BITS * h >= 64 ? UINT64_MAX : (1UL << (RADIX_BITS * h)) - 1;
}

uint64_t
radix_get(const struct radix_tree *t, uint64_t index)
{
	const struct radix_node *n = t->root;

	if (!n || index > max_index(t->height))
		return 0;
	for (unsigned l = t->height; l > 1; l--) {
		n = (const struct radix_node *)n->slot[slot_of(index, l)];
		if (!n)
			return 0;
	}
	return n->slot[slot_of(index, 1)];
}

/* Frees the nodes left empty on index's path below n (level l); true if n went too. */
static bool
prune_at(struct radix_node *n, unsigned l, uint64_t index)
{
	uint64_t *s = &n->slot[slot_of(index, l)];

	if (l > 1 && *s && prune_at((struct radix_node *)*s, l - 1, index)) {
		*s = 0;
		n->used--;
	}
	if (n->used)
		return false;
	kfree(n);
	return true;
}

/* Drops top levels while the root holds only slot 0. */
static void
shrink(struct radix_tree *t)
{
	while (t->height > 1 && t->root->used == 1 && t->root->slot[0]) {
		struct radix_node *child = (struct radix_node *)t->root->slot[0];

		kfree(t->root);
		t->root = child;
		t->height--;
	}
}

/* Undoes what a failed radix_set added on index's path. */
static int
set_failed(struct radix_tree *t, uint64_t index)
{
	if (t->root && prune_at(t->root, t->height, index)) {
		t->root = NULL;
		t->height = 0;
	}
	if (t->root)
		shrink(t);
	return -ENOMEM;
}

int
radix_set(struct radix_tree *t, uint64_t index, uint64_t value)
{
	if (!t->root) {
		unsigned h = 1;

		while (index > max_index(h))
			h++;
		if (!(t->root = kzalloc(sizeof(*t->root))))
			return -ENOMEM;
		t->height = h;
	}
	/* Grow until index fits: the old root becomes slot 0 of a new one. */
	while (index > max_index(t->height)) {
		struct radix_node *top = kzalloc(sizeof(*top));

		if (!top)
			return set_failed(t, index);
		top->slot[0] = (uint64_t)t->root;
		top->used = 1;
		t->root = top;
		t->height++;
	}
	struct radix_node *n = t->root;
	for (unsigned l = t->height; l > 1; l--) {
		uint64_t *s = &n->slot[slot_of(index, l)];

		if (!*s) {
			struct radix_node *child = kzalloc(sizeof(*child));

			if (!child)
				return set_failed(t, index);
			*s = (uint64_t)child;
			n->used++;
		}
		n = (struct radix_node *)*s;
	}
	uint64_t *s = &n->slot[slot_of(index, 1)];
	n->used += !*s;
	t->count += !*s;
	*s = value;
	return 0;
}

/* Deletes index below node n of level l; true if n is now empty (and freed). */
static bool
delete_at(struct radix_node *n, unsigned l, uint64_t index, uint64_t *old)
{
	uint64_t *s = &n->slot[slot_of(index, l)];

	if (!*s)
		return false;
	if (l == 1) {
		*old = *s;
		*s = 0;
	} else if (delete_at((struct radix_node *)*s, l - 1, index, old)) {
		*s = 0;
	} else {
		return false;
	}
	if (--n->used)
		return false;
	kfree(n);
	return true;
}

uint64_t
radix_delete(struct radix_tree *t, uint64_t index)
{
	uint64_t old = 0;

	if (!t->root || index > max_index(t->height))
		return 0;
	if (delete_at(t->root, t->height, index, &old)) {
		t->root = NULL;
		t->height = 0;
	}
	t->count -= old != 0;
	if (t->root)
		shrink(t);
	return old;
}

/* The first value at an index >= *index below node n of level l, which covers from base. */
static uint64_t
next_at(const struct radix_node *n, unsigned l, uint64_t base, uint64_t *index)
{
	unsigned shift = RADIX_BITS * (l - 1);

	for (unsigned i = slot_of(*index, l); i < RADIX_SLOTS; i++) {
		if (shift + RADIX_BITS > 64 && (uint64_t)i >> (64 - shift))
			break;		/* beyond the top of the index space */
		uint64_t slot_base = base + ((uint64_t)i << shift);

		if (slot_base > *index)
			*index = slot_base;
		if (!n->slot[i])
			continue;
		if (l == 1)
			return n->slot[i];
		uint64_t v = next_at((const struct radix_node *)n->slot[i], l - 1, slot_base, index);
		if (v)
			return v;
	}
	return 0;
}

uint64_t
radix_next(const struct radix_tree *t, uint64_t *index)
{
	if (!t->root || *index > max_index(t->height))
		return 0;
	return next_at(t->root, t->height, 0, index);
}
