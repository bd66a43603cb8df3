/*
 * Loading programs: execve, and the first process. A program is a file
 * read through an exec_file (lab 4 finds it in the initramfs, lab 5 in
 * the file tree); a binary format (ELF in lab 4, #! scripts in lab 5)
 * recognises it by its first bytes and loads it.
 */
#ifndef NEXA_EXEC_H
#define NEXA_EXEC_H

#include <stdint.h>
#include <proc.h>

struct uvm;

/* Where execve's argument or environment strings come from. */
struct exec_strings {
	uint64_t user;		/* a NULL-terminated user array of user strings (0: none) */
	char *const *kernel;	/* or count kernel strings (init's) */
	int count;
	char *const *extra;	/* strings that go first (a #! script's interpreter line) */
	int nextra, skip;	/* ... and how many of the others are left out at the start */
	int total;		/* what the program gets, once exec has counted */
};

struct exec_args {
	struct exec_strings argv, envp;
};

/* A program file, open for exec. */
struct exec_file {
	uint64_t size;
	uint32_t mode;
	uint32_t uid, gid;	/* the file's owner: its set-user-ID and set-group-ID bits give these */
	bool nosuid;		/* on a file system mounted nosuid: the bits say nothing */
	/* Copies n bytes at off into buf (kernel memory): 0 or -errno. */
	int (*read)(struct exec_file *f, uint64_t off, void *buf, uint64_t n);
	/* Maps [off, off + len) of the file privately at va (NULL: exec copies it). */
	int (*map)(struct exec_file *f, struct uvm *vm, uint64_t va, uint64_t len, uint64_t off,
		   unsigned prot);
	/* The point of no return: p runs this file from now on (may be NULL). */
	void (*commit)(struct exec_file *f, struct proc *p);
	void (*close)(struct exec_file *f);
	void *priv;
};

/* Finds programs by path; the source of the highest lab wins (exec_set_source). */
struct exec_source {
	int (*open)(const char *path, struct exec_file *f);
	unsigned lab;
};
void exec_set_source(const struct exec_source *source);

#define BINPRM_BUF_SIZE	256	/* the first bytes of a file, for recognising it */
#define BINPRM_MAX_DEPTH 5	/* scripts run by scripts (#!), as Linux: then ELOOP */

/* One execve in progress. */
struct exec_request {
	struct proc *p;
	const char *path;	/* the file to run now (an interpreter after #!) */
	const char *execfn;	/* what execve was given (AT_EXECFN) */
	struct exec_args *args;
	struct exec_file file;	/* open while a format looks at it */
	char head[BINPRM_BUF_SIZE];
	uint64_t head_len;
	int depth;
	struct cred cred;	/* what the program will run as (security_exec_creds) */
	bool secure;		/* AT_SECURE: it gained privileges, its libc distrusts the environment */
	bool refused;		/* a format said why it refused the file (debug=exec) */
};

/* A kind of program: load() runs req's file, or returns -ENOEXEC if not its kind. */
struct binfmt {
	const char *name;
	int (*load)(struct exec_request *req);
};

#define BINFMT(tag, fn)							\
	static const struct binfmt __binfmt_##tag			\
		__attribute__((used, section(".binfmts"), aligned(8))) = { #tag, fn }

/* Opens req->path and hands it to the formats in turn (the script format recurses). */
int exec_run(struct exec_request *req);

/*
 * Replaces p's program with the file at path. The strings are copied
 * straight into the new stack (no large buffer), within Linux's limits:
 * 128 KiB per string, a quarter of the stack for all of them with their
 * pointers (-E2BIG). On success p's old address space is gone and p->tf
 * enters the new program; on failure (-ENOENT, -EACCES, -ENOEXEC,
 * -ENOMEM, -E2BIG, -EFAULT, -ELOOP) p is unchanged.
 */
int exec_into(struct proc *p, const char *path, struct exec_args *args);

#endif
