/* mount and umount2: tmpfs, proc and devtmpfs, on any directory. */
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksyscall.h>
#include <layout.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

#define FSTYPE_MAX	32
#define UMOUNT_NOFOLLOW	8

/* mount's data: up to a page, not necessarily NUL-terminated (as Linux copies it). */
static int
copy_options(uint64_t udata, char *buf)
{
	buf[0] = '\0';
	if (!udata)
		return 0;
	long n = copy_string_from_user(buf, udata, PAGE_SIZE);
	if (n == -ENAMETOOLONG)
		buf[PAGE_SIZE - 1] = '\0';
	return n == -EFAULT ? -EFAULT : 0;
}

SYSCALL(mount, 5)
{
	char type[FSTYPE_MAX], source[32] = "none", *target = NULL, *opts = NULL;
	unsigned flags = (unsigned)a3;
	struct path at;
	long n = 0;
	int r;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & (MS_BIND | MS_MOVE))
		return -EINVAL;		/* bind mounts and moves: not supported */
	if ((r = getname(a1, &target)) < 0)
		return r;
	if (!(flags & MS_REMOUNT)) {
		if (!a2 || (n = copy_string_from_user(type, a2, sizeof(type))) < 0) {
			r = a2 && n == -EFAULT ? -EFAULT : -ENODEV;
			goto out;
		}
		if (a0 && copy_string_from_user(source, a0, sizeof(source)) == -EFAULT) {
			r = -EFAULT;
			goto out;
		}
	}
	if (!(opts = kmalloc(PAGE_SIZE))) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = copy_options(a4, opts)) < 0)
		goto out;
	if ((r = vfs_walk(NULL, target, WALK_FOLLOW, &at, NULL)) < 0)
		goto out;
	if (flags & MS_REMOUNT) {
		/* Only the flags change: at must be a mount's root. */
		if (at.dentry != at.mnt->root)
			r = -EINVAL;
		else
			at.mnt->flags = flags & MS_RDONLY;
	} else {
		r = vfs_mount(type, source, &at, flags & MS_RDONLY, opts);
	}
	path_put(&at);
out:
	kfree(opts);
	kfree(target);
	return r;
}

SYSCALL(umount2, 5)
{
	struct path at;
	char *target;
	int r;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((r = getname(a0, &target)) < 0)
		return r;
	r = vfs_walk(NULL, target, a1 & UMOUNT_NOFOLLOW ? 0 : WALK_FOLLOW, &at, NULL);
	kfree(target);
	if (r < 0)
		return r;
	r = vfs_umount(&at, (int)a1);
	path_put(&at);
	return r;
}
