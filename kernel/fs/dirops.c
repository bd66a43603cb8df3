/*
 * Changing the name space: mkdir, mknod, symlink, link, unlink, rmdir,
 * rename, and an inode's attributes: chmod, chown, utimensat. Each call
 * walks to the parent directory and works on the last name there, with
 * Linux's errors for every corner ("." and "..", trailing slashes, mount
 * points, a directory moved into itself).
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksyscall.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

/* Walks to the parent of the user path upath (from dirfd) into *lp; *name to kfree. */
static int
parent_of(int dirfd, uint64_t upath, struct lookup_parent *lp, char **name)
{
	int r;

	if ((r = getname(upath, name)) < 0)
		return r;
	if ((r = walk_parent(dirfd, *name, lp)) < 0) {
		kfree(*name);
		*name = NULL;
	}
	return r;
}

static void
parent_done(struct lookup_parent *lp, char *name)
{
	path_put(&lp->dir);
	kfree(name);
}

/* The existing child for lp's last name, with a reference, or NULL. */
static struct dentry *
child_of(struct lookup_parent *lp)
{
	return dentry_lookup(lp->dir.dentry, lp->last.name, lp->last.len);
}

/* May the caller add or remove names in dir? */
static int
may_change(struct inode *dir)
{
	int r = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (r == 0 && (!dir->iops || !dir->iops->create))
		r = -EACCES;		/* a file system whose names are its own (procfs) */
	return r;
}

/*
 * The sticky bit (/tmp): in such a directory only the file's owner, the
 * directory's owner or CAP_FOWNER may remove or rename a name.
 */
static int
may_delete(struct inode *dir, struct inode *victim)
{
	int r = may_change(dir);
	uint32_t fsuid = proc_current()->cred.fsuid;

	if (r == 0 && (dir->mode & S_ISVTX) && victim->uid != fsuid && dir->uid != fsuid &&
	    !capable(CAP_FOWNER))
		r = -EPERM;
	return r;
}

/* Makes the last name of lp, a new inode of mode and rdev (and link target). */
static int
make_node(struct lookup_parent *lp, uint32_t mode, uint32_t rdev, const char *target)
{
	struct inode *dir = lp->dir.dentry->inode, *inode;
	struct dentry *d;
	int r;

	if (lp->last.len == 0 || lp->last.dot)
		return -EEXIST;
	if ((d = child_of(lp))) {
		dentry_put(d);
		return -EEXIST;
	}
	if (lp->last.trailing_slash && !S_ISDIR(mode))
		return -ENOENT;
	if (lp->dir.dentry->dead)
		return -ENOENT;
	if ((r = may_change(dir)) < 0)
		return r;
	if ((r = dir->iops->create(dir, mode, rdev, &inode)) < 0)
		return r;
	inode_init_owner(dir, inode);
	if (target && (r = inode->iops->set_link(inode, target)) < 0) {
		inode_put(inode);
		return r;
	}
	if (!(d = dentry_alloc(lp->dir.dentry, lp->last.name, lp->last.len))) {
		inode_put(inode);
		return -ENOMEM;
	}
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	if (S_ISDIR(mode))
		dir->nlink++;
	dentry_link(d, inode, true);
	dentry_put(d);
	inode_touch(dir, true);
	return 0;
}

int
vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, const char *target)
{
	struct lookup_parent lp;
	int r = walk_parent(dirfd, path, &lp);

	if (r < 0)
		return r;
	r = make_node(&lp, mode, rdev, target);
	path_put(&lp.dir);
	return r;
}

int
dir_add_node(struct dentry *dir, const char *name, uint32_t mode, uint32_t rdev,
	     const char *target)
{
	struct lookup_parent lp = { .dir = { NULL, dir } };

	lp.last.name = name;
	lp.last.len = strlen(name);
	return make_node(&lp, mode, rdev, target);
}

/* vfs_mknod of a user path. */
static int64_t
node_at(int dirfd, uint64_t upath, uint32_t mode, uint32_t rdev)
{
	char *name;
	int r = getname(upath, &name);

	if (r < 0)
		return r;
	r = vfs_mknod(dirfd, name, mode, rdev, NULL);
	kfree(name);
	return r;
}

static int64_t
mkdir_at(int dirfd, uint64_t upath, uint32_t mode)
{
	return node_at(dirfd, upath, S_IFDIR | (mode & ~vfs_umask() & 01777), 0);
}

SYSCALL(mkdir, 5)
{
	return mkdir_at(AT_FDCWD, a0, (uint32_t)a1);
}

SYSCALL(mkdirat, 5)
{
	return mkdir_at((int)a0, a1, (uint32_t)a2);
}

static int64_t
mknod_at(int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
	uint32_t type = mode & S_IFMT;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && !capable(CAP_MKNOD))
		return -EPERM;
	/* Linux's dev_t is major(12):minor(20) in new_decode_dev's layout. */
	uint32_t rdev = MKDEV((uint32_t)(dev >> 8) & 0xFFF, (uint32_t)((dev & 0xFF) | ((dev >> 12) & 0xFFF00)));
	return node_at(dirfd, upath, type | (mode & ~vfs_umask() & S_IALLUGO), rdev);
}

SYSCALL(mknod, 5)
{
	return mknod_at(AT_FDCWD, a0, (uint32_t)a1, a2);
}

SYSCALL(mknodat, 5)
{
	return mknod_at((int)a0, a1, (uint32_t)a2, a3);
}

static int64_t
symlink_at(uint64_t utarget, int dirfd, uint64_t upath)
{
	char *target, *name;
	int r;

	if ((r = getname(utarget, &target)) < 0)
		return r;
	if (!*target)
		r = -ENOENT;
	else if ((r = getname(upath, &name)) == 0) {
		r = vfs_mknod(dirfd, name, S_IFLNK | 0777, 0, target);
		kfree(name);
	}
	kfree(target);
	return r;
}

SYSCALL(symlink, 5)
{
	return symlink_at(a0, AT_FDCWD, a1);
}

SYSCALL(symlinkat, 5)
{
	return symlink_at(a0, (int)a1, a2);
}

int
vfs_link(const struct path *old, int dirfd, const char *path)
{
	struct lookup_parent lp;
	int r = walk_parent(dirfd, path, &lp);

	if (r < 0)
		return r;
	struct inode *inode = old->dentry->inode, *dir = lp.dir.dentry->inode;
	struct dentry *d = NULL;
	if (S_ISDIR(inode->mode))
		r = -EPERM;
	else if (lp.last.len == 0 || lp.last.dot || (d = child_of(&lp)))
		r = -EEXIST;
	else if (lp.last.trailing_slash)
		r = -ENOENT;
	else if (old->mnt != lp.dir.mnt)
		r = -EXDEV;
	else if (inode->nlink == 0)
		r = -ENOENT;		/* linking a file that was already removed */
	else if ((r = may_change(dir)) == 0) {
		if (!(d = dentry_alloc(lp.dir.dentry, lp.last.name, lp.last.len))) {
			r = -ENOMEM;
		} else {
			inode_get(inode);
			inode->nlink++;
			inode_touch(inode, false);
			dentry_link(d, inode, true);
			inode_touch(dir, true);
		}
	}
	dentry_put(d);
	path_put(&lp.dir);
	return r;
}

static int64_t
link_at(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, int flags)
{
	struct path old;
	char *oldname, *name;
	int r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = getname(uold, &oldname)) < 0)
		return r;
	r = walk_at(olddirfd, oldname, (flags & AT_SYMLINK_FOLLOW ? WALK_FOLLOW : 0) |
				      (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0), &old);
	kfree(oldname);
	if (r < 0)
		return r;
	if ((r = getname(unew, &name)) == 0) {
		r = vfs_link(&old, newdirfd, name);
		kfree(name);
	}
	path_put(&old);
	return r;
}

SYSCALL(link, 5)
{
	return link_at(AT_FDCWD, a0, AT_FDCWD, a1, 0);
}

SYSCALL(linkat, 5)
{
	return link_at((int)a0, a1, (int)a2, a3, (int)a4);
}

/* Whether d or a file system mounted on it is in the way of removing it. */
static bool
busy(const struct dentry *d)
{
	return d->mounts > 0 || d->parent == d;
}

/* Removes the name d (a child of lp's directory): unlink and rmdir's common end. */
static void
remove_name(struct lookup_parent *lp, struct dentry *d)
{
	struct inode *inode = d->inode, *dir = lp->dir.dentry->inode;

	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir->nlink--;
	} else {
		inode->nlink--;
	}
	inode_touch(inode, false);
	inode_touch(dir, true);
	dentry_unlink(d);
}

int
vfs_unlink(int dirfd, const char *path, int flags)
{
	struct lookup_parent lp;
	struct dentry *d = NULL;
	int r;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if ((r = walk_parent(dirfd, path, &lp)) < 0)
		return r;
	bool rmdir = flags & AT_REMOVEDIR;
	if (lp.last.len == 0)
		r = rmdir ? -EBUSY : -EISDIR;
	else if (lp.last.dot)
		r = !rmdir ? -EISDIR : lp.last.len == 1 ? -EINVAL : -ENOTEMPTY;
	else if (!(d = child_of(&lp)))
		r = -ENOENT;
	else if (rmdir && !S_ISDIR(d->inode->mode))
		r = -ENOTDIR;
	else if (!rmdir && S_ISDIR(d->inode->mode))
		r = -EISDIR;
	else if (!rmdir && lp.last.trailing_slash)
		r = -ENOTDIR;
	else if ((r = may_delete(lp.dir.dentry->inode, d->inode)) < 0)
		;
	else if (busy(d))
		r = -EBUSY;
	else if (rmdir && dentry_has_children(d))
		r = -ENOTEMPTY;
	else
		remove_name(&lp, d);
	dentry_put(d);
	path_put(&lp.dir);
	return r;
}

static int64_t
unlink_at(int dirfd, uint64_t upath, int flags)
{
	char *name;
	int r = getname(upath, &name);

	if (r < 0)
		return r;
	r = vfs_unlink(dirfd, name, flags);
	kfree(name);
	return r;
}

SYSCALL(unlink, 5)
{
	return unlink_at(AT_FDCWD, a0, 0);
}

SYSCALL(rmdir, 5)
{
	return unlink_at(AT_FDCWD, a0, AT_REMOVEDIR);
}

SYSCALL(unlinkat, 5)
{
	return unlink_at((int)a0, a1, (int)a2);
}

/* The checks of rename; 0 if old may become new (new may be NULL: no such name). */
static int
rename_check(struct lookup_parent *from, struct dentry *old, struct lookup_parent *to,
	     struct dentry *new, unsigned flags)
{
	bool dir = S_ISDIR(old->inode->mode);

	if (from->last.trailing_slash && !dir)
		return -ENOTDIR;
	if (new && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (!new && (flags & RENAME_EXCHANGE))
		return -ENOENT;
	if (new && !(flags & RENAME_EXCHANGE)) {
		bool ndir = S_ISDIR(new->inode->mode);

		if (dir && !ndir)
			return -ENOTDIR;
		if (!dir && ndir)
			return -EISDIR;
		if (ndir && dentry_has_children(new))
			return -ENOTEMPTY;
	}
	if (!new && to->last.trailing_slash && !dir)
		return -ENOTDIR;
	if (from->dir.mnt != to->dir.mnt)
		return -EXDEV;
	/* A directory cannot move below itself. */
	if (dir && dentry_is_ancestor(old, to->dir.dentry))
		return -EINVAL;
	if (new && (flags & RENAME_EXCHANGE) && S_ISDIR(new->inode->mode) &&
	    dentry_is_ancestor(new, from->dir.dentry))
		return -EINVAL;
	if (busy(old) || (new && busy(new)))
		return -EBUSY;
	int r = may_delete(from->dir.dentry->inode, old->inode);
	if (r == 0)
		r = new ? may_delete(to->dir.dentry->inode, new->inode) :
			  may_change(to->dir.dentry->inode);
	/* A directory that changes parent has its ".." rewritten. */
	if (r == 0 && dir && from->dir.dentry != to->dir.dentry)
		r = inode_permission(old->inode, MAY_WRITE);
	return r;
}

/* Moves d to the last name of lp (which must be free). */
static int
move(struct dentry *d, struct lookup_parent *from, struct lookup_parent *to)
{
	char *name = kmalloc(to->last.len + 1);

	if (!name)
		return -ENOMEM;
	memcpy(name, to->last.name, to->last.len);
	name[to->last.len] = '\0';
	if (S_ISDIR(d->inode->mode) && from->dir.dentry != to->dir.dentry) {
		from->dir.dentry->inode->nlink--;
		to->dir.dentry->inode->nlink++;
	}
	dentry_move(d, to->dir.dentry, name, to->last.len);
	inode_touch(d->inode, false);
	inode_touch(from->dir.dentry->inode, true);
	inode_touch(to->dir.dentry->inode, true);
	return 0;
}

static int64_t
rename_at(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, unsigned flags)
{
	struct lookup_parent from, to;
	struct dentry *old = NULL, *new = NULL;
	char *oldname, *newname;
	int r;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) ||
	    (flags & RENAME_WHITEOUT) ||
	    ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)))
		return -EINVAL;
	if ((r = parent_of(olddirfd, uold, &from, &oldname)) < 0)
		return r;
	if ((r = parent_of(newdirfd, unew, &to, &newname)) < 0) {
		parent_done(&from, oldname);
		return r;
	}
	if (from.last.len == 0 || from.last.dot || to.last.len == 0 || to.last.dot)
		r = -EBUSY;
	else if (!(old = child_of(&from)))
		r = -ENOENT;
	else if ((new = child_of(&to)) == old)
		r = 0;				/* the same name: nothing to do */
	else if (new && new->inode == old->inode && !(flags & RENAME_EXCHANGE))
		r = 0;				/* two links to one file: nothing either */
	else if ((r = rename_check(&from, old, &to, new, flags)) == 0) {
		if (flags & RENAME_EXCHANGE) {
			bool od = S_ISDIR(old->inode->mode), nd = S_ISDIR(new->inode->mode);

			if (od != nd) {	/* a directory changes parent */
				from.dir.dentry->inode->nlink += od ? -1 : 1;
				to.dir.dentry->inode->nlink += od ? 1 : -1;
			}
			dentry_exchange(old, new);
			inode_touch(from.dir.dentry->inode, true);
			inode_touch(to.dir.dentry->inode, true);
		} else {
			if (new)
				remove_name(&to, new);
			r = move(old, &from, &to);
		}
	}
	dentry_put(old);
	dentry_put(new);
	parent_done(&from, oldname);
	parent_done(&to, newname);
	return r;
}

SYSCALL(rename, 5)
{
	return rename_at(AT_FDCWD, a0, AT_FDCWD, a1, 0);
}

SYSCALL(renameat, 5)
{
	return rename_at((int)a0, a1, (int)a2, a3, 0);
}

SYSCALL(renameat2, 5)
{
	return rename_at((int)a0, a1, (int)a2, a3, (unsigned)a4);
}

/* chmod, chown, utimensat: on the inode a path or a descriptor names. */
static int
inode_of(int dirfd, uint64_t upath, bool follow, bool empty, struct path *out)
{
	char *name;
	int r;

	if ((r = getname(upath, &name)) < 0)
		return r;
	r = walk_at(dirfd, name, (follow ? WALK_FOLLOW : 0) | (empty ? WALK_EMPTY : 0), out);
	kfree(name);
	return r;
}

/* The file's owner (by fs uid), or CAP_FOWNER: chmod, utimensat's explicit times. */
static bool
owner_or_capable(const struct inode *inode)
{
	return proc_current()->cred.fsuid == inode->uid || capable(CAP_FOWNER);
}

static int
set_mode(struct inode *inode, uint32_t mode)
{
	if (!owner_or_capable(inode))
		return -EPERM;
	/* S_ISGID only for a member of the file's group (or CAP_FSETID): else it is cleared. */
	if ((mode & S_ISGID) && !in_group_p(inode->gid) && !capable(CAP_FSETID))
		mode &= ~(uint32_t)S_ISGID;
	inode->mode = (inode->mode & S_IFMT) | (mode & S_IALLUGO);
	inode_touch(inode, false);
	return 0;
}

static int
set_owner(struct inode *inode, uint32_t uid, uint32_t gid)
{
	bool owner = proc_current()->cred.fsuid == inode->uid;

	/* The owner may give the file to one of his groups; the rest needs CAP_CHOWN. */
	if (uid != (uint32_t)-1 && !(owner && uid == inode->uid) && !capable(CAP_CHOWN))
		return -EPERM;
	if (gid != (uint32_t)-1 && !(owner && (gid == inode->gid || in_group_p(gid))) &&
	    !capable(CAP_CHOWN))
		return -EPERM;
	uint32_t kill = S_ISDIR(inode->mode) ? 0 : S_ISUID | inode_sgid_to_drop(inode);
	if (uid != (uint32_t)-1)
		inode->uid = uid;
	if (gid != (uint32_t)-1)
		inode->gid = gid;
	inode->mode &= ~kill;
	inode_touch(inode, false);
	return 0;
}

SYSCALL(chmod, 5)
{
	struct path p;
	int r = inode_of(AT_FDCWD, a0, true, false, &p);

	if (r == 0) {
		r = set_mode(p.dentry->inode, (uint32_t)a1);
		path_put(&p);
	}
	return r;
}

SYSCALL(fchmodat, 5)
{
	struct path p;
	int r = inode_of((int)a0, a1, true, false, &p);

	if (r == 0) {
		r = set_mode(p.dentry->inode, (uint32_t)a2);
		path_put(&p);
	}
	return r;
}

SYSCALL(fchmod, 5)
{
	struct file *f = fd_get((int)a0);

	if (!f)
		return -EBADF;
	int r = set_mode(f->inode, (uint32_t)a1);
	file_put(f);
	return r;
}

static int64_t
chown_at(int dirfd, uint64_t upath, uint32_t uid, uint32_t gid, int flags)
{
	struct path p;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = inode_of(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), flags & AT_EMPTY_PATH,
			  &p)) < 0)
		return r;
	r = set_owner(p.dentry->inode, uid, gid);
	path_put(&p);
	return r;
}

SYSCALL(chown, 5)
{
	return chown_at(AT_FDCWD, a0, (uint32_t)a1, (uint32_t)a2, 0);
}

SYSCALL(lchown, 5)
{
	return chown_at(AT_FDCWD, a0, (uint32_t)a1, (uint32_t)a2, AT_SYMLINK_NOFOLLOW);
}

SYSCALL(fchownat, 5)
{
	return chown_at((int)a0, a1, (uint32_t)a2, (uint32_t)a3, (int)a4);
}

SYSCALL(fchown, 5)
{
	struct file *f = fd_get((int)a0);

	if (!f)
		return -EBADF;
	int r = set_owner(f->inode, (uint32_t)a1, (uint32_t)a2);
	file_put(f);
	return r;
}

/* The time one utimensat entry asks for; false to leave it (UTIME_OMIT). */
static bool
chosen_time(const struct timespec_abi *t, struct timespec_abi now, struct timespec_abi *out)
{
	if (t->tv_nsec == UTIME_OMIT)
		return false;
	*out = t->tv_nsec == UTIME_NOW ? now : *t;
	return true;
}

SYSCALL(utimensat, 5)
{
	struct timespec_abi ts[2], now = vfs_now();
	int flags = (int)a3, r;
	struct path p = { 0 };
	struct file *f = NULL;
	struct inode *inode;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (a2) {
		if (copy_from_user(ts, a2, sizeof(ts)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
			    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
				return -EINVAL;
	} else {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	}
	if (a1) {
		if ((r = inode_of((int)a0, a1, !(flags & AT_SYMLINK_NOFOLLOW), false, &p)) < 0)
			return r;
		inode = p.dentry->inode;
	} else {			/* futimens: the descriptor itself */
		if (!(f = fd_get((int)a0)))
			return -EBADF;
		inode = f->inode;
	}
	bool only_now = ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW;
	if (!owner_or_capable(inode))
		r = only_now ? inode_permission(inode, MAY_WRITE) : -EPERM;
	else
		r = 0;
	if (r == 0) {
		chosen_time(&ts[0], now, &inode->atime);
		chosen_time(&ts[1], now, &inode->mtime);
		inode->ctime = now;
	}
	path_put(&p);
	file_put(f);
	return r;
}
