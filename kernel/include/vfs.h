/*
 * The virtual file system: the objects every file system provides and
 * every file system call goes through.
 *
 *   descriptor --> struct file ------> struct path ----------> struct inode
 *   (fdtable,      offset, flags;      mount + dentry:         the object: mode,
 *    per process)  shared by dup       a name in a directory   size, times, ops,
 *                  and fork            (the name cache)        the fs's data
 *
 * Everything is reference counted: an inode lives while a dentry, an open
 * file or a mapping holds it, and goes when the last reference and the
 * last link are gone. The kernel is not preemptive: nothing changes under
 * a function that does not sleep, and what a function keeps across a sleep
 * it holds a reference to.
 */
#ifndef NEXA_VFS_H
#define NEXA_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi.h>
#include <avl.h>

/* File types and permission bits, as stat's st_mode. */
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000
#define S_IALLUGO	07777
#define S_IXGRP		00010
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

/* Device numbers: Linux's encoding in 32 bits (major 12 bits, minor 20). */
#define MKDEV(ma, mi)	((uint32_t)(((ma) & 0xFFF) << 8 | ((mi) & 0xFF) | (((mi) & ~0xFF) << 12)))
#define MAJOR(d)	(((d) >> 8) & 0xFFF)
#define MINOR(d)	(((d) & 0xFF) | (((d) >> 12) & 0xFFF00))

#define NAME_MAX	255	/* one path component */
#define MAX_RW_COUNT	0x7FFFF000UL	/* one read or write moves at most this (Linux's) */
#define SYMLOOP_MAX	40	/* symbolic links followed in one walk (ELOOP) */

struct inode;
struct dentry;
struct file;
struct mount;
struct super_block;
struct poll_table;
struct uvm;

/* A buffer a read or a write goes to or comes from: user memory or the kernel's. */
struct iobuf {
	uint64_t addr;
	bool kernel;
};

#define UBUF(a)		((struct iobuf){ (uint64_t)(a), false })
#define KBUF(p)		((struct iobuf){ (uint64_t)(p), true })

/* Copies n bytes between kernel memory and the buffer at offset off; 0 or -EFAULT. */
int iobuf_write(struct iobuf b, size_t off, const void *src, size_t n);
int iobuf_read(void *dst, struct iobuf b, size_t off, size_t n);

/* What a file system does with a directory and its names. */
struct inode_ops {
	/* The inode for name in dir, for a file system that is not all in the cache. */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	/* A new inode of the file system (regular, device, fifo, directory, symlink). */
	int (*create)(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out);
	/* Stores a symbolic link's target in its new inode. */
	int (*set_link)(struct inode *inode, const char *target);
	/* Reads a symbolic link's target (no NUL): its length. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Sets the size: frees what lies beyond, a hole grows the file. */
	int (*truncate)(struct inode *inode, uint64_t size);
	/* A file page with an extra reference, for mmap and exec (alloc: fill a hole). */
	int (*get_page)(struct inode *inode, uint64_t index, bool alloc, uint64_t *pa);
	/* The last reference and the last link are gone: free the data. */
	void (*evict)(struct inode *inode);
	/* The entries of a directory the cache does not hold (procfs), from cookie *pos. */
	int (*readdir)(struct file *dir, int (*emit)(void *ctx, const char *name, uint64_t ino,
						     unsigned type, uint64_t next), void *ctx);
};

/* What an open file does. Read and write get the position to use and update it. */
struct file_ops {
	int (*open)(struct inode *inode, struct file *f);
	int64_t (*read)(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos);
	int64_t (*write)(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos);
	/* The events ready now (POLLIN...); registers interest through pt. */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	int64_t (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	void (*release)(struct file *f);
	bool seekable;		/* lseek works (pipes and terminals: ESPIPE) */
	bool seek_noop;		/* lseek stays at 0 whatever it is asked (/dev/null) */
	bool map_anon;		/* mmap gives anonymous memory (/dev/zero) */
};

struct inode {
	uint64_t ino;
	uint32_t mode;			/* S_IFMT | permissions */
	uint32_t nlink;			/* names in directories */
	uint32_t uid, gid;
	uint32_t rdev;			/* a device's number */
	uint64_t size;
	uint64_t blocks;		/* 512-byte blocks in use */
	struct timespec_abi atime, mtime, ctime;
	unsigned refs;
	int writers;			/* open for writing; < 0: being executed (ETXTBSY) */
	struct super_block *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	void *data;			/* the file system's, or a pipe's */
	struct vma *mappings;		/* the regions that map it (mmap.c) */
	struct pipe *pipe;		/* a FIFO's ring while it is open (lab 6) */
};

/* A name in a directory. The children of a directory are its cache of names. */
struct dentry {
	char *name;
	size_t len;
	struct dentry *parent;		/* the root of a file system is its own parent */
	struct inode *inode;
	struct super_block *sb;
	struct avl_tree by_name;	/* children, for lookups */
	struct avl_tree by_cookie;	/* children in creation order, for readdir */
	struct avl_node name_node, cookie_node;
	uint64_t cookie;		/* this entry's readdir position */
	uint64_t next_cookie;		/* what the next child gets */
	unsigned refs;			/* children, paths in use, open files */
	unsigned mounts;		/* file systems mounted on it */
	bool pinned;			/* the cache is the file system (tmpfs): kept while linked */
	bool dead;			/* unlinked: no longer in its parent */
};

/* A mounted file system and where it hangs in the tree. */
struct mount {
	struct dentry *root;		/* the mounted file system's root */
	struct super_block *sb;
	struct mount *parent;		/* NULL for the root mount */
	struct dentry *mountpoint;	/* in parent */
	struct mount *next;		/* the mount table, in mounting order */
	unsigned refs;			/* paths and files inside it, besides the table */
	bool attached;			/* in the mount table (not unmounted yet) */
	char source[32];
	unsigned flags;			/* MS_RDONLY, MS_NOSUID, ... */
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* An open file description: what open() returns, shared by dup and fork. */
struct file {
	unsigned refs;
	struct path path;
	struct inode *inode;
	const struct file_ops *ops;
	uint64_t pos;
	unsigned flags;			/* O_ACCMODE and the status flags (O_APPEND, O_NONBLOCK) */
	void *priv;			/* the file's own (a pipe end, a directory cursor) */
};

struct fs_type {
	const char *name;		/* "tmpfs", "proc", "devtmpfs" */
	/* Fills sb (its root dentry) for a new mount; options as mount(2) gives them. */
	int (*fill_super)(struct super_block *sb, const char *options);
	void (*kill_super)(struct super_block *sb);
	struct fs_type *next;
};

struct super_block {
	const struct fs_type *type;
	struct dentry *root;
	uint32_t dev;			/* st_dev */
	uint64_t next_ino;
	unsigned mounts;		/* mounts of this file system */
	uint64_t magic;			/* statfs's f_type */
	void *data;
};

/* Registers a file system type for mount(2). */
void vfs_register_fs(struct fs_type *type);

/* Inodes (inode.c). */
struct inode *inode_alloc(struct super_block *sb, uint32_t mode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
void inode_touch(struct inode *inode, bool modify);	/* mtime and ctime, or ctime only */
struct timespec_abi vfs_now(void);

/* The name cache (dcache.c). */
struct dentry *dentry_alloc(struct dentry *parent, const char *name, size_t len);
void dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/* The child called name, with a reference; NULL if the cache has none. */
struct dentry *dentry_lookup(struct dentry *dir, const char *name, size_t len);
/* Makes d (not yet linked) a child of its parent, with inode; the cache holds it. */
void dentry_link(struct dentry *d, struct inode *inode, bool pinned);
/* Takes d out of its parent (unlink, rmdir, the source of a rename). */
void dentry_unlink(struct dentry *d);
/* The first child at or after readdir cookie pos, or NULL. */
struct dentry *dentry_child_from(struct dentry *dir, uint64_t pos);
bool dentry_has_children(struct dentry *dir);
/* Moves linked d under newdir as name (a kmalloc'd string it takes over): rename. */
void dentry_move(struct dentry *d, struct dentry *newdir, char *name, size_t len);
/* Swaps the places (parent and name) of two linked dentries: RENAME_EXCHANGE. */
void dentry_exchange(struct dentry *a, struct dentry *b);
/* Whether a is d or one of d's ancestors (in one file system). */
bool dentry_is_ancestor(const struct dentry *a, const struct dentry *d);

/* Paths (namei.c). */
void path_get(const struct path *p);
void path_put(struct path *p);
/* The root of the name space and the current directory of the calling process. */
struct path vfs_root(void);

#define WALK_FOLLOW	0x1	/* follow a symbolic link in the last component */
#define WALK_DIRECTORY	0x2	/* the last component must be a directory */
#define WALK_PARENT	0x4	/* stop at the parent; the last name in *last */
#define WALK_EMPTY	0x8	/* "" names the starting point (AT_EMPTY_PATH) */

/* The last component of a WALK_PARENT walk, copied (the path may have come from a link). */
struct walk_last {
	const char *name;	/* buf */
	size_t len;
	bool trailing_slash;	/* "dir/" */
	bool dot;		/* "." or "..": nothing to create or remove */
	char buf[NAME_MAX + 1];
};

/*
 * Resolves path (a kernel string) from start (NULL: the current
 * directory, or the root for an absolute path) into *out, holding a
 * reference. -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES as Linux.
 */
int vfs_walk(const struct path *start, const char *path, unsigned flags, struct path *out,
	     struct walk_last *last);
/* The path of p from the root (getcwd, /proc/self/cwd): its length, or -ERANGE. */
int vfs_path_name(const struct path *p, char *buf, size_t size);

/* Mounts (mount.c). */
struct mount *mount_at(const struct path *mountpoint);	/* what is mounted here, or NULL */
int vfs_mount(const char *type, const char *source, const struct path *at, unsigned flags,
	      const char *options);
int vfs_umount(const struct path *at, int flags);
/* A growing text buffer (procfs's files); len > size means it did not fit. */
struct seq {
	char *buf;
	size_t len, size;
};
void seq_printf(struct seq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_write(struct seq *s, const void *data, size_t n);
/* Writes str with each byte of esc as \ooo (octal), as Linux's /proc/mounts shows " \t\n\\". */
void seq_escape(struct seq *s, const char *str, const char *esc);
/* Prints the mount table as /proc/mounts does. */
void vfs_mounts_show(struct seq *s);
void mount_get(struct mount *m);
void mount_put(struct mount *m);

/* Open files (file.c). */
struct file *file_alloc(const struct path *path, struct inode *inode, unsigned flags);
void file_get(struct file *f);
void file_put(struct file *f);
/* Opens path as open(2) does (flags O_*, mode for O_CREAT): a new file or -errno. */
int vfs_open(const struct path *start, const char *path, int flags, uint32_t mode,
	     struct file **out);
int64_t vfs_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos);
int64_t vfs_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos);

/* A poll op names each channel its file's wakeups come on (poll.c); pt may be NULL. */
void poll_wait(struct poll_table *pt, const void *chan);

/* Two open files on a new pipe: *rd reads what *wr writes (pipe.c). */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
/* Opening a FIFO (lab 6 registers how: fifo.c); without it, ENXIO. */
void vfs_set_fifo_open(int (*open)(struct inode *inode, struct file *f));

/* Truncates or extends a regular file to size. */
int vfs_truncate(struct inode *inode, uint64_t size);

/* Character devices (chardev.c): a device number's operations, and its node in /dev. */
struct chrdev {
	uint32_t rdev;
	const char *name;		/* "null", "console" */
	uint32_t mode;			/* its permissions */
	const struct file_ops *ops;
	struct chrdev *next;
};
void chrdev_register(uint32_t major, uint32_t minor, const char *name, uint32_t mode,
		     const struct file_ops *ops);
const struct file_ops *chrdev_ops(uint32_t rdev);
const struct chrdev *chrdev_first(void);	/* every device, via ->next */

/* The calling process's umask. */
uint32_t vfs_umask(void);
bool vfs_is_dir(const struct inode *inode);

#endif
