/*
 * AVL trees (see avl.h). Every change walks from the changed node up to
 * the root, fixing heights and augmented data and rotating where the two
 * subtrees of a node differ in height by two: O(log n) steps, since the
 * height of an AVL tree stays below 1.45 log2(n + 2).
 */
#include <avl.h>

static int
height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

/* Recomputes n's height and augmented data from its children. */
static void
fix(struct avl_tree *t, struct avl_node *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = 1 + (l > r ? l : r);
	if (t->update)
		t->update(n);
}

/* Puts new where old hangs from parent (NULL parent: the root). */
static void
replace_child(struct avl_tree *t, struct avl_node *parent, struct avl_node *old,
	      struct avl_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/*
 *      x                y
 *     / \              / \
 *    a   y     ->     x   c
 *       / \          / \
 *      b   c        a   b
 */
static struct avl_node *
rotate_left(struct avl_tree *t, struct avl_node *x)
{
	struct avl_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	fix(t, x);
	fix(t, y);
	return y;
}

static struct avl_node *
rotate_right(struct avl_tree *t, struct avl_node *y)
{
	struct avl_node *x = y->left;

	y->left = x->right;
	if (x->right)
		x->right->parent = y;
	replace_child(t, y->parent, y, x);
	x->right = y;
	y->parent = x;
	fix(t, y);
	fix(t, x);
	return x;
}

/* Fixes n and restores its balance; returns the subtree's new root. */
static struct avl_node *
rebalance(struct avl_tree *t, struct avl_node *n)
{
	fix(t, n);
	int balance = height(n->left) - height(n->right);

	if (balance > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (balance < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	return n;
}

/* Rebalances every node from n up to the root. */
static void
retrace(struct avl_tree *t, struct avl_node *n)
{
	while (n)
		n = rebalance(t, n)->parent;
}

void
avl_insert(struct avl_tree *t, struct avl_node *n, struct avl_node *parent,
	   struct avl_node **link)
{
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	*link = n;
	if (t->update)
		t->update(n);
	retrace(t, parent);
}

void
avl_erase(struct avl_tree *t, struct avl_node *n)
{
	struct avl_node *start;

	if (n->left && n->right) {
		/* n's successor s (no left child) takes n's place. */
		struct avl_node *s = n->right;

		while (s->left)
			s = s->left;
		if (s->parent != n) {
			start = s->parent;
			start->left = s->right;
			if (s->right)
				s->right->parent = start;
			s->right = n->right;
			n->right->parent = s;
		} else {
			start = s;
		}
		s->left = n->left;
		n->left->parent = s;
		replace_child(t, n->parent, n, s);
	} else {
		start = n->parent;
		replace_child(t, start, n, n->left ? n->left : n->right);
	}
	retrace(t, start);
}

void
avl_propagate(struct avl_tree *t, struct avl_node *n)
{
	for (; n; n = n->parent)
		fix(t, n);
}

struct avl_node *
avl_first(const struct avl_tree *t)
{
	struct avl_node *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct avl_node *
avl_last(const struct avl_tree *t)
{
	struct avl_node *n = t->root;

	while (n && n->right)
		n = n->right;
	return n;
}

struct avl_node *
avl_next(const struct avl_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

struct avl_node *
avl_prev(const struct avl_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent;
}
