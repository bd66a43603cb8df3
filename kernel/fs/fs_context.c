/*
 * Where a process stands in the file tree: its root (chroot), its current
 * directory, its umask, and the program file it runs (/proc/PID/exe,
 * kept unwritable: ETXTBSY). Copied at fork, released at exit; init
 * starts at the root of the name space.
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <proc.h>
#include <vfs.h>
#include "fs_internal.h"

struct fs_context {
	struct path root, cwd;
	uint32_t umask;
	struct file *exe;		/* the program, denying writes to it */
};

struct path vfs_root_mount(void);

/* The process's context, or NULL (the idle process, and boot). */
static struct fs_context *
context(void)
{
	return proc_current()->fs;
}

struct path
vfs_root(void)
{
	struct fs_context *fs = context();

	if (!fs)
		return vfs_root_mount();
	path_get(&fs->root);
	return fs->root;
}

struct path
vfs_cwd(void)
{
	struct fs_context *fs = context();

	if (!fs)
		return vfs_root_mount();
	path_get(&fs->cwd);
	return fs->cwd;
}

uint32_t
vfs_umask(void)
{
	struct fs_context *fs = context();

	return fs ? fs->umask : 022;
}

uint32_t
vfs_set_umask(uint32_t mask)
{
	struct fs_context *fs = context();
	uint32_t old = fs->umask;

	fs->umask = mask & 0777;
	return old;
}

/* Makes p (with a reference the caller hands over) the current directory, or the root. */
void
vfs_set_cwd(struct path p, bool root)
{
	struct fs_context *fs = context();
	struct path *slot = root ? &fs->root : &fs->cwd;

	path_put(slot);
	*slot = p;
}

void
vfs_set_exe(struct proc *p, struct file *exe)
{
	struct fs_context *fs = p->fs;

	if (!fs)
		return;
	if (exe) {
		file_get(exe);
		deny_write(exe->inode);
	}
	if (fs->exe) {
		allow_write(fs->exe->inode);
		file_put(fs->exe);
	}
	fs->exe = exe;
}

struct path
vfs_proc_dir(struct proc *p, bool root)
{
	struct path d = { 0 };

	if (p->fs) {
		d = root ? p->fs->root : p->fs->cwd;
		path_get(&d);
	}
	return d;
}

uint32_t
vfs_proc_umask(struct proc *p)
{
	return p->fs ? p->fs->umask : 022;
}

struct file *
vfs_exe(struct proc *p)
{
	struct file *f = p->fs ? p->fs->exe : NULL;

	if (f)
		file_get(f);
	return f;
}

static int
fs_fork(struct proc *parent, struct proc *child)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return -ENOMEM;
	if (parent && parent->fs) {
		*fs = *parent->fs;
		path_get(&fs->root);
		path_get(&fs->cwd);
		fs->exe = NULL;
		child->fs = fs;
		vfs_set_exe(child, parent->fs->exe);
		return 0;
	} else {
		fs->root = vfs_root_mount();
		fs->cwd = vfs_root_mount();
		fs->umask = 022;
	}
	child->fs = fs;
	return 0;
}

static void
fs_release(struct proc *p)
{
	if (!p->fs)
		return;
	vfs_set_exe(p, NULL);
	path_put(&p->fs->root);
	path_put(&p->fs->cwd);
	kfree(p->fs);
	p->fs = NULL;
}

PROC_HOOKS(fs_context, .fork = fs_fork, .release = fs_release);
