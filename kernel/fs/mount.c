/*
 * Mounts: which file system hangs where. The root mount is made at boot;
 * mount(2) adds a file system on a directory, which then shows the new
 * file system's root (the walk follows mount points). A mount holds a
 * reference to its parent mount, so a file system with another mounted
 * inside it, or with files open in it, is busy (EBUSY).
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <kstring.h>
#include <param.h>
#include <vfs.h>
#include "fs_internal.h"

#define MNT_FORCE	1
#define MNT_DETACH	2

static struct mount *mounts;		/* oldest first */
static struct mount *root_mount;
static unsigned next_anon_dev = 1;	/* st_dev of in-memory file systems: major 0 */

void
mount_get(struct mount *m)
{
	if (m)
		m->refs++;
}

static void
super_put(struct super_block *sb)
{
	if (--sb->mounts)
		return;
	if (sb->type->kill_super)
		sb->type->kill_super(sb);
	dentry_put(sb->root);
	kfree(sb);
}

void
mount_put(struct mount *m)
{
	if (!m || --m->refs)
		return;
	/* Only a detached mount reaches 0: the table holds the others. */
	if (m->mountpoint)
		dentry_put(m->mountpoint);
	if (m->parent)
		mount_put(m->parent);
	super_put(m->sb);
	kfree(m);
}

struct mount *
mount_at(const struct path *mp)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->mountpoint == mp->dentry && m->parent == mp->mnt)
			return m;
	return NULL;
}

/* A new super block of type fs, filled by the file system. */
static int
new_super(struct fs_type *fs, const char *options, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	int r;

	if (!sb)
		return -ENOMEM;
	sb->type = fs;
	unsigned minor = next_anon_dev++;

	sb->dev = MKDEV(0, minor);
	sb->mounts = 1;
	if ((r = fs->fill_super(sb, options)) < 0) {
		kfree(sb);
		return r;
	}
	*out = sb;
	return 0;
}

static struct mount *
new_mount(struct super_block *sb, const char *source)
{
	struct mount *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->sb = sb;
	m->root = sb->root;
	dentry_get(m->root);
	m->refs = 1;			/* the table's */
	strlcpy(m->source, source ? source : sb->type->name, sizeof(m->source));
	struct mount **at = &mounts;	/* oldest first, as /proc/mounts lists them */
	while (*at)
		at = &(*at)->next;
	*at = m;
	m->attached = true;
	return m;
}

int
vfs_mount_root(const char *type, const char *options)
{
	struct fs_type *fs = vfs_find_fs(type);
	struct super_block *sb;
	int r;

	if (!fs)
		return -ENODEV;
	if ((r = new_super(fs, options, &sb)) < 0)
		return r;
	if (!(root_mount = new_mount(sb, "tmpfs"))) {
		super_put(sb);
		return -ENOMEM;
	}
	return 0;
}

struct path
vfs_root_mount(void)
{
	struct path p = { root_mount, root_mount ? root_mount->root : NULL };

	if (p.dentry)
		path_get(&p);
	return p;
}

int
vfs_mount(const char *type, const char *source, const struct path *at, unsigned flags,
	  const char *options)
{
	struct fs_type *fs = vfs_find_fs(type);
	struct super_block *sb;
	int r;

	if (!fs)
		return -ENODEV;
	if (!vfs_is_dir(at->dentry->inode))
		return -ENOTDIR;
	if (at->dentry->dead)
		return -ENOENT;
	if ((r = new_super(fs, options ? options : "", &sb)) < 0)
		return r;
	struct mount *m = new_mount(sb, source);
	if (!m) {
		super_put(sb);
		return -ENOMEM;
	}
	m->flags = flags;
	m->parent = at->mnt;
	mount_get(at->mnt);
	m->mountpoint = at->dentry;
	dentry_get(at->dentry);
	at->dentry->mounts++;
	return 0;
}

/* Whether a is m or below it (mounted inside it, or inside what is mounted inside it). */
static bool
mount_below(const struct mount *m, const struct mount *a)
{
	for (; a; a = a->parent)
		if (a == m)
			return true;
	return false;
}

/* Takes m out of the mount table; it lives on while paths inside it are in use. */
static void
detach(struct mount *m)
{
	for (struct mount **pp = &mounts; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	m->attached = false;
	m->mountpoint->mounts--;
	mount_put(m);			/* the table's reference */
}

int
vfs_umount(const struct path *at, int flags)
{
	struct mount *m = at->mnt;

	if (flags & ~(MNT_FORCE | MNT_DETACH | 4 /* MNT_EXPIRE */ | 8 /* UMOUNT_NOFOLLOW */))
		return -EINVAL;
	if (at->dentry != m->root || !m->attached)
		return -EINVAL;		/* not a mount point (any more) */
	if (m == root_mount)
		return -EBUSY;
	/* Busy: more than the table's reference and the caller's own path. */
	if (m->refs > 2 && !(flags & MNT_DETACH))
		return -EBUSY;
	/* A lazy unmount takes what is mounted inside m along (Linux's umount_tree). */
	for (struct mount *c = mounts, *next; c; c = next) {
		next = c->next;
		if (c != m && mount_below(m, c)) {
			detach(c);
			next = mounts;	/* the list changed: start over */
		}
	}
	detach(m);
	return 0;
}

#define MOUNT_ESCAPES	" \t\n\\"

void
vfs_mounts_show(struct seq *s)
{
	static const struct {
		unsigned flag;
		const char *name;
	} opts[] = { { MS_NOSUID, ",nosuid" }, { MS_NODEV, ",nodev" }, { MS_NOEXEC, ",noexec" } };
	char *path = kmalloc(PATH_MAX);

	if (!path) {
		s->len = s->size + 1;		/* the caller sees an overflow and gives up */
		return;
	}
	for (struct mount *m = mounts; m; m = m->next) {
		struct path mp = { m, m->root };

		if (vfs_path_name(&mp, path, PATH_MAX) < 0)
			continue;
		/* a space in a name would end its field: escaped, as Linux does */
		seq_escape(s, m->source, MOUNT_ESCAPES);
		seq_write(s, " ", 1);
		seq_escape(s, path, MOUNT_ESCAPES);
		seq_printf(s, " %s %s", m->sb->type->name, m->flags & MS_RDONLY ? "ro" : "rw");
		for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (m->flags & opts[i].flag)
				seq_printf(s, "%s", opts[i].name);
		seq_printf(s, " 0 0\n");
	}
	kfree(path);
}
