/* The memory system calls: brk, mmap, munmap, mprotect, madvise. */
#include <abi.h>
#include <kerrno.h>
#include <layout.h>
#include <proc.h>
#include <ksyscall.h>
#include <uvm.h>

#define PROT_SEM	0x8	/* accepted and meaningless on x86, as on Linux */
#define MADV_DONTNEED	4
#define MADV_FREE	8

SYSCALL(brk, 4)
{
	return (int64_t)uvm_brk(proc_current()->vm, a0);
}

SYSCALL(mmap, 4)
{
	int prot = (int)a2, flags = (int)a3, fd = (int)a4;

	if (a5 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd >= 0 && fd <= 2 ? -ENODEV : -EBADF;	/* only the console until lab 5 */
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		return -EINVAL;		/* shared memory comes with lab 6 */
	return uvm_mmap(proc_current()->vm, a0, a1, prot, flags, NULL);
}

SYSCALL(munmap, 4)
{
	return uvm_munmap(proc_current()->vm, a0, a1);
}

SYSCALL(mprotect, 4)
{
	if ((int)a2 & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	return uvm_mprotect(proc_current()->vm, a0, a1, (int)a2);
}

SYSCALL(mremap, 4)
{
	return -ENOMEM;		/* musl's realloc then copies */
}

SYSCALL(madvise, 4)
{
	int advice = (int)a2;

	if (advice < 0 || (advice > 4 && advice != MADV_FREE && advice < 9) || advice > 23)
		return -EINVAL;
	return uvm_madvise(proc_current()->vm, a0, a1,
			   advice == MADV_DONTNEED || advice == MADV_FREE);
}

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

/*
 * msync: every page is the file's own frame or a private copy, so there
 * is nothing to write back; what is checked is what Linux checks.
 */
SYSCALL(msync, 4)
{
	struct uvm *vm = proc_current()->vm;
	uint64_t addr = a0, end = a0 + PGROUNDUP(a1);
	int flags = (int)a2;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (end < addr)
		return -ENOMEM;		/* a length that rounds up to 0 is 0, as on Linux */
	for (uint64_t at = addr; at < end;) {
		struct vma *v = uvm_find(vm, at);

		if (!v)
			return -ENOMEM;		/* a hole in the range */
		at = v->end;
	}
	return 0;
}
