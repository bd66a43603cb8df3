/*
 * Character devices: a device number's file operations, registered by
 * its driver with the name and mode its node gets in devtmpfs.
 */
#include <kmalloc.h>
#include <vfs.h>

static struct chrdev *devices;

void
chrdev_register(uint32_t major, uint32_t minor, const char *name, uint32_t mode,
		const struct file_ops *ops)
{
	struct chrdev *c = kzalloc(sizeof(*c));

	if (!c)
		return;
	*c = (struct chrdev){ MKDEV(major, minor), name, mode, ops, NULL };
	/* In registration order, so that devtmpfs lists them as they came. */
	struct chrdev **at = &devices;
	while (*at)
		at = &(*at)->next;
	*at = c;
}

const struct file_ops *
chrdev_ops(uint32_t rdev)
{
	for (struct chrdev *c = devices; c; c = c->next)
		if (c->rdev == rdev)
			return c->ops;
	return NULL;
}

const struct chrdev *
chrdev_first(void)
{
	return devices;
}
