/*
 * Open file descriptions and the descriptor tables that point to them.
 * open() makes a struct file (offset, flags); dup and fork share it; the
 * last close releases it. A process's table grows as it needs, up to its
 * RLIMIT_NOFILE (EMFILE); all processes together have FILE_MAX (ENFILE).
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <kstring.h>
#include <param.h>
#include <proc.h>
#include <vfs.h>
#include "fs_internal.h"

#define FDTABLE_MIN	32	/* slots a new table starts with */

struct fdtable {
	struct file **fd;
	uint64_t *cloexec;	/* a bit per slot */
	unsigned size;
};

static unsigned nfiles;

struct file *
file_alloc(const struct path *path, struct inode *inode, unsigned flags)
{
	struct file *f;

	if (nfiles >= FILE_MAX || !(f = kzalloc(sizeof(*f))))
		return NULL;
	nfiles++;
	f->refs = 1;
	if (path) {
		f->path = *path;
		path_get(&f->path);
	}
	f->inode = inode;
	inode_get(inode);
	f->ops = inode->fops;
	f->flags = flags;
	if ((flags & O_ACCMODE) != O_RDONLY && S_ISREG(inode->mode))
		inode->writers++;
	return f;
}

void
file_get(struct file *f)
{
	f->refs++;
}

void
file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if ((f->flags & O_ACCMODE) != O_RDONLY && S_ISREG(f->inode->mode))
		f->inode->writers--;
	inode_put(f->inode);
	path_put(&f->path);
	kfree(f);
	nfiles--;
}

int
deny_write(struct inode *inode)
{
	if (inode->writers > 0)
		return -ETXTBSY;
	inode->writers--;
	return 0;
}

void
allow_write(struct inode *inode)
{
	inode->writers++;
}

unsigned
files_open(void)
{
	return nfiles;
}

/* Descriptor tables. */

static struct fdtable *
table(void)
{
	return proc_current()->files;
}

static bool
is_cloexec(const struct fdtable *t, unsigned fd)
{
	return t->cloexec[fd / 64] >> (fd % 64) & 1;
}

static void
set_cloexec(struct fdtable *t, unsigned fd, bool on)
{
	if (on)
		t->cloexec[fd / 64] |= 1UL << (fd % 64);
	else
		t->cloexec[fd / 64] &= ~(1UL << (fd % 64));
}

/* Makes room for slots 0 .. want-1. */
static int
grow(struct fdtable *t, unsigned want)
{
	unsigned size = t->size ? t->size : FDTABLE_MIN;

	while (size < want)
		size *= 2;
	if (size == t->size)
		return 0;
	struct file **fd = kzalloc(size * sizeof(*fd));
	uint64_t *bits = kzalloc((size + 63) / 64 * 8);
	if (!fd || !bits) {
		kfree(fd);
		kfree(bits);
		return -ENOMEM;
	}
	if (t->size) {
		memcpy(fd, t->fd, t->size * sizeof(*fd));
		memcpy(bits, t->cloexec, (t->size + 63) / 64 * 8);
	}
	kfree(t->fd);
	kfree(t->cloexec);
	t->fd = fd;
	t->cloexec = bits;
	t->size = size;
	return 0;
}

static unsigned
nofile_limit(void)
{
	return (unsigned)proc_current()->rlim[RLIMIT_NOFILE].rlim_cur;
}

struct file *
fd_get_raw(int fd)
{
	struct fdtable *t = table();

	if (!t || fd < 0 || (unsigned)fd >= t->size || !t->fd[fd])
		return NULL;
	file_get(t->fd[fd]);
	return t->fd[fd];
}

struct file *
fd_get(int fd)
{
	struct file *f = fd_get_raw(fd);

	if (f && (f->flags & O_PATH)) {
		file_put(f);
		return NULL;	/* an O_PATH descriptor only names a place */
	}
	return f;
}

#if SOL >= 5
int
fd_install(struct file *f, unsigned min, bool cloexec)
{
	struct fdtable *t = table();
	unsigned limit = nofile_limit();

	for (unsigned fd = min; fd < limit; fd++) {
		if (fd >= t->size && grow(t, fd + 1) < 0)
			return -ENOMEM;
		if (!t->fd[fd]) {
			t->fd[fd] = f;
			set_cloexec(t, fd, cloexec);
			return (int)fd;
		}
	}
	return -EMFILE;
}

int
fd_close(int fd)
{
	struct fdtable *t = table();

	if (!t || fd < 0 || (unsigned)fd >= t->size || !t->fd[fd])
		return -EBADF;
	struct file *f = t->fd[fd];
	t->fd[fd] = NULL;
	set_cloexec(t, (unsigned)fd, false);
	file_put(f);
	return 0;
}

int
fd_dup_to(int oldfd, int newfd, bool cloexec)
{
	struct fdtable *t = table();

	if (newfd < 0 || (unsigned)newfd >= nofile_limit())
		return -EBADF;
	struct file *f = fd_get_raw(oldfd);
	if (!f)
		return -EBADF;
	if ((unsigned)newfd >= t->size && grow(t, (unsigned)newfd + 1) < 0) {
		file_put(f);
		return -ENOMEM;
	}
	struct file *old = t->fd[newfd];
	t->fd[newfd] = f;
	set_cloexec(t, (unsigned)newfd, cloexec);
	file_put(old);
	return newfd;
}
#else
int
fd_install(struct file *f, unsigned min, bool cloexec)
{
	/* LAB 5: your code here. Put f in the calling process's table
	 * (table()) at the lowest free descriptor >= min, growing the
	 * table as needed (grow: -ENOMEM), with its close-on-exec bit
	 * (set_cloexec); -EMFILE when every one below RLIMIT_NOFILE
	 * (nofile_limit) is taken. The table keeps the caller's reference. */
	(void)f, (void)min, (void)cloexec, (void)nofile_limit;
	return -ENOSYS;
}

int
fd_close(int fd)
{
	/* LAB 5: your code here. -EBADF unless fd is open; empty its slot,
	 * clear its close-on-exec bit, and drop the table's reference. */
	(void)fd;
	return -ENOSYS;
}

int
fd_dup_to(int oldfd, int newfd, bool cloexec)
{
	/* LAB 5: your code here. dup2's heart: newfd (-EBADF outside 0 ..
	 * RLIMIT_NOFILE - 1) gets oldfd's file (-EBADF if none) with the
	 * given close-on-exec bit; whatever newfd held is closed after the
	 * swap, never before. Returns newfd. */
	(void)oldfd, (void)newfd, (void)cloexec;
	return -ENOSYS;
}
#endif

int
fd_get_cloexec(int fd)
{
	struct fdtable *t = table();

	if (!t || fd < 0 || (unsigned)fd >= t->size || !t->fd[fd])
		return -EBADF;
	return is_cloexec(t, (unsigned)fd);
}

int
fd_set_cloexec(int fd, bool on)
{
	struct fdtable *t = table();

	if (!t || fd < 0 || (unsigned)fd >= t->size || !t->fd[fd])
		return -EBADF;
	set_cloexec(t, (unsigned)fd, on);
	return 0;
}

/* The highest open descriptor + 1 (for close_range and /proc/self/fd). */
unsigned
fd_count(const struct fdtable *t)
{
	unsigned n = t ? t->size : 0;

	while (n && !t->fd[n - 1])
		n--;
	return n;
}

struct file *
fd_peek(const struct fdtable *t, unsigned fd)
{
	return t && fd < t->size ? t->fd[fd] : NULL;
}

/* The first process reads and writes the console on 0, 1 and 2 (none if it is missing). */
static int
open_console(struct fdtable *t)
{
	struct file *f;

	if (vfs_open(NULL, "/dev/console", O_RDWR | O_NOCTTY, 0, &f) < 0) {
		kprintf("init: no /dev/console; the first program starts without descriptors\n");
		return 0;
	}
	if (grow(t, 3) < 0) {
		file_put(f);
		return -ENOMEM;
	}
	for (unsigned fd = 0; fd < 3; fd++) {
		file_get(f);
		t->fd[fd] = f;
	}
	file_put(f);
	return 0;
}

static int
files_fork(struct proc *parent, struct proc *child)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	struct fdtable *pt = parent ? parent->files : NULL;

	if (!t)
		return -ENOMEM;
	child->files = t;
	if (!parent)
		return vfs_active() ? open_console(t) : 0;
	if (!pt || !pt->size)
		return 0;
	if (grow(t, pt->size) < 0)
		return -ENOMEM;		/* release frees the half-made table */
	for (unsigned fd = 0; fd < pt->size; fd++) {
		if ((t->fd[fd] = pt->fd[fd]))
			file_get(t->fd[fd]);
		set_cloexec(t, fd, is_cloexec(pt, fd));
	}
	return 0;
}

/* At exec: the descriptors marked close-on-exec go. */
static void
files_exec(struct proc *p)
{
	struct fdtable *t = p->files;

	for (unsigned fd = 0; t && fd < t->size; fd++) {
		if (t->fd[fd] && is_cloexec(t, fd)) {
			struct file *f = t->fd[fd];

			t->fd[fd] = NULL;
			set_cloexec(t, fd, false);
			file_put(f);
		}
	}
}

static void
files_release(struct proc *p)
{
	struct fdtable *t = p->files;

	if (!t)
		return;
	p->files = NULL;
	for (unsigned fd = 0; fd < t->size; fd++)
		file_put(t->fd[fd]);
	kfree(t->fd);
	kfree(t->cloexec);
	kfree(t);
}

PROC_HOOKS(files, .fork = files_fork, .exec = files_exec, .release = files_release);
