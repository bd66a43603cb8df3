/*
 * The name cache: a dentry is a name in a directory, bound to an inode.
 * A directory's children sit in two AVL trees: by name, for lookups in
 * O(log n), and by cookie (creation order), so that readdir can resume
 * where it stopped even while names come and go.
 *
 * For tmpfs the cache is the file system: its dentries are pinned (the
 * cache holds a reference) while they are linked. Other file systems
 * (procfs) make dentries on lookup; those stay in the cache only while
 * something uses them. A child holds a reference to its parent.
 */
#include <compiler.h>
#include <kmalloc.h>
#include <kstring.h>
#include <vfs.h>

static struct dentry *
of_name(struct avl_node *n)
{
	return n ? container_of(n, struct dentry, name_node) : NULL;
}

static struct dentry *
of_cookie(struct avl_node *n)
{
	return n ? container_of(n, struct dentry, cookie_node) : NULL;
}

static int
compare_name(const char *a, size_t alen, const struct dentry *b)
{
	size_t n = alen < b->len ? alen : b->len;
	int c = memcmp(a, b->name, n);

	return c ? c : alen < b->len ? -1 : alen > b->len;
}

struct dentry *
dentry_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d || !(d->name = kmalloc(len + 1))) {
		kfree(d);
		return NULL;
	}
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	d->len = len;
	d->refs = 1;
	d->next_cookie = 2;		/* 0 and 1 are "." and ".." */
	if (parent) {
		d->parent = parent;
		d->sb = parent->sb;
		dentry_get(parent);
	} else {
		d->parent = d;
	}
	return d;
}

void
dentry_get(struct dentry *d)
{
	d->refs++;
}

static void
remove_from_parent(struct dentry *d)
{
	avl_erase(&d->parent->by_name, &d->name_node);
	avl_erase(&d->parent->by_cookie, &d->cookie_node);
}

void
dentry_put(struct dentry *d)
{
	while (d && --d->refs == 0) {
		struct dentry *parent = d->parent;

		/* An unpinned name leaves the cache with its last user. */
		if (!d->dead && parent != d)
			remove_from_parent(d);
		inode_put(d->inode);
		kfree(d->name);
		kfree(d);
		d = parent != d ? parent : NULL;
	}
}

struct dentry *
dentry_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct avl_node *n = dir->by_name.root;

	while (n) {
		int c = compare_name(name, len, of_name(n));

		if (!c) {
			dentry_get(of_name(n));
			return of_name(n);
		}
		n = c < 0 ? n->left : n->right;
	}
	return NULL;
}

void
dentry_link(struct dentry *d, struct inode *inode, bool pinned)
{
	struct dentry *dir = d->parent;
	struct avl_node **link = &dir->by_name.root, *parent = NULL;

	d->inode = inode;
	while (*link) {
		parent = *link;
		link = compare_name(d->name, d->len, of_name(parent)) < 0 ? &parent->left :
		       &parent->right;
	}
	avl_insert(&dir->by_name, &d->name_node, parent, link);
	d->cookie = dir->next_cookie++;
	/* Cookies only grow: the new child is the last in creation order. */
	struct avl_node *last = avl_last(&dir->by_cookie);
	avl_insert(&dir->by_cookie, &d->cookie_node, last, last ? &last->right :
		   &dir->by_cookie.root);
	if (pinned) {
		d->pinned = true;
		d->refs++;		/* the cache's own reference */
	}
}

void
dentry_unlink(struct dentry *d)
{
	remove_from_parent(d);
	d->dead = true;
	if (d->pinned) {
		d->pinned = false;
		dentry_put(d);
	}
}

struct dentry *
dentry_child_from(struct dentry *dir, uint64_t pos)
{
	struct avl_node *n = dir->by_cookie.root;
	struct dentry *best = NULL;

	while (n) {
		struct dentry *d = of_cookie(n);

		if (d->cookie >= pos) {
			best = d;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

bool
dentry_has_children(struct dentry *dir)
{
	return dir->by_name.root != NULL;
}

void
dentry_move(struct dentry *d, struct dentry *newdir, char *name, size_t len)
{
	struct dentry *olddir = d->parent;
	bool pinned = d->pinned;

	remove_from_parent(d);
	kfree(d->name);
	d->name = name;
	d->len = len;
	d->parent = newdir;
	dentry_get(newdir);
	if (pinned) {		/* dentry_link takes the cache's reference again */
		d->pinned = false;
		d->refs--;
	}
	dentry_link(d, d->inode, pinned);
	dentry_put(olddir);
}

bool
dentry_is_ancestor(const struct dentry *a, const struct dentry *d)
{
	for (;; d = d->parent) {
		if (d == a)
			return true;
		if (d->parent == d)
			return false;
	}
}

void
dentry_exchange(struct dentry *a, struct dentry *b)
{
	remove_from_parent(a);
	remove_from_parent(b);
	struct dentry *pa = a->parent;
	char *na = a->name;
	size_t la = a->len;

	a->parent = b->parent;
	a->name = b->name;
	a->len = b->len;
	b->parent = pa;
	b->name = na;
	b->len = la;
	/* Each still holds one reference to a parent; relink in place. */
	bool pa_pinned = a->pinned, pb_pinned = b->pinned;
	if (pa_pinned) {
		a->pinned = false;
		a->refs--;
	}
	if (pb_pinned) {
		b->pinned = false;
		b->refs--;
	}
	dentry_link(a, a->inode, pa_pinned);
	dentry_link(b, b->inode, pb_pinned);
}
