/* Descriptors themselves: dup, dup2, dup3, fcntl, ioctl, flock. */
#include <kerrno.h>
#include <ksyscall.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)
#define F_SETPIPE_SZ	1031
#define F_GETSIG	11
#define F_SETSIG	10
#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034
#define F_UNLCK		2

SYSCALL(dup, 5)
{
	struct file *f = fd_get_raw((int)a0);

	if (!f)
		return -EBADF;
	int r = fd_install(f, 0, false);
	if (r < 0)
		file_put(f);
	return r;
}

SYSCALL(dup2, 5)
{
	if (a0 == a1) {
		struct file *f = fd_get_raw((int)a0);

		if (!f)
			return -EBADF;
		file_put(f);
		return (int)a1;
	}
	return fd_dup_to((int)a0, (int)a1, false);
}

SYSCALL(dup3, 5)
{
	if (a2 & ~(uint64_t)O_CLOEXEC || a0 == a1)
		return -EINVAL;
	return fd_dup_to((int)a0, (int)a1, a2 & O_CLOEXEC);
}

/* struct flock's first field: a lock that does not exist is F_UNLCK. */
static int64_t
no_locks(unsigned cmd, uint64_t ulock)
{
	int16_t type;

	if (copy_from_user(&type, ulock, sizeof(type)) < 0)
		return -EFAULT;
	if (cmd != F_GETLK)
		return 0;		/* every lock is granted: one process at a time */
	type = F_UNLCK;
	return copy_to_user(ulock, &type, sizeof(type));
}

SYSCALL(fcntl, 5)
{
	int fd = (int)a0;
	unsigned cmd = (unsigned)a1;
	struct file *f = fd_get_raw(fd);
	int64_t r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (a2 >= proc_current()->rlim[RLIMIT_NOFILE].rlim_cur) {
			r = -EINVAL;
			break;
		}
		file_get(f);
		if ((r = fd_install(f, (unsigned)a2, cmd == F_DUPFD_CLOEXEC)) < 0)
			file_put(f);
		break;
	case F_GETFD:
		r = fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(fd, a2 & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | ((unsigned)a2 & SETFL_MASK);
		r = 0;
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		r = no_locks(cmd, a2);
		break;
	case F_GETOWN:
	case F_SETOWN:
	case F_GETSIG:
	case F_SETSIG:
		r = 0;
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = S_ISFIFO(f->inode->mode) ? 65536 : -EBADF;
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = -EINVAL;
		break;
	default:
		r = -EINVAL;
	}
	file_put(f);
	return r;
}

SYSCALL(ioctl, 5)
{
	int fd = (int)a0;
	unsigned cmd = (unsigned)a1;
	struct file *f = fd_get(fd);
	int64_t r;

	if (!f)
		return -EBADF;
	if (cmd == FIOCLEX || cmd == FIONCLEX) {
		r = fd_set_cloexec(fd, cmd == FIOCLEX);
	} else if (cmd == FIONBIO) {
		int on;

		r = copy_from_user(&on, a2, sizeof(on));
		if (r == 0)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
	} else if (f->ops && f->ops->ioctl) {
		r = f->ops->ioctl(f, cmd, a2);
	} else {
		r = -ENOTTY;
	}
	file_put(f);
	return r;
}

/* Advisory whole-file locks: every lock is granted (one process runs at a time). */
SYSCALL(flock, 5)
{
	struct file *f = fd_get((int)a0);

	if (!f)
		return -EBADF;
	file_put(f);
	return (a1 & ~(1UL | 2 | 4 | 8)) ? -EINVAL : 0;
}
