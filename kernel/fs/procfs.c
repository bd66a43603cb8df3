/*
 * procfs: a file system whose files are made up when they are looked at.
 * Each node is a fixed entry (proc_info.c, proc_pid.c) for the machine
 * or for one process; directories list their fixed entries and, for the
 * top and for /proc/PID/fd, a name per live process or descriptor. A
 * file's text is made whole when it is opened (struct seq), so that a
 * reader sees one consistent snapshot however it reads it.
 */
#include <init.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <kstring.h>
#include <proc.h>
#include "fs_internal.h"
#include "procfs.h"

#define PROC_SUPER_MAGIC 0x9FA0
#define PID_POS		0x10000UL	/* readdir positions of process directories: PID_POS + pid */
#define SEQ_MAX		(4UL << 20)	/* the longest text a file may have */

/* What an inode of procfs is: an entry, for a process (pid 0: none), for a descriptor. */
struct pnode {
	const struct proc_entry *e;
	int pid, fd;
};

static const struct proc_entry root_entry = {
	"/", S_IFDIR | 0555, .children = proc_root_entries, .kind = PROC_DIR_ROOT,
};
static const struct proc_entry pid_entry = {
	"", S_IFDIR | 0555, .children = proc_pid_entries,
};

static const struct inode_ops procfs_iops;
static const struct file_ops procfs_file_ops, procfs_dir_ops;

static uint64_t
node_ino(const struct proc_entry *e, int pid, int fd)
{
	if (e == &root_entry)
		return 1;
	if (!pid)
		return (uintptr_t)e & 0xFFFFF;	/* the entries are a few kilobytes of one image */
	uint64_t low = fd >= 0 ? 0x80000 | (uint64_t)fd :
		       e == &pid_entry ? 0 : 1 + (uint64_t)(e - proc_pid_entries);
	return (uint64_t)pid << 20 | low;
}

static int
make_inode(struct super_block *sb, const struct proc_entry *e, int pid, int fd,
	   struct inode **out)
{
	struct pnode *n = kmalloc(sizeof(*n));
	struct inode *inode;

	if (!n)
		return -ENOMEM;
	if (!(inode = inode_alloc(sb, e->mode))) {
		kfree(n);
		return -ENOMEM;
	}
	*n = (struct pnode){ e, pid, fd };
	inode->ino = node_ino(e, pid, fd);
	inode->nlink = S_ISDIR(e->mode) ? 2 : 1;
	inode->iops = &procfs_iops;
	inode->fops = S_ISDIR(e->mode) ? &procfs_dir_ops : S_ISREG(e->mode) ? &procfs_file_ops :
		      NULL;
	inode->data = n;
	struct proc *p = pid ? proc_find(pid) : NULL;
	if (p) {
		inode->uid = p->cred.euid;
		inode->gid = p->cred.egid;
	}
	/* The files of a descriptor say how it is open: lr-x, l-wx or lrwx. */
	if (fd >= 0 && p) {
		struct file *f = fd_peek(p->files, (unsigned)fd);
		unsigned acc = f ? f->flags & O_ACCMODE : O_RDONLY;

		inode->mode = S_IFLNK | 0100 | (acc != O_WRONLY ? 0400 : 0) |
			      (acc != O_RDONLY ? 0200 : 0);
	}
	*out = inode;
	return 0;
}

/* A decimal name without sign or leading zero ("0" aside): its value, or -1. */
static int
name_number(const char *name)
{
	long v = 0;

	if (!*name || (name[0] == '0' && name[1]))
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*name - '0');
	}
	return (int)v;
}

static struct proc *
node_proc(const struct pnode *n)
{
	return n->pid ? proc_find(n->pid) : NULL;
}

static int
procfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	const struct pnode *d = dir->data;
	struct proc *p = node_proc(d);

	if (d->pid && !p)
		return -ENOENT;		/* the process is gone */
	for (const struct proc_entry *c = d->e->children; c && c->name; c++)
		if (!strcmp(c->name, name))
			return make_inode(dir->sb, c, d->pid, -1, out);
	int n = name_number(name);
	if (d->e->kind == PROC_DIR_ROOT && n > 0 && proc_find(n))
		return make_inode(dir->sb, &pid_entry, n, -1, out);
	if (d->e->kind == PROC_DIR_FDS && n >= 0 && fd_peek(p->files, (unsigned)n))
		return make_inode(dir->sb, &proc_fd_entry, d->pid, n, out);
	return -ENOENT;
}

/* The live process with the smallest pid >= pid, or NULL. */
static struct proc *
proc_from(int pid)
{
	struct proc *best = NULL;

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		if (p->pid >= pid && (!best || p->pid < best->pid))
			best = p;
	return best;
}

static unsigned
dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

static int
procfs_readdir(struct file *f, int (*emit)(void *ctx, const char *name, uint64_t ino,
					   unsigned type, uint64_t next), void *ctx)
{
	const struct pnode *d = f->inode->data;
	struct proc *p = node_proc(d);
	char name[16];

	if (d->pid && !p)
		return 0;
	if (f->pos == 0) {
		if (emit(ctx, ".", f->inode->ino, DT_DIR, 1))
			return 0;
		f->pos = 1;
	}
	if (f->pos == 1) {
		if (emit(ctx, "..", f->path.dentry->parent->inode->ino, DT_DIR, 2))
			return 0;
		f->pos = 2;
	}
	unsigned nfixed = 0;
	while (d->e->children && d->e->children[nfixed].name)
		nfixed++;
	for (; f->pos < 2 + nfixed; f->pos++) {
		const struct proc_entry *c = &d->e->children[f->pos - 2];

		if (emit(ctx, c->name, node_ino(c, d->pid, -1), dtype(c->mode), f->pos + 1))
			return 0;
	}
	if (d->e->kind == PROC_DIR_ROOT) {
		if (f->pos < PID_POS)
			f->pos = PID_POS;
		for (struct proc *q; (q = proc_from((int)(f->pos - PID_POS)));) {
			ksnprintf(name, sizeof(name), "%d", q->pid);
			if (emit(ctx, name, node_ino(&pid_entry, q->pid, -1), DT_DIR,
				 PID_POS + (uint64_t)q->pid + 1))
				return 0;
			f->pos = PID_POS + (uint64_t)q->pid + 1;
		}
	} else if (d->e->kind == PROC_DIR_FDS) {
		for (unsigned fd = (unsigned)f->pos - 2; fd < fd_count(p->files); fd++, f->pos++) {
			if (!fd_peek(p->files, fd))
				continue;
			ksnprintf(name, sizeof(name), "%u", fd);
			if (emit(ctx, name, node_ino(&proc_fd_entry, d->pid, (int)fd), DT_LNK,
				 f->pos + 1))
				return 0;
		}
	}
	return 0;
}

static int
procfs_readlink(struct inode *inode, char *buf, size_t size)
{
	const struct pnode *n = inode->data;
	struct proc *p = node_proc(n);

	if (!n->e->link || (n->pid && !p))
		return -ENOENT;
	return n->e->link(p, n->fd, buf, size);
}

static void
procfs_evict(struct inode *inode)
{
	kfree(inode->data);
}

static const struct inode_ops procfs_iops = {
	.lookup = procfs_lookup, .readlink = procfs_readlink, .evict = procfs_evict,
	.readdir = procfs_readdir,
};

/* seq: text that grows until it does not fit, then is made again in a buffer twice the size. */
void
seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;

	if (s->len > s->size)
		return;
	va_start(ap, fmt);
	int n = kvsnprintf(s->buf + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	s->len = n < 0 || (size_t)n >= s->size - s->len ? s->size + 1 : s->len + (size_t)n;
}

void
seq_write(struct seq *s, const void *data, size_t n)
{
	if (s->len > s->size || n > s->size - s->len) {
		s->len = s->size + 1;
		return;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
}

void
seq_escape(struct seq *s, const char *str, const char *esc)
{
	for (; *str; str++) {
		if (strchr(esc, *str))
			seq_printf(s, "\\%03o", (unsigned char)*str);
		else
			seq_write(s, str, 1);
	}
}

static int
procfs_open(struct inode *inode, struct file *f)
{
	const struct pnode *n = inode->data;
	struct proc *p = node_proc(n);
	struct seq *s = kzalloc(sizeof(*s));

	if ((f->flags & O_ACCMODE) != O_RDONLY) {
		kfree(s);
		return -EACCES;		/* nothing here can be written */
	}
	if (!s)
		return -ENOMEM;
	if (n->pid && !p) {
		kfree(s);
		return -ESRCH;
	}
	for (s->size = 4096;; s->size *= 2) {
		if (s->size > SEQ_MAX || !(s->buf = kmalloc(s->size + 1))) {
			kfree(s);
			return -ENOMEM;
		}
		s->len = 0;
		n->e->show(s, p);
		if (s->len <= s->size)
			break;
		kfree(s->buf);
	}
	f->priv = s;
	return 0;
}

static int64_t
procfs_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct seq *s = f->priv;

	if (*pos >= s->len)
		return 0;
	if (n > s->len - *pos)
		n = s->len - *pos;
	if (iobuf_write(buf, 0, s->buf + *pos, n) < 0)
		return -EFAULT;
	*pos += n;
	return (int64_t)n;
}

static void
procfs_release(struct file *f)
{
	struct seq *s = f->priv;

	if (s)
		kfree(s->buf);
	kfree(s);
}

static const struct file_ops procfs_file_ops = {
	.open = procfs_open, .read = procfs_read, .release = procfs_release, .seekable = true,
};
static const struct file_ops procfs_dir_ops = { .seekable = true };

static int
procfs_fill_super(struct super_block *sb, const char *options)
{
	struct inode *root;
	struct dentry *d;
	int r;

	sb->magic = PROC_SUPER_MAGIC;
	if ((r = make_inode(sb, &root_entry, 0, -1, &root)) < 0)
		return r;
	if (!(d = dentry_alloc(NULL, "/", 1))) {
		inode_put(root);
		return -ENOMEM;
	}
	d->sb = sb;
	d->inode = root;
	d->pinned = true;
	sb->root = d;
	return 0;
}

static struct fs_type procfs_type = { .name = "proc", .fill_super = procfs_fill_super };

static void
procfs_init(void)
{
	vfs_register_fs(&procfs_type);
}
INITCALL(INIT_FS, procfs_init);
