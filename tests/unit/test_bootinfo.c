/*
 * The boot-information parser on hand-made Multiboot1 and Multiboot2
 * structures in a fake physical memory, malformed ones included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bootinfo.h>

#define PHYS_BASE	0x10000UL	/* where the fake memory starts */
#define PHYS_SIZE	0x4000UL
#define KSTART		0x100000UL
#define KEND		0x180000UL

static _Alignas(8) uint8_t phys[PHYS_SIZE];
static struct bootinfo bi;

/* Bounded like the kernel's: only [PHYS_BASE, PHYS_BASE + PHYS_SIZE). */
static const void *
map(uint64_t pa, uint64_t len)
{
	if (pa < PHYS_BASE || len > PHYS_SIZE || pa - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return phys + (pa - PHYS_BASE);
}

/* A Multiboot2 information structure under construction at PHYS_BASE. */
static uint32_t mb2_off;

static void
mb2_begin(void)
{
	memset(phys, 0, sizeof(phys));
	mb2_off = 8;
}

static void *
mb2_tag(uint32_t type, uint32_t size)
{
	uint32_t *t = (uint32_t *)(phys + mb2_off);

	t[0] = type;
	t[1] = size;
	mb2_off += (size + 7) & ~7u;
	return t;
}

static void
mb2_string(uint32_t type, const char *s)
{
	char *t = mb2_tag(type, 8 + (uint32_t)strlen(s) + 1);

	strcpy(t + 8, s);
}

static void
mb2_end(void)
{
	mb2_tag(0, 8);
	((uint32_t *)phys)[0] = mb2_off;
}

struct mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

static void
mb2_mmap(const struct mmap_entry *e, unsigned n)
{
	uint32_t *t = mb2_tag(6, 16 + n * 24);

	t[2] = 24;
	t[3] = 0;
	memcpy(t + 4, e, n * 24);
}

static int
parse2(void)
{
	return bootinfo_parse(MB2_BOOT_MAGIC, PHYS_BASE, map, KSTART, KEND, &bi);
}

static void
test_mb2_bios_boot(void **state)
{
	const struct mmap_entry e[] = {
		{ 0x100000, 0x7EE0000, 1, 0 },	/* out of order on purpose */
		{ 0, 0x9FC00, 1, 0 },
		{ 0x9FC00, 0x400, 2, 0 },
		{ 0xFFFC0000, 0x40000, 9, 0 },	/* an unknown type */
	};

	mb2_begin();
	mb2_string(1, "test=printf hz=100");
	mb2_string(2, "GRUB 2.06");
	mb2_mmap(e, 4);
	uint32_t *m = mb2_tag(3, 16 + 11);
	m[2] = 0x200000;
	m[3] = 0x210000;
	strcpy((char *)(m + 4), "initrd.cpio");
	mb2_end();

	assert_int_equal(parse2(), 0);
	assert_int_equal(bi.protocol, 2);
	assert_string_equal(bi.cmdline, "test=printf hz=100");
	assert_string_equal(bi.loader, "GRUB 2.06");
	assert_int_equal(bi.nmem, 4);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[1].base, 0x9FC00);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem[3].type, MEM_RESERVED);
	assert_int_equal(bootinfo_usable_bytes(&bi), 0x9FC00 + 0x7EE0000);
	assert_int_equal(bi.nmodules, 1);
	assert_string_equal(bi.modules[0].name, "initrd.cpio");
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.nreserved, 3);
	assert_int_equal(bi.reserved[0].start, KSTART);
	assert_int_equal(bi.reserved[0].end, KEND);
	assert_string_equal(bi.reserved[1].what, "bootinfo");
	assert_int_equal(bi.reserved[1].end - bi.reserved[1].start, mb2_off);
	assert_int_equal(bi.reserved[2].end, 0x210000);
	assert_true(bi.vga_text);
	assert_false(bi.efi);
}

static void
test_mb2_uefi_boot(void **state)
{
	mb2_begin();
	mb2_tag(12, 16);			/* EFI64 system table */
	uint8_t *fb = mb2_tag(8, 38);
	uint64_t addr = 0x80000000;
	uint32_t geom[3] = { 3200, 800, 600 };
	memcpy(fb + 8, &addr, 8);
	memcpy(fb + 16, geom, 12);
	fb[28] = 32;
	fb[29] = FB_RGB;
	memcpy(fb + 32, (uint8_t[]){ 16, 8, 8, 8, 0, 8 }, 6);	/* XRGB8888 */
	char *acpi = mb2_tag(14, 8 + 20);
	memcpy(acpi + 8, "RSD PTR ", 8);
	mb2_end();

	assert_int_equal(parse2(), 0);
	assert_true(bi.efi);
	assert_true(bi.has_fb);
	assert_int_equal(bi.fb.width, 800);
	assert_int_equal(bi.fb.height, 600);
	assert_int_equal(bi.fb.pitch, 3200);
	assert_int_equal(bi.fb.type, FB_RGB);
	assert_int_equal(bi.fb.red.pos, 16);
	assert_int_equal(bi.fb.green.size, 8);
	assert_int_equal(bi.fb.blue.pos, 0);
	assert_false(bi.vga_text);
	assert_true(bi.has_rsdp);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_string_equal(bi.cmdline, "");
}

static void
test_mb2_malformed(void **state)
{
	/* A tag that claims more bytes than the structure holds ends the walk. */
	mb2_begin();
	mb2_string(1, "first");
	uint32_t *bad = mb2_tag(2, 8);
	bad[1] = 0x10000;
	mb2_end();
	assert_int_equal(parse2(), 0);
	assert_string_equal(bi.cmdline, "first");
	assert_string_equal(bi.loader, "");

	/* A tag of size 0 would loop forever. */
	mb2_begin();
	uint32_t *zero = mb2_tag(1, 8);
	zero[1] = 0;
	mb2_end();
	assert_int_equal(parse2(), 0);

	/* An unterminated command line is cut at its tag. */
	mb2_begin();
	char *c = mb2_tag(1, 12);
	memcpy(c + 8, "abcd", 4);
	mb2_string(2, "loader");
	mb2_end();
	assert_int_equal(parse2(), 0);
	assert_string_equal(bi.cmdline, "abcd");

	/* A memory map with entries smaller than the standard ones. */
	mb2_begin();
	uint32_t *mm = mb2_tag(6, 16 + 24);
	mm[2] = 8;
	mb2_end();
	assert_int_equal(parse2(), 0);
	assert_int_equal(bi.nmem, 0);

	/* Total size below the minimum, outside memory, or a bad magic. */
	mb2_begin();
	((uint32_t *)phys)[0] = 8;
	assert_int_equal(parse2(), -1);
	((uint32_t *)phys)[0] = PHYS_SIZE + 8;
	assert_int_equal(parse2(), -1);
	assert_int_equal(bootinfo_parse(MB2_BOOT_MAGIC, 0x1000, map, KSTART, KEND, &bi), -1);
	assert_int_equal(bootinfo_parse(0x12345678, PHYS_BASE, map, KSTART, KEND, &bi), -1);
}

static void
test_mb2_too_many_regions(void **state)
{
	struct mmap_entry e[MAX_MEM_REGIONS + 10];

	for (unsigned i = 0; i < MAX_MEM_REGIONS + 10; i++)
		e[i] = (struct mmap_entry){ (uint64_t)i << 20, 1 << 20, 1, 0 };
	mb2_begin();
	mb2_mmap(e, MAX_MEM_REGIONS + 10);
	mb2_end();
	assert_int_equal(parse2(), 0);
	assert_int_equal(bi.nmem, MAX_MEM_REGIONS);
}

/* Multiboot1, as QEMU's -kernel gives it. */
struct mb1 {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

#define AT(off) ((uint32_t)(PHYS_BASE + (off)))

static void
test_mb1(void **state)
{
	struct mb1 *info = (struct mb1 *)phys;
	uint8_t *mm = phys + 0x200;
	uint32_t *mod = (uint32_t *)(phys + 0x400);

	memset(phys, 0, sizeof(phys));
	info->flags = (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9);
	info->cmdline = AT(0x100);
	strcpy((char *)phys + 0x100, "/tmp/build/kernel32.elf  test=memmap quiet");
	info->boot_loader_name = AT(0x180);
	strcpy((char *)phys + 0x180, "qemu");
	/* Two entries of 20 bytes plus their 4-byte size field. */
	for (int i = 0; i < 2; i++) {
		uint32_t size = 20, type = i ? 1 : 2;
		uint64_t base = i ? 0x100000 : 0xF0000, len = i ? 0x1000000 : 0x10000;

		memcpy(mm + i * 24, &size, 4);
		memcpy(mm + i * 24 + 4, &base, 8);
		memcpy(mm + i * 24 + 12, &len, 8);
		memcpy(mm + i * 24 + 20, &type, 4);
	}
	info->mmap_addr = AT(0x200);
	info->mmap_length = 48;
	info->mods_count = 1;
	info->mods_addr = AT(0x400);
	mod[0] = 0x300000;
	mod[1] = 0x301000;
	mod[2] = AT(0x480);
	strcpy((char *)phys + 0x480, "initrd.cpio root=x");

	assert_int_equal(bootinfo_parse(MB1_BOOT_MAGIC, PHYS_BASE, map, KSTART, KEND, &bi), 0);
	assert_int_equal(bi.protocol, 1);
	assert_string_equal(bi.cmdline, "test=memmap quiet");
	assert_string_equal(bi.loader, "qemu");
	assert_int_equal(bi.nmem, 2);
	assert_int_equal(bi.mem[0].type, MEM_RESERVED);
	assert_int_equal(bootinfo_usable_bytes(&bi), 0x1000000);
	assert_int_equal(bi.nmodules, 1);
	assert_string_equal(bi.modules[0].name, "initrd.cpio root=x");
	assert_true(bi.vga_text);

	/* A memory map that points outside memory is ignored, not followed. */
	info->mmap_addr = 0x90000000;
	assert_int_equal(bootinfo_parse(MB1_BOOT_MAGIC, PHYS_BASE, map, KSTART, KEND, &bi), 0);
	assert_int_equal(bi.nmem, 0);
	/* A command line that never ends is cut to CMDLINE_MAX. */
	memset(phys + 0x100, 'a', 0x1000);
	info->flags = 1 << 2;
	assert_int_equal(bootinfo_parse(MB1_BOOT_MAGIC, PHYS_BASE, map, KSTART, KEND, &bi), 0);
	assert_int_equal(strlen(bi.cmdline), 0);	/* one word: the image path */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mb2_bios_boot),
		cmocka_unit_test(test_mb2_uefi_boot),
		cmocka_unit_test(test_mb2_malformed),
		cmocka_unit_test(test_mb2_too_many_regions),
		cmocka_unit_test(test_mb1),
	};

	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
