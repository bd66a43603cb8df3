/*
 * The path walk: from a starting directory, one component at a time,
 * through ".", "..", mount points and symbolic links, to the dentry a
 * path names (or to its parent, for calls that create and remove).
 *
 *   "/usr//bin/../lib/"  components: usr, bin, .., lib (a trailing slash:
 *                        the result must be a directory)
 *
 * ".." never climbs above the process's root; at the root of a mounted
 * file system it continues from the mount point. A symbolic link in the
 * middle of a path is always followed, the last one only when asked;
 * after SYMLOOP_MAX links the walk gives up with ELOOP.
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <param.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

void
path_get(const struct path *p)
{
	if (!p->dentry)
		return;
	dentry_get(p->dentry);
	mount_get(p->mnt);
}

void
path_put(struct path *p)
{
	if (!p->dentry)
		return;
	dentry_put(p->dentry);
	mount_put(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}

/* Replaces *p by q, whose references the caller hands over. */
static void
path_move(struct path *p, struct path q)
{
	path_put(p);
	*p = q;
}

/* While something is mounted on p, p becomes the mounted file system's root. */
static void
follow_mounts(struct path *p)
{
	struct mount *m;

	while (p->dentry->mounts && (m = mount_at(p))) {
		struct path q = { m, m->root };

		path_get(&q);
		path_move(p, q);
	}
}

/* "..": the parent, across mount points, never above root. */
static void
go_up(struct path *p, const struct path *root)
{
	for (;;) {
		if (p->dentry == root->dentry && p->mnt == root->mnt)
			return;
		if (p->dentry != p->mnt->root)
			break;
		if (!p->mnt->parent)
			return;		/* the root of everything */
		struct path q = { p->mnt->parent, p->mnt->mountpoint };
		path_get(&q);
		path_move(p, q);
	}
	struct path q = { p->mnt, p->dentry->parent };
	path_get(&q);
	path_move(p, q);
	follow_mounts(p);
}

/* The child name of directory dir, from the cache or its file system. */
static int
lookup(const struct path *dir, const char *name, size_t len, struct path *out)
{
	struct dentry *d = dentry_lookup(dir->dentry, name, len);

	if (!d) {
		struct inode *di = dir->dentry->inode, *inode;

		if (!di->iops || !di->iops->lookup)
			return -ENOENT;
		char buf[NAME_MAX + 1];
		memcpy(buf, name, len);
		buf[len] = '\0';
		int r = di->iops->lookup(di, buf, &inode);
		if (r < 0)
			return r;
		if (!(d = dentry_alloc(dir->dentry, name, len))) {
			inode_put(inode);
			return -ENOMEM;
		}
		dentry_link(d, inode, false);
	}
	*out = (struct path){ dir->mnt, d };
	mount_get(dir->mnt);
	follow_mounts(out);
	return 0;
}

/* Reads p's link target into buf (NUL-terminated): its length, or -errno. */
static int
read_link(const struct path *p, char *buf, size_t size)
{
	struct inode *inode = p->dentry->inode;

	if (!inode->iops || !inode->iops->readlink)
		return -EINVAL;
	int n = inode->iops->readlink(inode, buf, size - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n ? n : -ENOENT;		/* an empty target names nothing */
}

static bool
is_dot(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

/* Describes the last component, copying its name (len <= NAME_MAX). */
static void
set_last(struct walk_last *last, const char *s, size_t len, bool slash)
{
	memcpy(last->buf, s, len);
	last->buf[len] = '\0';
	last->name = last->buf;
	last->len = len;
	last->trailing_slash = slash || len == 0;
	last->dot = len == 0 || is_dot(s, len);
}

/*
 * Continues the walk in buf (PATH_MAX bytes) after a link: its target,
 * then what followed the link in the path (rest, which may lie in buf).
 */
static int
splice_link(char *buf, const char *target, size_t tlen, const char *rest)
{
	size_t rlen = strlen(rest);

	if (tlen + rlen + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(buf + tlen, rest, rlen + 1);
	memcpy(buf, target, tlen);
	return 0;
}

#if SOL >= 5
int
vfs_walk(const struct path *start, const char *path, unsigned flags, struct path *out,
	 struct walk_last *last)
{
	struct path root = vfs_root(), cur = { 0 };
	char *pbuf = NULL, *tbuf = NULL;
	bool want_dir = flags & WALK_DIRECTORY;
	int links = 0, r = 0;

	if (strlen(path) >= PATH_MAX) {
		r = -ENAMETOOLONG;
		goto out;
	}
	if (!*path && !(flags & WALK_EMPTY)) {
		r = -ENOENT;
		goto out;
	}
	if (*path != '/' && !start) {
		cur = vfs_cwd();	/* with its reference */
	} else {
		cur = *path == '/' ? root : *start;
		path_get(&cur);
	}
	for (const char *s = path;;) {
		while (*s == '/')
			s++;
		if (!*s) {
			/* Nothing left: "/", "" (WALK_EMPTY), or a walk that ended in "." or "..". */
			if ((flags & WALK_PARENT) && last)
				set_last(last, "", 0, true);
			break;
		}
		const char *e = s, *after;
		while (*e && *e != '/')
			e++;
		for (after = e; *after == '/'; after++)
			;
		size_t len = (size_t)(e - s);
		bool is_last = !*after, slash = *e == '/';

		if (!vfs_is_dir(cur.dentry->inode)) {
			r = -ENOTDIR;
			goto out;
		}
		if ((r = inode_permission(cur.dentry->inode, MAY_EXEC)) < 0)
			goto out;
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		if (is_last && (flags & WALK_PARENT)) {
			if (last)
				set_last(last, s, len, slash);
			break;
		}
		want_dir |= is_last && slash;
		if (is_dot(s, len)) {
			if (len == 2)
				go_up(&cur, &root);
			s = e;
			continue;
		}
		struct path next;
		if ((r = lookup(&cur, s, len, &next)) < 0)
			goto out;
		bool follow = !is_last || slash || (flags & WALK_FOLLOW);
		if (!S_ISLNK(next.dentry->inode->mode) || !follow) {
			path_move(&cur, next);
			s = e;
			continue;
		}
		/* A symbolic link: the walk goes on through its target. */
		if (++links > SYMLOOP_MAX)
			r = -ELOOP;
		else if ((!tbuf && !(tbuf = kmalloc(PATH_MAX))) ||
			 (!pbuf && !(pbuf = kmalloc(PATH_MAX))))
			r = -ENOMEM;
		else
			r = read_link(&next, tbuf, PATH_MAX);
		path_put(&next);
		if (r < 0 || (r = splice_link(pbuf, tbuf, (size_t)r, e)) < 0)
			goto out;
		if (*pbuf == '/') {
			struct path q = root;

			path_get(&q);
			path_move(&cur, q);
		}
		s = pbuf;
	}
	if (!(flags & WALK_PARENT) && want_dir && !vfs_is_dir(cur.dentry->inode))
		r = -ENOTDIR;
out:
	kfree(pbuf);
	kfree(tbuf);
	path_put(&root);
	if (r < 0) {
		path_put(&cur);
		return r;
	}
	*out = cur;
	return 0;
}
#else
int
vfs_walk(const struct path *start, const char *path, unsigned flags, struct path *out,
	 struct walk_last *last)
{
	/* LAB 5: your code here. Start at the root (vfs_root) for an
	 * absolute path, else at start or the current directory (vfs_cwd),
	 * holding a reference, and take the components one by one:
	 *  - the directory walked through must be one (-ENOTDIR) that the
	 *    caller may search (inode_permission MAY_EXEC), and then a
	 *    component longer than NAME_MAX is -ENAMETOOLONG (a whole path of
	 *    PATH_MAX bytes or more too); "" is -ENOENT unless WALK_EMPTY;
	 *  - WALK_PARENT stops before the last component and describes it
	 *    in *last (set_last copies it: the path may be a link's text);
	 *  - "." stays, ".." climbs (go_up), any other name is looked up
	 *    (lookup, which also enters what is mounted there);
	 *  - a symbolic link is followed unless it is the last component
	 *    without WALK_FOLLOW or a trailing slash: its
	 *    target (read_link) then the rest of the path (splice_link, in
	 *    a PATH_MAX buffer) are walked instead, from the root if the
	 *    target is absolute; more than SYMLOOP_MAX links: -ELOOP;
	 *  - a trailing slash or WALK_DIRECTORY wants a directory at the end.
	 * Keep references balanced (path_move, path_put) on every path out. */
	(void)start, (void)path, (void)flags, (void)out, (void)last;
	(void)lookup, (void)go_up, (void)read_link, (void)splice_link, (void)set_last;
	return -ENOSYS;
}
#endif

int
vfs_path_name(const struct path *p, char *buf, size_t size)
{
	struct path root = vfs_root(), cur = *p;
	size_t at = size;

	if (size < 2) {
		path_put(&root);
		return -ERANGE;
	}
	buf[--at] = '\0';
	while (!(cur.dentry == root.dentry && cur.mnt == root.mnt)) {
		if (cur.dentry == cur.mnt->root) {
			if (!cur.mnt->parent)
				break;		/* outside the process's root */
			cur = (struct path){ cur.mnt->parent, cur.mnt->mountpoint };
			continue;
		}
		if (at < cur.dentry->len + 1) {
			path_put(&root);
			return -ERANGE;
		}
		at -= cur.dentry->len;
		memcpy(buf + at, cur.dentry->name, cur.dentry->len);
		buf[--at] = '/';
		cur.dentry = cur.dentry->parent;
	}
	path_put(&root);
	if (at == size - 1)
		buf[--at] = '/';
	size_t len = size - 1 - at;
	memmove(buf, buf + at, len + 1);
	return (int)len;
}

int
getname(uint64_t upath, char **out)
{
	/* Most paths are short: a small buffer first, PATH_MAX bytes only if need be. */
	for (size_t size = 256;; size = PATH_MAX) {
		char *buf = kmalloc(size);
		long len;

		if (!buf)
			return -ENOMEM;
		if ((len = copy_string_from_user(buf, upath, size)) >= 0) {
			*out = buf;
			return 0;
		}
		kfree(buf);
		if (len != -ENAMETOOLONG || size == PATH_MAX)
			return (int)len;
	}
}

int
walk_start(int dirfd, const char *path, unsigned flags, struct path *start)
{
	start->mnt = NULL;
	start->dentry = NULL;
	if (!*path && !(flags & WALK_EMPTY))
		return -ENOENT;		/* before anything about dirfd, as Linux */
	if (*path == '/' || dirfd == AT_FDCWD)
		return 0;
	struct file *f = fd_get_raw(dirfd);
	if (!f)
		return -EBADF;
	if (!f->path.dentry || (!vfs_is_dir(f->inode) && !(*path == '\0' && (flags & WALK_EMPTY)))) {
		file_put(f);
		return f->path.dentry ? -ENOTDIR : -EBADF;
	}
	*start = f->path;
	path_get(start);
	file_put(f);
	return 0;
}

int
walk_at(int dirfd, const char *path, unsigned flags, struct path *out)
{
	struct path start;
	int r = walk_start(dirfd, path, flags, &start);

	if (r < 0)
		return r;
	r = vfs_walk(start.dentry ? &start : NULL, path, flags, out, NULL);
	path_put(&start);
	return r;
}

int
walk_parent(int dirfd, const char *path, struct lookup_parent *lp)
{
	struct path start;
	int r = walk_start(dirfd, path, 0, &start);

	if (r < 0)
		return r;
	r = vfs_walk(start.dentry ? &start : NULL, path, WALK_PARENT, &lp->dir, &lp->last);
	path_put(&start);
	return r;
}
