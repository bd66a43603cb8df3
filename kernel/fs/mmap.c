/*
 * mmap with files (lab 5 replaces lab 4's anonymous-only mmap): a region
 * whose pages are the file's own frames, shared or copy-on-write. Shared
 * anonymous memory is a file too: an unnamed tmpfs file no directory
 * lists, so that a fork's children map the same pages.
 */
#include <kerrno.h>
#include <layout.h>
#include <ksyscall.h>
#include <proc.h>
#include <uvm.h>
#include <vfs.h>
#include "fs_internal.h"

static int
file_get_page(void *file, uint64_t index, bool alloc, uint64_t *pa)
{
	struct inode *inode = ((struct file *)file)->inode;

	return inode->iops->get_page(inode, index, alloc, pa);
}

/* The regions mapping a file hang off its inode, so that truncate can reach them. */
static void
file_hold(void *file, struct vma *v)
{
	struct inode *inode = ((struct file *)file)->inode;

	file_get(file);
	v->file_prev = NULL;
	v->file_next = inode->mappings;
	if (inode->mappings)
		inode->mappings->file_prev = v;
	inode->mappings = v;
}

static void
file_release(void *file, struct vma *v)
{
	struct inode *inode = ((struct file *)file)->inode;

	if (v->file_prev)
		v->file_prev->file_next = v->file_next;
	else
		inode->mappings = v->file_next;
	if (v->file_next)
		v->file_next->file_prev = v->file_prev;
	file_put(file);
}

void
file_unmap_from(struct inode *inode, uint64_t first_index)
{
	for (struct vma *v = inode->mappings; v; v = v->file_next)
		uvm_zap_file_pages(v, first_index);
}

const struct vma_file_ops vma_file_ops = {
	.get_page = file_get_page, .hold = file_hold, .release = file_release,
};

/* Whether f's pages can be mapped, and with what access (-EACCES, -ENODEV). */
static int
mappable(struct file *f, int prot, int flags)
{
	unsigned acc = f->flags & O_ACCMODE;

	if (!S_ISREG(f->inode->mode) || !f->inode->iops || !f->inode->iops->get_page)
		return -ENODEV;
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	return 0;
}

/* Anonymous memory; shared, it is an unnamed file of the mapping's size. */
static int64_t
mmap_anon(struct uvm *vm, uint64_t addr, uint64_t len, int prot, int flags)
{
	struct file *f;
	int64_t r;

	if ((flags & MAP_TYPE) == MAP_PRIVATE)
		return uvm_mmap(vm, addr, len, prot, flags, NULL);
	if (!len || PGROUNDUP(len) == 0)
		return len ? -ENOMEM : -EINVAL;
	if ((r = shmem_file(PGROUNDUP(len), &f)) < 0)
		return r;
	struct mmap_file mf = { f, &vma_file_ops, 0, true };
	r = uvm_mmap(vm, addr, len, prot, flags, &mf);
	file_put(f);
	return r;
}

SYSCALL(mmap, 5)
{
	int prot = (int)a2, flags = (int)a3, type = flags & MAP_TYPE;
	struct uvm *vm = proc_current()->vm;
	struct file *f;
	int64_t r;

	if (a5 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		return mmap_anon(vm, a0, a1, prot, flags);
	if (!(f = fd_get((int)a4))) {
		return -EBADF;
	} else if (f->ops && f->ops->map_anon) {
		file_put(f);		/* /dev/zero: anonymous memory */
		return mmap_anon(vm, a0, a1, prot, flags);
	} else if ((r = mappable(f, prot, flags)) < 0) {
		file_put(f);
		return r;
	}
	struct mmap_file mf = { f, &vma_file_ops, a5 / PAGE_SIZE,
				(f->flags & O_ACCMODE) == O_RDWR };
	r = uvm_mmap(vm, a0, a1, prot, flags, &mf);
	file_put(f);			/* the region holds its own reference */
	return r;
}
