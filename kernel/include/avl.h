/*
 * An intrusive AVL tree: balanced binary search trees for lookups in
 * O(log n) (a process's memory regions, ...). Pure code, also built on
 * the host. The tree knows nothing of keys: the caller walks down to the
 * empty link where a new node belongs and hands it to avl_insert(), as
 * with Linux's rbtree. An optional update() callback keeps augmented data
 * (a subtree maximum, say) correct through every rotation.
 */
#ifndef NEXA_AVL_H
#define NEXA_AVL_H

#include <stddef.h>

struct avl_node {
	struct avl_node *left, *right, *parent;
	int height;		/* of the subtree rooted here; a leaf is 1 */
};

struct avl_tree {
	struct avl_node *root;
	/* Recomputes n's augmented data from n and its children; may be NULL. */
	void (*update)(struct avl_node *n);
};

/* Links n at *link, an empty child link of parent (NULL: the root), and rebalances. */
void avl_insert(struct avl_tree *t, struct avl_node *n, struct avl_node *parent,
		struct avl_node **link);
void avl_erase(struct avl_tree *t, struct avl_node *n);
/* Reruns update() from n up to the root, after n's own data changed. */
void avl_propagate(struct avl_tree *t, struct avl_node *n);

/* In-order traversal; NULL past either end. */
struct avl_node *avl_first(const struct avl_tree *t);
struct avl_node *avl_last(const struct avl_tree *t);
struct avl_node *avl_next(const struct avl_node *n);
struct avl_node *avl_prev(const struct avl_node *n);

#endif
