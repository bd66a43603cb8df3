/*
 * Programs from the file tree (lab 5): execve's path is walked like any
 * other, the file must be a regular file with an execute bit the caller
 * may use, on a file system mounted without noexec, and nobody may have
 * it open for writing. Its segments are mapped from the file's own pages,
 * copy-on-write, instead of being copied as lab 4 does.
 */
#include <exec.h>
#include <kerrno.h>
#include <uvm.h>
#include <vfs.h>
#include "fs_internal.h"

extern const struct vma_file_ops vma_file_ops;

static int
vfs_exec_read(struct exec_file *ef, uint64_t off, void *buf, uint64_t n)
{
	struct file *f = ef->priv;
	uint64_t pos = off;
	int64_t got = vfs_read(f, KBUF(buf), n, &pos);

	if (got < 0)
		return (int)got;
	return (uint64_t)got == n ? 0 : -EIO;
}

static int
vfs_exec_map(struct exec_file *ef, struct uvm *vm, uint64_t va, uint64_t len, uint64_t off,
	     unsigned prot)
{
	struct mmap_file mf = { ef->priv, &vma_file_ops, off / PAGE_SIZE, true };
	int64_t r = uvm_mmap(vm, va, len, (int)prot, MAP_PRIVATE | MAP_FIXED, &mf);

	return r < 0 ? (int)r : 0;
}

static void
vfs_exec_commit(struct exec_file *ef, struct proc *p)
{
	vfs_set_exe(p, ef->priv);
}

static void
vfs_exec_close(struct exec_file *ef)
{
	struct file *f = ef->priv;

	allow_write(f->inode);
	file_put(f);
}

static int
vfs_exec_open(const char *name, struct exec_file *ef)
{
	struct path p;
	int r = vfs_walk(NULL, name, WALK_FOLLOW, &p, NULL);

	if (r < 0)
		return r;
	struct inode *inode = p.dentry->inode;
	if (!S_ISREG(inode->mode) || (p.mnt->flags & MS_NOEXEC))
		r = -EACCES;
	else if ((r = inode_permission(inode, MAY_EXEC)) < 0)
		;
	else if (!inode->fops || !inode->fops->read)
		r = -EACCES;
	else if ((r = deny_write(inode)) == 0) {
		struct file *f = file_alloc(&p, inode, O_RDONLY);

		if (f) {
			*ef = (struct exec_file){
				.size = inode->size, .mode = inode->mode, .read = vfs_exec_read,
				.uid = inode->uid, .gid = inode->gid,
				.nosuid = p.mnt->flags & MS_NOSUID,
				.map = inode->iops && inode->iops->get_page ? vfs_exec_map : NULL,
				.commit = vfs_exec_commit, .close = vfs_exec_close, .priv = f,
			};
		} else {
			allow_write(inode);
			r = -ENFILE;
		}
	}
	path_put(&p);
	return r;
}

static const struct exec_source vfs_source = { vfs_exec_open, 5 };

void
exec_vfs_enable(void)
{
	exec_set_source(&vfs_source);
}
