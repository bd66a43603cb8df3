/*
 * Looking at files: stat and statx, access, readlink, statfs, getdents64;
 * and where a process stands: getcwd, chdir, fchdir, chroot, umask.
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksyscall.h>
#include <layout.h>
#include <pmm.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

static void
fill_stat(const struct inode *inode, struct stat_abi *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->sb ? inode->sb->dev : 0;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (int64_t)inode->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)inode->blocks;
	st->st_atim = inode->atime;
	st->st_mtim = inode->mtime;
	st->st_ctim = inode->ctime;
}

/* The path an *at call names, as its flags say (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH). */
static int
at_path(int dirfd, uint64_t upath, int flags, int allowed, struct path *out)
{
	char *name;
	int r;

	if (flags & ~allowed)
		return -EINVAL;
	if ((r = getname(upath, &name)) < 0)
		return r;
	r = walk_at(dirfd, name, (flags & AT_SYMLINK_NOFOLLOW ? 0 : WALK_FOLLOW) |
			       (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0), out);
	kfree(name);
	return r;
}

static int64_t
stat_at(int dirfd, uint64_t upath, uint64_t ubuf, int flags)
{
	struct stat_abi st;
	struct path p;
	int r = at_path(dirfd, upath, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
			AT_NO_AUTOMOUNT, &p);

	if (r < 0)
		return r;
	fill_stat(p.dentry->inode, &st);
	path_put(&p);
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL(stat, 5)
{
	return stat_at(AT_FDCWD, a0, a1, 0);
}

SYSCALL(lstat, 5)
{
	return stat_at(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW);
}

SYSCALL(newfstatat, 5)
{
	return stat_at((int)a0, a1, a2, (int)a3);
}

SYSCALL(fstat, 5)
{
	struct file *f = fd_get_raw((int)a0);
	struct stat_abi st;

	if (!f)
		return -EBADF;
	fill_stat(f->inode, &st);
	file_put(f);
	return copy_to_user(a1, &st, sizeof(st));
}

static struct statx_timestamp_abi
stx_time(struct timespec_abi t)
{
	return (struct statx_timestamp_abi){ t.tv_sec, (uint32_t)t.tv_nsec, 0 };
}

SYSCALL(statx, 5)
{
	int flags = (int)a2;
	struct statx_abi sx;
	struct path p;
	int r;

	if ((uint32_t)a3 & 0x80000000U)		/* STATX__RESERVED */
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if ((r = at_path((int)a0, a1, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
			 AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE, &p)) < 0)
		return r;
	struct inode *i = p.dentry->inode;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx.stx_blksize = PAGE_SIZE;
	sx.stx_nlink = i->nlink;
	sx.stx_uid = i->uid;
	sx.stx_gid = i->gid;
	sx.stx_mode = (uint16_t)i->mode;
	sx.stx_ino = i->ino;
	sx.stx_size = i->size;
	sx.stx_blocks = i->blocks;
	sx.stx_atime = stx_time(i->atime);
	sx.stx_ctime = stx_time(i->ctime);
	sx.stx_mtime = stx_time(i->mtime);
	sx.stx_rdev_major = MAJOR(i->rdev);
	sx.stx_rdev_minor = MINOR(i->rdev);
	sx.stx_dev_major = MAJOR(i->sb->dev);
	sx.stx_dev_minor = MINOR(i->sb->dev);
	sx.stx_mnt_id = (uint64_t)(uintptr_t)p.mnt & 0xFFFFFF;
	path_put(&p);
	return copy_to_user(a4, &sx, sizeof(sx));
}

/* access(2) checks with the real ids, not the effective ones (as Linux). */
static int64_t
access_at(int dirfd, uint64_t upath, int mode, int flags)
{
	struct path p;
	int r;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	/* The walk too searches the directories as the real ids. */
	struct cred *c = &proc_current()->cred, saved = *c;
	if (!(flags & AT_EACCESS)) {
		c->fsuid = c->uid;
		c->fsgid = c->gid;
		security_access_caps(c);
	}
	if ((r = at_path(dirfd, upath, flags & ~AT_EACCESS,
			 AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p)) == 0) {
		r = mode ? inode_permission(p.dentry->inode, mode) : 0;
		path_put(&p);
	}
	*c = saved;
	return r;
}

SYSCALL(access, 5)
{
	return access_at(AT_FDCWD, a0, (int)a1, 0);
}

SYSCALL(faccessat, 5)
{
	return access_at((int)a0, a1, (int)a2, 0);
}

SYSCALL(faccessat2, 5)
{
	if ((int)a3 & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return access_at((int)a0, a1, (int)a2, (int)a3);
}

static int64_t
readlink_at(int dirfd, uint64_t upath, uint64_t ubuf, int64_t size)
{
	struct path p;
	int r;

	if (size <= 0)
		return -EINVAL;
	/* "" names dirfd's own link (an O_PATH descriptor); readlink("") is ENOENT. */
	int flags = AT_SYMLINK_NOFOLLOW | (dirfd != AT_FDCWD ? AT_EMPTY_PATH : 0);
	if ((r = at_path(dirfd, upath, flags, flags, &p)) < 0)
		return r;
	struct inode *inode = p.dentry->inode;
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		r = -ENOMEM;
	else if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		r = -EINVAL;
	else if ((r = inode->iops->readlink(inode, buf, PATH_MAX)) >= 0) {
		if (r > size)
			r = (int)size;
		if (copy_to_user(ubuf, buf, (size_t)r) < 0)
			r = -EFAULT;
	}
	kfree(buf);
	path_put(&p);
	return r;
}

SYSCALL(readlink, 5)
{
	return readlink_at(AT_FDCWD, a0, a1, (int64_t)a2);
}

SYSCALL(readlinkat, 5)
{
	return readlink_at((int)a0, a1, a2, (int64_t)a3);
}

static int64_t
statfs_of(struct super_block *sb, uint64_t ubuf)
{
	struct statfs_abi st;

	memset(&st, 0, sizeof(st));
	st.f_type = (int64_t)sb->magic;
	st.f_bsize = st.f_frsize = PAGE_SIZE;
	st.f_blocks = pmm_managed_frames();
	st.f_bfree = st.f_bavail = pmm_free_frames();
	st.f_files = pmm_managed_frames();
	st.f_ffree = pmm_free_frames();
	st.f_fsid[0] = (int32_t)sb->dev;
	st.f_namelen = NAME_MAX;
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL(statfs, 5)
{
	struct path p;
	int r = at_path(AT_FDCWD, a0, 0, 0, &p);

	if (r < 0)
		return r;
	r = (int)statfs_of(p.dentry->inode->sb, a1);
	path_put(&p);
	return r;
}

SYSCALL(fstatfs, 5)
{
	struct file *f = fd_get_raw((int)a0);

	if (!f)
		return -EBADF;
	int64_t r = statfs_of(f->inode->sb, a1);
	file_put(f);
	return r;
}

/* getdents64: records packed into the user buffer. */
struct dirbuf {
	uint64_t ubuf, size, used;
	int error;
};

static unsigned
dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;	/* DT_* is the type field of st_mode */
}

/* Adds one record; 0 to go on, 1 when the buffer is full. */
static int
emit(void *ctx, const char *name, uint64_t ino, unsigned type, uint64_t next)
{
	struct dirbuf *b = ctx;
	size_t len = strlen(name);
	uint64_t reclen = (sizeof(struct dirent64_abi) + len + 1 + 7) & ~7UL;
	char rec[sizeof(struct dirent64_abi) + NAME_MAX + 8] __attribute__((aligned(8)));
	struct dirent64_abi *d = (struct dirent64_abi *)rec;

	if (b->used + reclen > b->size) {
		if (!b->used)
			b->error = -EINVAL;	/* not even one record fits */
		return 1;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)type;
	memcpy(d->d_name, name, len);
	if (copy_to_user(b->ubuf + b->used, rec, reclen) < 0) {
		b->error = -EFAULT;
		return 1;
	}
	b->used += reclen;
	return 0;
}

/* The entries of a directory the name cache holds: ".", "..", the children by cookie. */
static void
cached_readdir(struct file *f, struct dirbuf *b)
{
	struct dentry *dir = f->path.dentry;

	if (f->pos == 0) {
		if (emit(b, ".", dir->inode->ino, DT_DIR, 1))
			return;
		f->pos = 1;
	}
	if (f->pos == 1) {
		if (emit(b, "..", dir->parent->inode->ino, DT_DIR, 2))
			return;
		f->pos = 2;
	}
	for (struct dentry *d; (d = dentry_child_from(dir, f->pos));) {
		if (emit(b, d->name, d->inode->ino, dtype(d->inode->mode), d->cookie + 1))
			return;
		f->pos = d->cookie + 1;
	}
}

SYSCALL(getdents64, 5)
{
	struct file *f = fd_get((int)a0);
	struct dirbuf b = { a1, a2 > INT32_MAX ? INT32_MAX : a2, 0, 0 };

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) || !f->path.dentry) {
		file_put(f);
		return -ENOTDIR;
	}
	if (!user_range_ok(a1, b.size)) {
		file_put(f);
		return -EFAULT;
	}
	if (f->inode->iops && f->inode->iops->readdir)
		f->inode->iops->readdir(f, emit, &b);
	else if (f->path.dentry->dead)
		b.error = -ENOENT;		/* a removed directory lists nothing, as Linux */
	else
		cached_readdir(f, &b);
	f->inode->atime = vfs_now();
	file_put(f);
	return b.used ? (int64_t)b.used : b.error;
}

SYSCALL(getcwd, 5)
{
	struct path cwd = vfs_cwd();
	char *buf = kmalloc(PATH_MAX);
	int r;

	if (!buf) {
		path_put(&cwd);
		return -ENOMEM;
	}
	if (cwd.dentry->dead)
		r = -ENOENT;		/* the directory was removed */
	else if ((r = vfs_path_name(&cwd, buf, PATH_MAX)) >= 0) {
		r++;			/* with its NUL */
		if ((uint64_t)r > a1)
			r = -ERANGE;
		else if (copy_to_user(a0, buf, (size_t)r) < 0)
			r = -EFAULT;
	}
	kfree(buf);
	path_put(&cwd);
	return r;
}

/* chdir and chroot: p must be a directory the caller may search. */
static int
enter(struct path *p, bool root)
{
	int r = !S_ISDIR(p->dentry->inode->mode) ? -ENOTDIR :
		inode_permission(p->dentry->inode, MAY_EXEC);

	if (r == 0 && root && !capable(CAP_SYS_CHROOT))
		r = -EPERM;
	if (r < 0) {
		path_put(p);
		return r;
	}
	vfs_set_cwd(*p, root);		/* the reference passes to the context */
	return 0;
}

SYSCALL(chdir, 5)
{
	struct path p;
	int r = at_path(AT_FDCWD, a0, 0, 0, &p);

	return r < 0 ? r : enter(&p, false);
}

SYSCALL(chroot, 5)
{
	struct path p;
	int r = at_path(AT_FDCWD, a0, 0, 0, &p);

	return r < 0 ? r : enter(&p, true);
}

SYSCALL(fchdir, 5)
{
	struct file *f = fd_get_raw((int)a0);

	if (!f)
		return -EBADF;
	if (!f->path.dentry) {
		file_put(f);
		return -ENOTDIR;
	}
	struct path p = f->path;
	path_get(&p);
	file_put(f);
	return enter(&p, false);
}

SYSCALL(umask, 5)
{
	return vfs_set_umask((uint32_t)a0);
}
