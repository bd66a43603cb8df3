/*
 * Inodes, buffers that may be user memory, file system types. An inode
 * lives while anything holds a reference; when the last one goes and no
 * directory names it any more, its file system frees the data (evict).
 */
#include <clock.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <proc.h>
#include <usercopy.h>
#include <timer.h>
#include <vfs.h>
#include "fs_internal.h"

static struct fs_type *fs_types;

void
vfs_register_fs(struct fs_type *type)
{
	struct fs_type **at = &fs_types;	/* in registration order (/proc/filesystems) */

	while (*at)
		at = &(*at)->next;
	*at = type;
}

const struct fs_type *
vfs_fs_types(void)
{
	return fs_types;
}

struct fs_type *
vfs_find_fs(const char *name)
{
	struct fs_type *t = fs_types;

	while (t && strcmp(t->name, name))
		t = t->next;
	return t;
}

int
iobuf_write(struct iobuf b, size_t off, const void *src, size_t n)
{
	if (b.kernel) {
		memcpy((char *)b.addr + off, src, n);
		return 0;
	}
	return copy_to_user(b.addr + off, src, n);
}

int
iobuf_read(void *dst, struct iobuf b, size_t off, size_t n)
{
	if (b.kernel) {
		memcpy(dst, (const char *)b.addr + off, n);
		return 0;
	}
	return copy_from_user(dst, b.addr + off, n);
}

struct timespec_abi
vfs_now(void)
{
	/*
	 * Coarse, as Linux's file times: the time of the last timer tick,
	 * worked out once per tick (reads and writes ask for it each time).
	 */
	static uint64_t tick = UINT64_MAX;
	static struct timespec_abi now;
	uint64_t t = timer_ticks();

	if (t != tick || !t) {
		uint64_t ns = clock_realtime_ns();

		now = (struct timespec_abi){ (int64_t)(ns / NSEC_PER_SEC),
					     (int64_t)(ns % NSEC_PER_SEC) };
		tick = t;
	}
	return now;
}

struct inode *
inode_alloc(struct super_block *sb, uint32_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	struct proc *p = proc_current();
	inode->ino = ++sb->next_ino;
	inode->mode = mode;
	inode->uid = p->cred.euid;
	inode->gid = p->cred.egid;
	inode->sb = sb;
	inode->refs = 1;
	inode->atime = inode->mtime = inode->ctime = vfs_now();
	return inode;
}

void
inode_get(struct inode *inode)
{
	inode->refs++;
}

void
inode_put(struct inode *inode)
{
	if (!inode || --inode->refs)
		return;
	/* Still linked somewhere only if a dentry held it: it did not. */
	if (inode->iops && inode->iops->evict)
		inode->iops->evict(inode);
	kfree(inode);
}

void
inode_touch(struct inode *inode, bool modify)
{
	struct timespec_abi now = vfs_now();

	inode->ctime = now;
	if (modify)
		inode->mtime = now;
}

bool
vfs_is_dir(const struct inode *inode)
{
	return S_ISDIR(inode->mode);
}

int
inode_permission(struct inode *inode, int mask)
{
	const struct cred *c = &proc_current()->cred;
	uint32_t mode = inode->mode;

	if (c->euid == 0) {
		/* Root reads and writes anything, and runs what anyone may run. */
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	uint32_t bits = c->euid == inode->uid ? mode >> 6 : c->egid == inode->gid ? mode >> 3 :
			mode;
	return (bits & (uint32_t)mask) == (uint32_t)mask ? 0 : -EACCES;
}
