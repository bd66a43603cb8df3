/*
 * devtmpfs: a tmpfs that starts out holding a node for every registered
 * character device (chardev.c), with the mode its driver gave it, and
 * the links programs expect (/dev/fd, /dev/stdin ...). Init mounts it on
 * /dev; what is made there later is ordinary tmpfs.
 */
#include <init.h>
#include <vfs.h>
#include "fs_internal.h"

static const struct {
	const char *name, *target;
} links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

static int
devtmpfs_fill_super(struct super_block *sb, const char *options)
{
	int r = tmpfs_fill_super(sb, "mode=0755");

	if (r < 0)
		return r;
	for (const struct chrdev *c = chrdev_first(); c && r == 0; c = c->next)
		r = dir_add_node(sb->root, c->name, S_IFCHR | c->mode, c->rdev, NULL);
	for (unsigned i = 0; i < sizeof(links) / sizeof(links[0]) && r == 0; i++)
		r = dir_add_node(sb->root, links[i].name, S_IFLNK | 0777, 0, links[i].target);
	if (r == 0)
		r = dir_add_node(sb->root, "shm", S_IFDIR | 01777, 0, NULL);
	if (r == 0)
		r = dir_add_node(sb->root, "pts", S_IFDIR | 0755, 0, NULL);
	if (r < 0) {
		tmpfs_kill_super(sb);
		dentry_put(sb->root);
	}
	return r;
}

static struct fs_type devtmpfs_type = {
	.name = "devtmpfs", .fill_super = devtmpfs_fill_super, .kill_super = tmpfs_kill_super,
};

static void
devtmpfs_init(void)
{
	vfs_register_fs(&devtmpfs_type);
}
INITCALL(INIT_FS, devtmpfs_init);
