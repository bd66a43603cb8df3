/* The initramfs module (see initrd.h). */
#include <kerrno.h>
#include <init.h>
#include <initrd.h>
#include <kprintf.h>
#include <layout.h>

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
	const void *a = phys_to_virt(m->start);
	int n = cpio_validate(a, m->end - m->start);
	if (n < 0) {
		kprintf("initrd: module \"%s\" is not a valid cpio (newc) archive\n", m->name);
		return n;
	}
	archive = a;
	archive_len = m->end - m->start;
	kprintf("initrd: %d files, %lu KiB\n", n, (m->end - m->start) / 1024);
	return 0;
}

int
initrd_find(const char *path, struct cpio_entry *e)
{
	if (!archive)
		return -ENOENT;
	return cpio_find(archive, archive_len, path, e);
}

static void
initrd_boot(void)
{
	if (boot_info.nmodules)
		initrd_init(&boot_info);
}
INITCALL(INIT_PROC, initrd_boot);
