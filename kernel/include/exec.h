/* Loading programs: execve, and the first process. */
#ifndef NEXA_EXEC_H
#define NEXA_EXEC_H

#include <proc.h>

/*
 * Replaces p's program with the ELF file at path, with argc arguments
 * and envc environment strings (kernel memory). On success p's old
 * address space is gone and p->tf enters the new program; on failure
 * (-ENOENT, -EACCES, -ENOEXEC, -ENOMEM, -E2BIG) p is unchanged.
 */
int exec_into(struct proc *p, const char *path, char *const argv[], int argc,
	      char *const envp[], int envc);

#endif
