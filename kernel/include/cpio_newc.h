/*
 * The initramfs: a cpio archive in the "newc" format (cpio -H newc), as
 * GRUB or QEMU's -initrd load it. Pure code (also built on the host).
 *
 *   [110-byte ASCII header "070701" + 13 hex fields][name\0][pad to 4]
 *   [file data][pad to 4] ... [header of "TRAILER!!!"]
 */
#ifndef NEXA_CPIO_NEWC_H
#define NEXA_CPIO_NEWC_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NAME_MAX	256

struct cpio_entry {
	char name[CPIO_NAME_MAX];	/* without a leading "./" or "/" */
	uint32_t mode;			/* type and permission bits, as stat's */
	uint32_t uid, gid;
	uint32_t ino, nlink;		/* entries with one ino and nlink > 1 are hard links */
	uint32_t rdev_major, rdev_minor;	/* a device node's number */
	uint64_t mtime;
	const void *data;
	size_t size;
};

/*
 * The entry after *pos (start with *pos = 0) in archive[0..len).
 * Returns 1 and fills e, 0 at the trailer (*pos then points past it,
 * where a concatenated archive may follow), or -EINVAL if the archive is
 * malformed (bad magic or numbers, a name or data that runs past the
 * end, no trailer).
 */
int cpio_next(const void *archive, size_t len, size_t *pos, struct cpio_entry *e);

/* Finds path ("/bin/sh", "bin/sh"): 0, -ENOENT, or -EINVAL if malformed. */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *e);

/* Checks the whole archive: the number of entries, or -EINVAL. */
int cpio_validate(const void *archive, size_t len);

#endif
