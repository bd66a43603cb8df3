/*
 * Opening files, and reading and writing them: open, openat, creat,
 * close, read, write, their vectored and positioned forms, lseek,
 * truncate, sendfile, and the syncs (nothing to flush: it is all memory).
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksched.h>
#include <ksyscall.h>
#include <layout.h>
#include <param.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

#define IOV_MAX		1024

/* Creates the last component of lp as a regular file; the new dentry in *out. */
static int
create_file(struct lookup_parent *lp, uint32_t mode, struct path *out)
{
	struct inode *dir = lp->dir.dentry->inode, *inode;
	struct dentry *d;
	int r;

	if ((r = inode_permission(dir, MAY_WRITE | MAY_EXEC)) < 0)
		return r;
	if (!dir->iops || !dir->iops->create)
		return -EACCES;
	if (lp->dir.dentry->dead)
		return -ENOENT;
	if ((r = dir->iops->create(dir, S_IFREG | (mode & ~vfs_umask() & S_IALLUGO), 0,
				   &inode)) < 0)
		return r;
	inode_init_owner(dir, inode);
	if (!(d = dentry_alloc(lp->dir.dentry, lp->last.name, lp->last.len))) {
		inode_put(inode);
		return -ENOMEM;
	}
	inode->nlink = 1;
	dentry_link(d, inode, true);
	inode_touch(dir, true);
	*out = (struct path){ lp->dir.mnt, d };
	mount_get(lp->dir.mnt);
	return 0;
}

/*
 * The path open() names: found, or (O_CREAT) made. O_CREAT follows a
 * symbolic link in the last component too, to create its target: a
 * dangling link makes the file it names (not with O_EXCL, which wants
 * the name itself free, nor O_NOFOLLOW, which refuses the link).
 */
static int
open_path(const struct path *start, const char *name, int flags, uint32_t mode,
	  struct path *out, bool *created)
{
	unsigned wflags = (flags & O_NOFOLLOW ? 0 : WALK_FOLLOW) |
			  (flags & O_DIRECTORY ? WALK_DIRECTORY : 0);
	struct path from = { 0 };
	char *target = NULL;
	int r;

	*created = false;
	if (!(flags & O_CREAT))
		return vfs_walk(start, name, wflags, out, NULL);
	if (start) {
		from = *start;
		path_get(&from);
	}
	for (int links = 0;; links++) {
		struct lookup_parent lp;

		if ((r = vfs_walk(from.dentry ? &from : NULL, name, WALK_PARENT, &lp.dir,
				  &lp.last)) < 0)
			break;
		struct dentry *d = NULL;
		if (lp.last.dot || lp.last.trailing_slash)
			r = -EISDIR;
		else if (!(d = dentry_lookup(lp.dir.dentry, lp.last.name, lp.last.len)))
			*created = (r = create_file(&lp, mode, out)) == 0;
		else if (flags & O_EXCL)
			r = -EEXIST;
		else if (!S_ISLNK(d->inode->mode) || (flags & O_NOFOLLOW))
			r = vfs_walk(&lp.dir, lp.last.name, wflags, out, NULL);
		else if (links >= SYMLOOP_MAX)
			r = -ELOOP;
		else if (!target && !(target = kmalloc(PATH_MAX)))
			r = -ENOMEM;
		else if ((r = d->inode->iops->readlink(d->inode, target, PATH_MAX - 1)) >= 0) {
			/* Create what the link names, from the link's directory. */
			target[r] = '\0';
			name = target;
			path_put(&from);
			from = lp.dir;
			path_get(&from);
			r = 1;
		}
		dentry_put(d);
		path_put(&lp.dir);
		if (r != 1)
			break;
	}
	path_put(&from);
	kfree(target);
	return r;
}

static int (*fifo_open)(struct inode *inode, struct file *f);

void
vfs_set_fifo_open(int (*open)(struct inode *inode, struct file *f))
{
	fifo_open = open;
}

/* open(O_PATH): a descriptor that only names a place (fstat, fchdir, *at, readlinkat). */
static int
open_o_path(const struct path *start, const char *name, int flags, struct file **out)
{
	struct path p;
	int r = vfs_walk(start, name, (flags & O_NOFOLLOW ? 0 : WALK_FOLLOW) |
			 (flags & O_DIRECTORY ? WALK_DIRECTORY : 0), &p, NULL);

	if (r < 0)
		return r;
	if ((flags & O_DIRECTORY) && !S_ISDIR(p.dentry->inode->mode))
		r = -ENOTDIR;
	else if (!(*out = file_alloc(&p, p.dentry->inode, O_PATH)))
		r = -ENFILE;
	else
		(*out)->ops = NULL;
	path_put(&p);
	return r;
}

int
vfs_open(const struct path *start, const char *name, int flags, uint32_t mode,
	 struct file **out)
{
	int acc = flags & O_ACCMODE;
	bool created, writing = acc == O_WRONLY || acc == O_RDWR;
	struct path p;
	int r;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & O_PATH)
		return open_o_path(start, name, flags, out);
	if (acc == 3)
		return -EINVAL;
	if ((r = open_path(start, name, flags, mode, &p, &created)) < 0)
		return r;
	struct inode *inode = p.dentry->inode;
	if (S_ISLNK(inode->mode))
		r = -ELOOP;		/* O_NOFOLLOW on a link */
	else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		r = -ENOTDIR;
	else if (S_ISDIR(inode->mode) && (writing || (flags & O_CREAT)))
		r = -EISDIR;
	else if (!created && (r = inode_permission(inode, (acc != O_WRONLY ? MAY_READ : 0) |
						     (writing || (flags & O_TRUNC) ? MAY_WRITE : 0))) < 0)
		;
	else if ((writing || (flags & O_TRUNC)) && S_ISREG(inode->mode) && inode->writers < 0)
		r = -ETXTBSY;		/* a running program's file */
	if (r < 0) {
		path_put(&p);
		return r;
	}
	/* O_NOCTTY only for the open op (a terminal's), as Linux keeps it out of f_flags. */
	struct file *f = file_alloc(&p, inode, ((unsigned)flags & ~(O_CREAT | O_EXCL | O_TRUNC)) |
				    O_LARGEFILE);
	path_put(&p);
	if (!f)
		return -ENFILE;
	if (S_ISCHR(inode->mode) && !(f->ops = chrdev_ops(inode->rdev)))
		r = -ENXIO;
	else if (S_ISFIFO(inode->mode))
		r = fifo_open ? fifo_open(inode, f) : -ENXIO;
	else if (S_ISSOCK(inode->mode) || S_ISBLK(inode->mode))
		r = -ENXIO;
	else if (f->ops && f->ops->open)
		r = f->ops->open(inode, f);
	f->flags &= ~(unsigned)O_NOCTTY;
	/* O_TRUNC truncates even a file opened read-only, as Linux does. */
	if (r == 0 && (flags & O_TRUNC) && S_ISREG(inode->mode)) {
		inode_remove_privs(inode);
		if (inode->size)
			r = vfs_truncate(inode, 0);
	}
	if (r < 0) {
		file_put(f);
		return r;
	}
	*out = f;
	return 0;
}

int
vfs_truncate(struct inode *inode, uint64_t size)
{
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (!inode->iops || !inode->iops->truncate)
		return -EPERM;
	/* Growing a file past RLIMIT_FSIZE, or past what an offset can hold. */
	struct proc *p = proc_current();
	if (size > inode->size && (size > p->rlim[RLIMIT_FSIZE].rlim_cur || size > INT64_MAX)) {
		if (size <= INT64_MAX)
			proc_signal(p, SIGXFSZ);
		return -EFBIG;
	}
	uint64_t old_size = inode->size;
	inode_remove_privs(inode);
	int r = inode->iops->truncate(inode, size);
	if (r == 0) {
		inode_touch(inode, true);
		if (size < old_size)	/* mapped pages past the new end go (SIGBUS) */
			file_unmap_from(inode, PGROUNDUP(size) / PAGE_SIZE);
	}
	return r;
}

int64_t
vfs_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->ops || !f->ops->read)
		return -EINVAL;
	if (!n)
		return 0;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	if (!buf.kernel && !user_range_ok(buf.addr, n))
		return -EFAULT;
	return f->ops->read(f, buf, n, pos);
}

/* Cuts a write to a regular file at RLIMIT_FSIZE: SIGXFSZ and EFBIG if nothing is left. */
static int
fsize_limit(struct file *f, uint64_t pos, uint64_t *n)
{
	struct proc *p = proc_current();
	uint64_t limit = p->rlim[RLIMIT_FSIZE].rlim_cur;

	if (!S_ISREG(f->inode->mode))
		return 0;
	if (limit > INT64_MAX)
		limit = INT64_MAX;	/* the largest offset a file can have */
	if (pos >= limit) {
		if (limit < INT64_MAX)
			proc_signal(p, SIGXFSZ);
		return -EFBIG;
	}
	if (*n > limit - pos)
		*n = limit - pos;
	return 0;
}

int64_t
vfs_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	if (!n)
		return 0;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	if (!buf.kernel && !user_range_ok(buf.addr, n))
		return -EFAULT;
	if (f->flags & O_APPEND && f->ops->seekable)
		*pos = f->inode->size;
	int r = fsize_limit(f, *pos, &n);
	if (r < 0)
		return r;
	if (S_ISREG(f->inode->mode))
		inode_remove_privs(f->inode);
	return f->ops->write(f, buf, n, pos);
}

static int
do_open(int dirfd, uint64_t upath, int flags, uint32_t mode)
{
	struct path start = { 0 };
	struct file *f;
	char *name;
	int r;

	if ((r = getname(upath, &name)) < 0)
		return r;
	r = walk_start(dirfd, name, 0, &start);
	if (r == 0)
		r = vfs_open(start.dentry ? &start : NULL, name, flags, mode, &f);
	path_put(&start);
	kfree(name);
	if (r < 0)
		return r;
	if ((r = fd_install(f, 0, flags & O_CLOEXEC)) < 0)
		file_put(f);
	return r;
}

SYSCALL(open, 5)
{
	return do_open(AT_FDCWD, a0, (int)a1, (uint32_t)a2);
}

SYSCALL(openat, 5)
{
	return do_open((int)a0, a1, (int)a2, (uint32_t)a3);
}

SYSCALL(creat, 5)
{
	return do_open(AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a1);
}

SYSCALL(close, 5)
{
	return fd_close((int)a0);
}

SYSCALL(close_range, 5)
{
	unsigned first = (unsigned)a0, last = (unsigned)a1;

	if (first > last || a2 & ~6UL)	/* CLOSE_RANGE_UNSHARE 2, _CLOEXEC 4 */
		return -EINVAL;
	unsigned end = fd_count(proc_current()->files);
	for (unsigned fd = first; fd < end && fd <= last; fd++) {
		if (a2 & 4)
			fd_set_cloexec((int)fd, true);
		else
			fd_close((int)fd);
	}
	return 0;
}

/* read or write on descriptor fd at the file's own offset (pos NULL) or at *pos. */
static int64_t
rw(int fd, struct iobuf buf, uint64_t n, uint64_t *at, bool writing)
{
	struct file *f = fd_get(fd);
	int64_t r;

	if (!f)
		return -EBADF;
	if (at && !f->ops->seekable) {
		file_put(f);
		return -ESPIPE;
	}
	uint64_t *pos = at ? at : &f->pos;
	r = writing ? vfs_write(f, buf, n, pos) : vfs_read(f, buf, n, pos);
	file_put(f);
	return r;
}

SYSCALL(read, 5)
{
	return rw((int)a0, UBUF(a1), a2, NULL, false);
}

SYSCALL(write, 5)
{
	return rw((int)a0, UBUF(a1), a2, NULL, true);
}

SYSCALL(pread64, 5)
{
	uint64_t pos = a3;

	return (int64_t)a3 < 0 ? -EINVAL : rw((int)a0, UBUF(a1), a2, &pos, false);
}

SYSCALL(pwrite64, 5)
{
	uint64_t pos = a3;

	return (int64_t)a3 < 0 ? -EINVAL : rw((int)a0, UBUF(a1), a2, &pos, true);
}

/* readv, writev and their positioned forms: the iovecs checked first, as Linux. */
static int64_t
vector_rw(int fd, uint64_t uiov, uint64_t count, int64_t at, bool writing)
{
	uint64_t total = 0, pos = (uint64_t)at;
	int64_t done = 0;

	if (count > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++) {
		struct iovec_abi iov;

		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return -EFAULT;
		if ((int64_t)iov.len < 0 || total + iov.len > INT64_MAX)
			return -EINVAL;
		if (iov.len && !user_range_ok(iov.base, iov.len))
			return -EFAULT;
		total += iov.len;
	}
	for (uint64_t i = 0; i < count; i++) {
		struct iovec_abi iov;
		int64_t r;

		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return done ? done : -EFAULT;
		if (!iov.len)
			continue;
		r = rw(fd, UBUF(iov.base), iov.len, at < 0 ? NULL : &pos, writing);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < iov.len)
			break;
	}
	if (count && !done)	/* an empty transfer still checks the descriptor */
		return rw(fd, UBUF(0), 0, at < 0 ? NULL : &pos, writing);
	return done;
}

SYSCALL(readv, 5)
{
	return vector_rw((int)a0, a1, a2, -1, false);
}

SYSCALL(writev, 5)
{
	return vector_rw((int)a0, a1, a2, -1, true);
}

SYSCALL(preadv, 5)
{
	return (int64_t)a3 < 0 ? -EINVAL : vector_rw((int)a0, a1, a2, (int64_t)a3, false);
}

SYSCALL(pwritev, 5)
{
	return (int64_t)a3 < 0 ? -EINVAL : vector_rw((int)a0, a1, a2, (int64_t)a3, true);
}

SYSCALL(lseek, 5)
{
	struct file *f = fd_get((int)a0);
	int64_t off = (int64_t)a1, base;

	if (!f)
		return -EBADF;
	int64_t r;
	if (!f->ops || !f->ops->seekable) {
		r = -ESPIPE;
	} else if (f->ops->seek_noop) {
		r = 0;
	} else {
		switch ((int)a2) {
		case SEEK_SET: base = 0; break;
		case SEEK_CUR: base = (int64_t)f->pos; break;
		case SEEK_END: base = (int64_t)f->inode->size; break;
		case SEEK_DATA:
		case SEEK_HOLE:
			/* All data, one hole at the end (as Linux without finer knowledge). */
			if (off < 0 || (uint64_t)off >= f->inode->size) {
				r = -ENXIO;
				goto out;
			}
			base = 0;
			if ((int)a2 == SEEK_HOLE)
				off = (int64_t)f->inode->size;
			break;
		default:
			r = -EINVAL;
			goto out;
		}
		if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
			r = -EINVAL;
		} else {
			f->pos = (uint64_t)(base + off);
			r = base + off;
		}
	}
out:
	file_put(f);
	return r;
}

SYSCALL(ftruncate, 5)
{
	struct file *f = fd_get((int)a0);
	int r;

	if (!f)
		return -EBADF;
	if ((int64_t)a1 < 0)
		r = -EINVAL;
	else if ((f->flags & O_ACCMODE) == O_RDONLY || !S_ISREG(f->inode->mode))
		r = -EINVAL;
	else
		r = vfs_truncate(f->inode, a1);
	file_put(f);
	return r;
}

SYSCALL(truncate, 5)
{
	struct path p;
	char *name;
	int r;

	if ((int64_t)a1 < 0)
		return -EINVAL;
	if ((r = getname(a0, &name)) < 0)
		return r;
	r = vfs_walk(NULL, name, WALK_FOLLOW, &p, NULL);
	kfree(name);
	if (r < 0)
		return r;
	if (S_ISDIR(p.dentry->inode->mode))
		r = -EISDIR;
	else if ((r = inode_permission(p.dentry->inode, MAY_WRITE)) == 0)
		r = p.dentry->inode->writers < 0 ? -ETXTBSY : vfs_truncate(p.dentry->inode, a1);
	path_put(&p);
	return r;
}

/* sendfile(out, in, offset, count): through a kernel buffer, a page at a time. */
SYSCALL(sendfile, 5)
{
	struct file *in = fd_get((int)a1), *out = fd_get((int)a0);
	uint64_t count = a3, done = 0, off;
	char *buf = kmalloc(PAGE_SIZE);
	int64_t r = 0;

	if (!in || !out)
		r = -EBADF;
	else if (!buf)
		r = -ENOMEM;
	else if (a2 && copy_from_user(&off, a2, sizeof(off)) < 0)
		r = -EFAULT;
	else if (a2 && !in->ops->seekable)
		r = -ESPIPE;
	while (r == 0 && done < count) {
		uint64_t k = count - done < PAGE_SIZE ? count - done : PAGE_SIZE;
		int64_t got = vfs_read(in, KBUF(buf), k, a2 ? &off : &in->pos);

		if (got <= 0) {
			r = got;
			break;
		}
		int64_t put = vfs_write(out, KBUF(buf), (uint64_t)got, &out->pos);
		if (put <= 0) {
			r = put;
			break;
		}
		done += (uint64_t)put;
		/* A short read is what there is now (a pipe, a terminal): never wait for more. */
		if (put < got || (uint64_t)got < k || proc_fatal_pending())
			break;
		sched_cond_resched();
	}
	if (a2 && in && out && buf && copy_to_user(a2, &off, sizeof(off)) < 0 && !done)
		r = -EFAULT;
	kfree(buf);
	file_put(in);
	file_put(out);
	return done ? (int64_t)done : r;
}

/* Everything lives in memory: there is nothing to write back. */
static int64_t
sync_fd(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	/* Files and directories have nothing to flush; pipes and devices cannot. */
	int r = S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) ? 0 : -EINVAL;
	file_put(f);
	return r;
}

SYSCALL(fsync, 5)
{
	return sync_fd((int)a0);
}
SYSCALL_ALIAS(fdatasync, fsync, 5);
SYSCALL_ALIAS(syncfs, fsync, 5);

SYSCALL(sync, 5)
{
	return 0;
}
