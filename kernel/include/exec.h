/* Loading programs: execve, and the first process. */
#ifndef NEXA_EXEC_H
#define NEXA_EXEC_H

#include <stdint.h>
#include <proc.h>

/* Where execve's argument or environment strings come from. */
struct exec_strings {
	uint64_t user;		/* a NULL-terminated user array of user strings (0: none) */
	char *const *kernel;	/* or count kernel strings (init's) */
	int count;		/* exec counts a user array itself */
};

struct exec_args {
	struct exec_strings argv, envp;
};

/*
 * Replaces p's program with the ELF file at path. The strings are copied
 * straight into the new stack (no large buffer), within Linux's limits:
 * 128 KiB per string, a quarter of the stack for all of them with their
 * pointers (-E2BIG). On success p's old address space is gone and p->tf
 * enters the new program; on failure (-ENOENT, -EACCES, -ENOEXEC,
 * -ENOMEM, -E2BIG, -EFAULT) p is unchanged.
 */
int exec_into(struct proc *p, const char *path, struct exec_args *args);

#endif
