/*
 * The root file system: a tmpfs that the initramfs is unpacked into at
 * boot, as Linux's rootfs. Each archive entry becomes a directory, a
 * file, a symbolic link, a hard link or a device node with its mode,
 * owner and mtime. A bad entry is reported and skipped; a malformed or
 * truncated archive keeps what came before the damage. Then the
 * archive's memory goes back to the frame allocator.
 */
#include <bootinfo.h>
#include <init.h>
#include <initrd.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <kstring.h>
#include <ksyscall.h>
#include <layout.h>
#include <pmm.h>
#include <vfs.h>
#include "fs_internal.h"

#define MAX_COMPLAINTS	8	/* bad entries named one by one; then only counted */

/* An earlier entry with the same inode number: a hard link's first name. */
struct link_name {
	uint32_t ino;
	struct link_name *next;
	char name[];
};

struct unpack {
	struct link_name *links;
	unsigned files, errors;
};

static void
complain(struct unpack *u, const char *name, int err)
{
	if (u->errors++ < MAX_COMPLAINTS)
		kprintf("initrd: /%s: %s (skipped)\n", name, errno_name(err));
}

/* The path of an entry, from the root; the archive's "." is the root itself. */
static void
full_name(const struct cpio_entry *e, char *buf)
{
	buf[0] = '/';
	strlcpy(buf + 1, e->name, CPIO_NAME_MAX);
}

/* Mode, owner, group and mtime from the archive. */
static void
set_attrs(const char *path, const struct cpio_entry *e)
{
	struct path p;

	if (walk_at(AT_FDCWD, path, 0, &p) < 0)
		return;
	struct inode *inode = p.dentry->inode;
	if (!S_ISLNK(inode->mode))
		inode->mode = (inode->mode & S_IFMT) | (e->mode & S_IALLUGO);
	inode->uid = e->uid;
	inode->gid = e->gid;
	inode->mtime = (struct timespec_abi){ (int64_t)e->mtime, 0 };
	inode->atime = inode->mtime;
	path_put(&p);
}

static int
write_file(const char *path, const struct cpio_entry *e, bool linked)
{
	struct file *f;
	int r = vfs_open(NULL, path, O_WRONLY | O_CREAT | (linked ? 0 : O_TRUNC),
			 e->mode & S_IALLUGO, &f);

	if (r < 0)
		return r;
	uint64_t pos = 0;
	int64_t n = e->size ? vfs_write(f, KBUF(e->data), e->size, &pos) : 0;
	file_put(f);
	if (n < 0)
		return (int)n;
	return (uint64_t)n == e->size ? 0 : -ENOSPC;
}

/* A regular file with more names than one: link it to the first name seen. */
static int
maybe_link(struct unpack *u, const char *path, const struct cpio_entry *e, bool *linked)
{
	*linked = false;
	if (e->nlink < 2)
		return 0;
	for (struct link_name *l = u->links; l; l = l->next) {
		if (l->ino != e->ino)
			continue;
		struct path old;
		int r = walk_at(AT_FDCWD, l->name, 0, &old);
		if (r < 0)
			return r;
		r = vfs_link(&old, AT_FDCWD, path);
		path_put(&old);
		*linked = r == 0;
		return r;
	}
	size_t n = strlen(path) + 1;
	struct link_name *l = kmalloc(sizeof(*l) + n);
	if (!l)
		return -ENOMEM;
	l->ino = e->ino;
	memcpy(l->name, path, n);
	l->next = u->links;
	u->links = l;
	return 0;
}

/* Removes what is in the way of a new non-directory entry, as Linux's unpacker. */
static void
clear_path(const char *path)
{
	struct path p;

	if (walk_at(AT_FDCWD, path, 0, &p) < 0)
		return;
	bool dir = S_ISDIR(p.dentry->inode->mode);
	path_put(&p);
	vfs_unlink(AT_FDCWD, path, dir ? AT_REMOVEDIR : 0);
}

#if SOL >= 5
static int
unpack_entry(struct unpack *u, const struct cpio_entry *e, char *path)
{
	uint32_t type = e->mode & S_IFMT, perm = e->mode & S_IALLUGO;
	bool linked;
	int r;

	full_name(e, path);
	switch (type) {
	case S_IFDIR:
		r = vfs_mknod(AT_FDCWD, path, S_IFDIR | perm, 0, NULL);
		if (r == -EEXIST)
			r = 0;	/* "." (the root), or named twice: the attributes come last */
		break;
	case S_IFREG:
		clear_path(path);
		if ((r = maybe_link(u, path, e, &linked)) == 0)
			r = write_file(path, e, linked);
		break;
	case S_IFLNK:
		clear_path(path);
		if (e->size == 0 || e->size >= PATH_MAX || strnlen(e->data, e->size) < e->size)
			return -EINVAL;
		char *target = kmalloc(e->size + 1);
		if (!target)
			return -ENOMEM;
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		r = vfs_mknod(AT_FDCWD, path, S_IFLNK | 0777, 0, target);
		kfree(target);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		clear_path(path);
		r = vfs_mknod(AT_FDCWD, path, type | perm, MKDEV(e->rdev_major, e->rdev_minor),
			      NULL);
		break;
	default:
		return -EINVAL;
	}
	if (r == 0 && type != S_IFDIR)
		set_attrs(path, e);
	return r;
}
#else
static int
unpack_entry(struct unpack *u, const struct cpio_entry *e, char *path)
{
	/* LAB 5: your code here. Make the entry e in the root file system
	 * at its full name (full_name into path), by its type: a directory
	 * (vfs_mknod; one that exists already is fine), a regular file
	 * (clear_path, maybe_link for a hard link, then write_file), a
	 * symbolic link (its target is the entry's data: -EINVAL unless
	 * 1..PATH_MAX-1 bytes without a NUL), a device node, a fifo or a
	 * socket (vfs_mknod with MKDEV of the entry's numbers); any other
	 * type is -EINVAL. A new non-directory then gets the entry's
	 * attributes (set_attrs); directories get theirs at the end. */
	(void)u, (void)e, (void)path, (void)clear_path, (void)maybe_link, (void)write_file;
	return -ENOSYS;
}
#endif

/*
 * Directories get their modes, owners and mtimes last, as Linux's
 * unpacker does: adding their entries would have changed the mtimes.
 * The entries of one archive: [pos, end).
 */
static void
set_dir_attrs(const void *archive, size_t len, size_t pos, size_t end, char *path)
{
	struct cpio_entry e;

	while (pos < end && cpio_next(archive, len, &pos, &e) > 0) {
		if (S_ISDIR(e.mode)) {
			full_name(&e, path);
			set_attrs(path, &e);
		}
	}
}

/*
 * Unpacks one module: archives one after another, as Linux takes them
 * (zero bytes may pad between them). Stops at the first malformed entry.
 */
static int
unpack(struct unpack *u, const char *module, const void *data, size_t len, char *path)
{
	const char *a = data;
	struct cpio_entry e;
	size_t pos = 0, start;
	int r = 0;

	for (;;) {
		while (pos + 4 <= len && !a[pos] && !a[pos + 1] && !a[pos + 2] && !a[pos + 3])
			pos += 4;
		if (pos >= len)
			break;
		size_t first = start = pos;
		unsigned before = u->files;
		while ((r = cpio_next(a, len, &pos, &e)) > 0) {
			start = pos;
			if ((r = unpack_entry(u, &e, path)) == -ENOSYS)
				return r;	/* unpack_entry is not written yet */
			if (r < 0)
				complain(u, e.name, r);
			else
				u->files++;
		}
		set_dir_attrs(a, len, first, start, path);
		if (r < 0) {
			kprintf("initrd: module \"%s\" is malformed or cut short at byte %lu; "
				"kept the %u entries before\n", module, start, u->files - before);
			break;
		}
	}
	return 0;
}

/* Unpacks every boot module, then gives their memory to the frame allocator. */
static int
unpack_modules(void)
{
	struct unpack u = { 0 };
	uint64_t bytes = 0, freed = 0;
	char *path = kmalloc(CPIO_NAME_MAX + 1);
	int r = 0;

	if (!path) {
		kprintf("initrd: out of memory; the root file system stays empty\n");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < boot_info.nmodules && r == 0; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		r = unpack(&u, m->name, phys_to_virt(m->start), m->end - m->start, path);
		bytes += m->end - m->start;
	}
	if (u.errors > MAX_COMPLAINTS)
		kprintf("initrd: %u bad entries in all\n", u.errors);
	kprintf("initrd: unpacked %u entries (%lu KiB) into the root file system\n", u.files,
		bytes / 1024);
	while (u.links) {
		struct link_name *l = u.links;
		u.links = l->next;
		kfree(l);
	}
	kfree(path);
	if (r < 0)
		return r;
	initrd_forget();
	for (unsigned i = 0; i < boot_info.nmodules; i++)
		freed += pmm_release_boot_range(&boot_info, boot_info.modules[i].start,
						boot_info.modules[i].end);
	boot_info.nmodules = 0;
	kprintf("initrd: freed %lu KiB\n", freed / 1024);
	return 0;
}

/* Minimal contents for a boot without an archive: where devices and init go. */
static int
make_skeleton(void)
{
	int r;

	if ((r = vfs_mknod(AT_FDCWD, "/dev", S_IFDIR | 0755, 0, NULL)) < 0 ||
	    (r = vfs_mknod(AT_FDCWD, "/dev/console", S_IFCHR | 0600, MKDEV(5, 1), NULL)) < 0)
		return r;
	return vfs_mknod(AT_FDCWD, "/root", S_IFDIR | 0700, 0, NULL);
}

/* Creates, writes, reads back and removes a file: 0, or what failed (ENOSYS: a stub). */
static int
probe(void)
{
	static const char name[] = "/.vfs-probe";
	char in = 'x', out = 0;
	uint64_t pos = 0;
	struct file *f;
	int r = vfs_open(NULL, name, O_CREAT | O_EXCL | O_RDWR, 0600, &f);

	if (r < 0)
		return r;
	int64_t n = vfs_write(f, KBUF(&in), 1, &pos);
	pos = 0;
	if (n == 1)
		n = vfs_read(f, KBUF(&out), 1, &pos);
	file_put(f);
	vfs_unlink(AT_FDCWD, name, 0);
	return n < 0 ? (int)n : out == in ? 0 : -EIO;
}

static bool active;

bool
vfs_active(void)
{
	return active;
}

/*
 * The boot step of lab 5: the root file system, the initramfs in it, and
 * then lab 5's system calls and exec from files. A VFS that cannot yet
 * make a file (an unfinished exercise) leaves lab 4's ways in place, so
 * that the programs of lab 4 still run.
 */
static void
rootfs_init(void)
{
	int r;

	tmpfs_register();
	if ((r = vfs_mount_root("tmpfs", "mode=0755")) < 0) {
		kprintf("vfs: cannot make the root file system: %s\n", errno_name(r));
		return;
	}
	if ((r = make_skeleton()) < 0 || (r = probe()) < 0 ||
	    (boot_info.nmodules && (r = unpack_modules()) < 0)) {
		kprintf("initrd: the root file system does not work yet (%s); programs run "
			"straight from the archive, as in lab 4\n", errno_name(r));
		return;
	}
	active = true;
	syscalls_enable(5);
	exec_vfs_enable();
}
INITCALL(INIT_FS, rootfs_init);
