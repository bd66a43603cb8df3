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
	inode->uid = p->cred.fsuid;
	inode->gid = p->cred.fsgid;
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
	return mode_permission(inode->mode, inode->uid, inode->gid, mask);
}

void
inode_init_owner(struct inode *dir, struct inode *inode)
{
	if (!(dir->mode & S_ISGID))
		return;
	inode->gid = dir->gid;		/* a set-group-ID directory hands its group on */
	if (S_ISDIR(inode->mode))
		inode->mode |= S_ISGID;
}

uint32_t
inode_sgid_to_drop(const struct inode *inode)
{
	if (!(inode->mode & S_ISGID))
		return 0;
	if (inode->mode & S_IXGRP)
		return S_ISGID;
	return in_group_p(inode->gid) || capable(CAP_FSETID) ? 0 : S_ISGID;
}

void
inode_remove_privs(struct inode *inode)
{
	uint32_t kill = (inode->mode & S_ISUID) | inode_sgid_to_drop(inode);

	if (kill && S_ISREG(inode->mode) && !capable(CAP_FSETID)) {
		inode->mode &= ~kill;
		inode_touch(inode, false);
	}
}
