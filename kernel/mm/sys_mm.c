/* The memory system calls: brk, mmap, munmap, mprotect. */
#include <abi.h>
#include <errno.h>
#include <proc.h>
#include <syscall.h>
#include <uvm.h>

SYSCALL(brk)
{
	return (int64_t)uvm_brk(proc_current()->vm, a0);
}

SYSCALL(mmap)
{
	int prot = (int)a2, flags = (int)a3;

	if (!(flags & MAP_ANONYMOUS))
		return (int)a4 < 0 ? -EBADF : -ENODEV;	/* no files until lab 5 */
	if ((flags & 3) != MAP_PRIVATE)
		return -EINVAL;		/* shared memory comes in lab 6 */
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	return uvm_mmap(proc_current()->vm, a0, a1, prot, flags);
}

SYSCALL(munmap)
{
	return uvm_munmap(proc_current()->vm, a0, a1);
}

SYSCALL(mprotect)
{
	if ((int)a2 & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	return uvm_mprotect(proc_current()->vm, a0, a1, (int)a2);
}

SYSCALL(mremap)
{
	return -ENOMEM;		/* musl's realloc then copies */
}

SYSCALL(madvise)
{
	return 0;		/* advice only */
}
