/*
 * tmpfs: files that live in memory only. The name cache is the directory
 * tree (its dentries are pinned); a regular file's data sits in whole
 * page frames found through a radix tree by page index, so a file may be
 * sparse (a missing page reads as zeros) and mmap can map the very frames
 * that read() and write() use. Each frame carries one reference for the
 * file and one per mapping (pmm_ref), so truncating a mapped file does
 * not free a page under a process. rootfs, the root of everything, is a
 * tmpfs too.
 */
#include <kerrno.h>
#include <ksched.h>
#include <proc.h>
#include <kmalloc.h>
#include <kstring.h>
#include <layout.h>
#include <pmm.h>
#include <radix.h>
#include <vfs.h>
#include "fs_internal.h"

#define TMPFS_MAGIC	0x01021994
#define MAX_FILE_SIZE	((uint64_t)INT64_MAX)

struct tmpfs_inode {
	struct radix_tree pages;	/* regular files: page index -> frame */
	char *target;			/* symbolic links */
};

static const struct inode_ops tmpfs_iops;
static const struct file_ops tmpfs_file_ops, tmpfs_dir_ops;

static struct tmpfs_inode *
data(struct inode *inode)
{
	return inode->data;
}

static int
tmpfs_create(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct inode *inode = inode_alloc(dir->sb, mode);

	if (!inode)
		return -ENOSPC;
	if (!(inode->data = kzalloc(sizeof(struct tmpfs_inode)))) {
		inode_put(inode);
		return -ENOSPC;
	}
	inode->rdev = rdev;
	inode->iops = &tmpfs_iops;
	inode->fops = S_ISDIR(mode) ? &tmpfs_dir_ops : &tmpfs_file_ops;
	*out = inode;
	return 0;
}

static int
tmpfs_set_link(struct inode *inode, const char *target)
{
	size_t len = strlen(target);

	if (!(data(inode)->target = kmalloc(len + 1)))
		return -ENOSPC;
	memcpy(data(inode)->target, target, len + 1);
	inode->size = len;
	return 0;
}

static int
tmpfs_readlink(struct inode *inode, char *buf, size_t size)
{
	size_t len = inode->size < size ? inode->size : size;

	memcpy(buf, data(inode)->target, len);
	return (int)len;
}

static uint64_t pages_in_use;	/* by the files of every tmpfs */

uint64_t
tmpfs_pages(void)
{
	return pages_in_use;
}

/* Drops the pages from index first on. */
static void
drop_pages(struct inode *inode, uint64_t first)
{
	struct radix_tree *t = &data(inode)->pages;
	uint64_t pa, at = first;

	while ((pa = radix_next(t, &at))) {
		radix_delete(t, at);
		pmm_unref(pa);
		inode->blocks -= PAGE_SIZE / 512;
		pages_in_use--;
		if (at++ == UINT64_MAX)
			break;
	}
}

static int
tmpfs_truncate(struct inode *inode, uint64_t size)
{
	uint64_t keep = PGROUNDUP(size) / PAGE_SIZE;

	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		drop_pages(inode, keep);
		/* The rest of the last page reads as zeros if the file grows again. */
		uint64_t pa = size % PAGE_SIZE ? radix_get(&data(inode)->pages, size / PAGE_SIZE) : 0;
		if (pa)
			memset((char *)phys_to_virt(pa) + size % PAGE_SIZE, 0,
			       PAGE_SIZE - size % PAGE_SIZE);
	}
	inode->size = size;
	return 0;
}

/* The frame of page index, allocated (zeroed) if alloc and missing; 0 if none. */
static uint64_t
page_of(struct inode *inode, uint64_t index, bool alloc)
{
	uint64_t pa = radix_get(&data(inode)->pages, index);

	if (pa || !alloc)
		return pa;
	if (!(pa = pmm_alloc_frame()))
		return 0;
	pmm_ref(pa);
	if (radix_set(&data(inode)->pages, index, pa) < 0) {
		pmm_unref(pa);
		return 0;
	}
	inode->blocks += PAGE_SIZE / 512;
	pages_in_use++;
	return pa;
}

static int
tmpfs_get_page(struct inode *inode, uint64_t index, bool alloc, uint64_t *pa)
{
	if (index >= PGROUNDUP(inode->size) / PAGE_SIZE)
		return -EIO;		/* beyond the end: SIGBUS */
	*pa = page_of(inode, index, alloc);
	if (!*pa)
		return alloc ? -ENOMEM : -ENOENT;
	pmm_ref(*pa);
	return 0;
}

static void
tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *d = data(inode);

	if (!d)
		return;
	drop_pages(inode, 0);
	kfree(d->target);
	kfree(d);
}

#if SOL >= 5
static int64_t
tmpfs_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct inode *inode = f->inode;
	uint64_t done = 0;

	if (*pos >= inode->size)
		return 0;
	if (n > inode->size - *pos)
		n = inode->size - *pos;
	while (done < n) {
		uint64_t at = *pos + done, off = at % PAGE_SIZE;
		uint64_t k = PAGE_SIZE - off < n - done ? PAGE_SIZE - off : n - done;
		uint64_t pa = page_of(inode, at / PAGE_SIZE, false);
		int r;

		if (pa) {
			pmm_ref(pa);	/* the copy may sleep: keep the page */
			r = iobuf_write(buf, done, (char *)phys_to_virt(pa) + off, k);
			pmm_unref(pa);
		} else {
			static const char zeros[256];	/* a hole */
			r = 0;
			for (uint64_t z = 0; z < k && r == 0; z += sizeof(zeros))
				r = iobuf_write(buf, done + z, zeros,
						k - z < sizeof(zeros) ? k - z : sizeof(zeros));
		}
		if (r < 0)
			return done ? (int64_t)done : r;
		done += k;
		if (done < n && proc_fatal_pending())
			break;
		sched_cond_resched();
	}
	*pos += done;
	inode->atime = vfs_now();
	return (int64_t)done;
}

static int64_t
tmpfs_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct inode *inode = f->inode;
	uint64_t done = 0;

	if (*pos > MAX_FILE_SIZE || n > MAX_FILE_SIZE - *pos)
		return -EFBIG;
	while (done < n) {
		uint64_t at = *pos + done, off = at % PAGE_SIZE;
		uint64_t k = PAGE_SIZE - off < n - done ? PAGE_SIZE - off : n - done;
		uint64_t pa = page_of(inode, at / PAGE_SIZE, true);
		int r;

		if (!pa) {
			r = -ENOSPC;
		} else {
			pmm_ref(pa);
			r = iobuf_read((char *)phys_to_virt(pa) + off, buf, done, k);
			pmm_unref(pa);
		}
		if (r < 0) {
			if (!done)
				return r;
			break;
		}
		done += k;
		if (*pos + done > inode->size)
			inode->size = *pos + done;
		if (done < n && proc_fatal_pending())
			break;
		sched_cond_resched();
	}
	*pos += done;
	inode_touch(inode, true);
	return (int64_t)done;
}
#else
static int64_t
tmpfs_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	/* LAB 5: your code here. Copy up to n bytes from *pos, never past
	 * the end of the file, to buf, a page at a time: page_of(inode,
	 * index, false) is the frame of a page, 0 for a hole, which reads
	 * as zeros. Keep a reference (pmm_ref) across iobuf_write, which may
	 * sleep. Between pages, stop for a fatal signal and let others run
	 * (sched_cond_resched). Advance *pos, set atime, and return the
	 * bytes copied: 0 at the end, -EFAULT if none could be. */
	(void)f, (void)buf, (void)n, (void)pos;
	return -ENOSYS;
}

static int64_t
tmpfs_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	/* LAB 5: your code here. Copy n bytes from buf to the file at *pos
	 * (-EFBIG past MAX_FILE_SIZE), a page at a time: page_of(inode,
	 * index, true) allocates a missing page (0: -ENOSPC). Grow the size
	 * as you go, stop between pages for a fatal signal, advance *pos,
	 * touch the times (inode_touch) and return the bytes copied (an
	 * error only if none were). */
	(void)f, (void)buf, (void)n, (void)pos, (void)page_of;
	return -ENOSYS;
}
#endif

static const struct inode_ops tmpfs_iops = {
	.create = tmpfs_create,
	.set_link = tmpfs_set_link,
	.readlink = tmpfs_readlink,
	.truncate = tmpfs_truncate,
	.get_page = tmpfs_get_page,
	.evict = tmpfs_evict,
};

static const struct file_ops tmpfs_file_ops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.seekable = true,
};

static const struct file_ops tmpfs_dir_ops = {
	.seekable = true,
};

static int
parse_mode(const char *options, uint32_t *mode)
{
	const char *m = options;

	while (m && *m) {
		if (!strncmp(m, "mode=", 5)) {
			uint32_t v = 0;

			for (m += 5; *m >= '0' && *m <= '7'; m++)
				v = v * 8 + (uint32_t)(*m - '0');
			*mode = v & S_IALLUGO;
		}
		m = strchr(m, ',');
		if (m)
			m++;
	}
	return 0;
}

int
tmpfs_fill_super(struct super_block *sb, const char *options)
{
	uint32_t mode = 01777;	/* as Linux's tmpfs: everyone may create, the sticky bit */
	struct inode *root;
	struct dentry *d;
	int r;

	parse_mode(options, &mode);
	sb->magic = TMPFS_MAGIC;
	struct inode fake = { .sb = sb };
	if ((r = tmpfs_create(&fake, S_IFDIR | mode, 0, &root)) < 0)
		return r;
	root->nlink = 2;
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

/* Unlinks every name below top, deepest first, without recursion. */
static void
unlink_tree(struct dentry *top)
{
	struct dentry *d = top;

	for (;;) {
		struct dentry *child = dentry_child_from(d, 0);

		if (child) {
			d = child;
			continue;
		}
		if (d == top)
			return;
		struct dentry *parent = d->parent;
		dentry_unlink(d);	/* the child's reference keeps parent */
		d = parent;
	}
}

void
tmpfs_kill_super(struct super_block *sb)
{
	unlink_tree(sb->root);
}

static struct fs_type tmpfs_type = {
	.name = "tmpfs", .fill_super = tmpfs_fill_super, .kill_super = tmpfs_kill_super,
};

void
tmpfs_register(void)
{
	vfs_register_fs(&tmpfs_type);
}

/* The unnamed files of shared anonymous memory live in a tmpfs nobody mounts. */
static struct super_block *shm_sb;

int
shmem_file(uint64_t size, struct file **out)
{
	struct inode *inode;
	int r;

	if (!shm_sb) {
		struct super_block *sb = kzalloc(sizeof(*sb));

		if (!sb)
			return -ENOMEM;
		sb->type = &tmpfs_type;
		sb->magic = TMPFS_MAGIC;
		shm_sb = sb;
	}
	struct inode dir = { .sb = shm_sb };
	if ((r = tmpfs_create(&dir, S_IFREG | 0600, 0, &inode)) < 0)
		return r;
	inode->size = size;
	*out = file_alloc(NULL, inode, O_RDWR);
	inode_put(inode);
	return *out ? 0 : -ENFILE;
}
