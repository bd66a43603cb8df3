/* What the files of kernel/fs share among themselves, and nobody else. */
#ifndef NEXA_FS_INTERNAL_H
#define NEXA_FS_INTERNAL_H

#include <vfs.h>

/* Permission to use an inode (inode_permission's mask). */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

/* 0, or -EACCES unless the caller's credentials allow mask on inode. */
int inode_permission(struct inode *inode, int mask);
/* A new inode made in dir takes dir's group (and a directory its S_ISGID) if dir is set-group-ID. */
void inode_init_owner(struct inode *dir, struct inode *inode);
/*
 * S_ISGID if a change of the file by the caller drops it (Linux 6.2 on):
 * with group x set (set-group-ID), or else (mandatory locking's mark)
 * unless the caller is in the file's group or has CAP_FSETID.
 */
uint32_t inode_sgid_to_drop(const struct inode *inode);
/* A write or truncation by a caller without CAP_FSETID clears S_ISUID and inode_sgid_to_drop's bit. */
void inode_remove_privs(struct inode *inode);

/* The calling process's current directory, with a reference. */
struct path vfs_cwd(void);
struct fs_type *vfs_find_fs(const char *name);
const struct fs_type *vfs_fs_types(void);	/* every type, via ->next */
/* The root mount, made at boot (mount.c). */
int vfs_mount_root(const char *type, const char *options);

/* A name's parent directory and last component, for calls that create or remove. */
struct lookup_parent {
	struct path dir;
	struct walk_last last;
};
int walk_parent(int dirfd, const char *path, struct lookup_parent *lp);
/* Where a relative path of an *at call starts (dirfd's directory; none: the cwd), held. */
int walk_start(int dirfd, const char *path, unsigned flags, struct path *start);
/* Resolves path for an *at call from dirfd (AT_FDCWD: the current directory). */
int walk_at(int dirfd, const char *path, unsigned flags, struct path *out);
/*
 * Makes a new name at path (from dirfd): an inode of mode (type and
 * permissions, the umask already applied), rdev, and target for a link.
 */
int vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, const char *target);
/* Adds the name name to dir, which nothing can see yet (a file system being filled). */
int dir_add_node(struct dentry *dir, const char *name, uint32_t mode, uint32_t rdev,
		 const char *target);
/* Gives old's inode one more name, path: link(2). */
int vfs_link(const struct path *old, int dirfd, const char *path);
/* Removes the name path: unlink(2), or rmdir(2) with AT_REMOVEDIR. */
int vfs_unlink(int dirfd, const char *path, int flags);
/* Copies a user path into a new kernel buffer *out (kfree it). */
int getname(uint64_t upath, char **out);

/* Descriptor tables (file.c). */
int fd_install(struct file *f, unsigned min, bool cloexec);	/* the lowest free fd >= min */
struct file *fd_get(int fd);		/* with a reference, or NULL (also for O_PATH) */
struct file *fd_get_raw(int fd);	/* O_PATH descriptors too: dup, fcntl, fstat, dirfds */
int fd_close(int fd);
int fd_dup_to(int oldfd, int newfd, bool cloexec);
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);
struct fdtable;
unsigned fd_count(const struct fdtable *t);
struct file *fd_peek(const struct fdtable *t, unsigned fd);
unsigned files_open(void);

/* Lab 5 has taken over from lab 4 (rootfs.c): its calls, exec from files. */
bool vfs_active(void);
void exec_vfs_enable(void);

/* fs_context.c */
struct proc;
/* Makes exe p's program file (NULL: none), denying writes to it while it runs. */
void vfs_set_exe(struct proc *p, struct file *exe);
struct file *vfs_exe(struct proc *p);	/* with a reference, or NULL */
/* p's current directory, or its root: with a reference, or an empty path. */
struct path vfs_proc_dir(struct proc *p, bool root);
uint32_t vfs_proc_umask(struct proc *p);
/* A file being executed cannot be opened for writing, and the reverse: ETXTBSY. */
int deny_write(struct inode *inode);
void allow_write(struct inode *inode);
uint32_t vfs_set_umask(uint32_t mask);
void vfs_set_cwd(struct path p, bool root);

/* mmap.c: a file cut to first_index pages takes the pages beyond from its mappings. */
void file_unmap_from(struct inode *inode, uint64_t first_index);

/* pipe.c: the ring behind a pipe and a FIFO (whose inode keeps it while open). */
#define PIPE_SIZE	65536
#define PIPE_PAGES	(PIPE_SIZE / 4096)
struct pipe {
	char *page[PIPE_PAGES];
	uint64_t head, tail;		/* bytes ever written and read: used = head - tail */
	unsigned readers, writers;
	unsigned r_counter, w_counter;	/* opens for reading and writing, ever (FIFO opens) */
	bool reading, writing;		/* a reader (writer) is copying: others wait */
	char wait_data, wait_room, wait_turn, wait_open;	/* wait channels */
};
struct pipe *pipe_alloc(void);
/* f becomes an end of p, as its access mode says (the ops, the counts). */
void pipe_attach(struct file *f, struct pipe *p);

/* tmpfs.c */
void tmpfs_register(void);
/* A tmpfs's super block (options: mode=), for the file systems built on it. */
int tmpfs_fill_super(struct super_block *sb, const char *options);
void tmpfs_kill_super(struct super_block *sb);
uint64_t tmpfs_pages(void);	/* frames holding file data: Shmem in /proc/meminfo */
/* An unnamed tmpfs file of size bytes, open read-write: shared anonymous memory. */
int shmem_file(uint64_t size, struct file **out);

#endif
