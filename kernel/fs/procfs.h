/*
 * procfs's pieces: the file system (procfs.c) and the files it shows,
 * about the machine (proc_info.c) and about each process (proc_pid.c).
 */
#ifndef NEXA_PROCFS_H
#define NEXA_PROCFS_H

#include <vfs.h>

struct proc;

/* A file, link or directory of procfs; a directory's fixed entries end with a NULL name. */
struct proc_entry {
	const char *name;
	uint32_t mode;
	/* A file's text, made when it is opened (p: the process, NULL at the top level). */
	void (*show)(struct seq *s, struct proc *p);
	/* A link's target: its length, or -errno. fd is the descriptor of /proc/PID/fd/N. */
	int (*link)(struct proc *p, int fd, char *buf, size_t size);
	const struct proc_entry *children;
	unsigned kind;			/* PROC_DIR_PIDS, ... for directories made on the fly */
};

#define PROC_DIR_FIXED	0	/* only its fixed entries */
#define PROC_DIR_ROOT	1	/* the fixed entries and a directory per process */
#define PROC_DIR_FDS	2	/* a link per open descriptor */

extern const struct proc_entry proc_root_entries[];	/* proc_info.c */
extern const struct proc_entry proc_pid_entries[];	/* proc_pid.c */
extern const struct proc_entry proc_fd_entry;		/* proc_pid.c */

/* What an open file descriptor names, as /proc/PID/fd/N's link says: its length. */
int proc_file_name(struct file *f, char *buf, size_t size);

#endif
