/*
 * The initramfs module (see initrd.h). Lab 4 runs programs straight out
 * of the archive, by name; lab 5 unpacks it into the root file system
 * and gives the memory back.
 */
#include <exec.h>
#include <init.h>
#include <initrd.h>
#include <kerrno.h>
#include <kprintf.h>
#include <kstring.h>
#include <layout.h>

#define S_IFMT		0170000
#define S_IFREG		0100000

static const void *archive;
static size_t archive_len;

static int
initrd_init(const struct bootinfo *bi)
{
	if (bi->nmodules == 0) {
		kprintf("initrd: none (no boot module)\n");
		return -ENOENT;
	}
	const struct boot_module *m = &bi->modules[0];
	archive = phys_to_virt(m->start);
	archive_len = m->end - m->start;
	int n = cpio_validate(archive, archive_len);
	if (n < 0) {
		kprintf("initrd: module \"%s\" is not a valid cpio (newc) archive\n", m->name);
		return n;
	}
	kprintf("initrd: %d files, %lu KiB\n", n, archive_len / 1024);
	return 0;
}

int
initrd_find(const char *path, struct cpio_entry *e)
{
	if (!archive)
		return -ENOENT;
	return cpio_find(archive, archive_len, path, e);
}

bool
initrd_archive(const void **data, size_t *len)
{
	*data = archive;
	*len = archive_len;
	return archive != NULL;
}

void
initrd_forget(void)
{
	archive = NULL;
	archive_len = 0;
}

/* Programs straight from the archive (lab 4): exec copies their bytes. */
static int
initrd_read(struct exec_file *f, uint64_t off, void *buf, uint64_t n)
{
	if (off > f->size || n > f->size - off)
		return -EIO;
	memcpy(buf, (const char *)f->priv + off, n);
	return 0;
}

static int
initrd_open(const char *path, struct exec_file *f)
{
	struct cpio_entry e;
	int r = initrd_find(path, &e);

	if (r < 0)
		return r == -EINVAL ? -EIO : r;
	if ((e.mode & S_IFMT) != S_IFREG)
		return -EACCES;
	*f = (struct exec_file){ .size = e.size, .mode = e.mode, .read = initrd_read,
				 .priv = (void *)e.data };
	return 0;
}

static const struct exec_source initrd_source = { initrd_open, 4 };

static void
initrd_boot(void)
{
	if (boot_info.nmodules)
		initrd_init(&boot_info);
	exec_set_source(&initrd_source);
}
INITCALL(INIT_PROC, initrd_boot);
