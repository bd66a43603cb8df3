/*
 * Boot information from Multiboot1 (QEMU -kernel) and Multiboot2 (GRUB).
 * Pure code, built on the host too: every read goes through map(), which
 * bounds it, so a malformed structure is refused instead of followed.
 */
#include <stddef.h>
#include <kstring.h>
#include <bootinfo.h>

struct bootinfo boot_info;

/* Multiboot1 information structure (only the fields we use). */
struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe[4];
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
} __attribute__((packed));

#define MB1_HAS_CMDLINE	(1u << 2)
#define MB1_HAS_MODS	(1u << 3)
#define MB1_HAS_MMAP	(1u << 6)
#define MB1_HAS_LOADER	(1u << 9)
#define MB1_HAS_FB	(1u << 12)

struct mb1_mmap_entry {
	uint32_t size;		/* of the rest of the entry */
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

struct mb1_module {
	uint32_t start, end, string, reserved;
};

enum mb2_tag_type {
	MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3, MB2_TAG_MMAP = 6, MB2_TAG_FB = 8,
	MB2_TAG_EFI32 = 11, MB2_TAG_EFI64 = 12, MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
	/* entries follow */
};

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t start, end;
	char name[];
};

/* GRUB's layout: a 16-bit reserved field, then the colour info. */
struct mb2_tag_fb {
	struct mb2_tag tag;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint16_t reserved;
} __attribute__((packed));

struct mb2_tag_fb_rgb {
	struct mb2_tag_fb fb;
	struct fb_channel red, green, blue;
} __attribute__((packed));

const char *
mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return "usable";
	case MEM_ACPI: return "acpi";
	case MEM_NVS: return "nvs";
	case MEM_BAD: return "bad";
	default: return "reserved";
	}
}

static void
add_reserved(struct bootinfo *bi, uint64_t start, uint64_t end,
	     const char *what)
{
	if (bi->nreserved < MAX_RESERVED && end > start)
		bi->reserved[bi->nreserved++] = (struct phys_range){ start, end, what };
}

/* Copies a NUL-terminated string of at most max bytes at physical pa. */
static void
copy_phys_string(char *dst, size_t size, uint64_t pa, bootmap_fn map)
{
	const char *s = map(pa, 1);
	size_t n = 0;

	dst[0] = '\0';
	while (s && n + 1 < size) {
		s = map(pa + n, 1);
		if (!s || !*s)
			break;
		dst[n++] = *s;
	}
	dst[n] = '\0';
}

#if SOL >= 1
static void
add_region(struct bootinfo *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (len == 0 || bi->nmem == MAX_MEM_REGIONS)
		return;
	if (type < MEM_USABLE || type > MEM_BAD)
		type = MEM_RESERVED;
	bi->mem[bi->nmem++] = (struct mem_region){ base, len, type };
}

/* Firmware maps are usually sorted, but nothing promises it. */
static void
sort_regions(struct bootinfo *bi)
{
	for (unsigned i = 1; i < bi->nmem; i++) {
		struct mem_region r = bi->mem[i];
		unsigned j = i;

		for (; j > 0 && bi->mem[j - 1].base > r.base; j--)
			bi->mem[j] = bi->mem[j - 1];
		bi->mem[j] = r;
	}
}

static void
parse_mb1_mmap(struct bootinfo *bi, const struct mb1_info *info, bootmap_fn map)
{
	uint64_t pa = info->mmap_addr, end = pa + info->mmap_length;

	while (pa + sizeof(struct mb1_mmap_entry) <= end) {
		const struct mb1_mmap_entry *e = map(pa, sizeof(*e));

		if (!e || e->size < sizeof(*e) - 4)
			break;
		add_region(bi, e->base, e->len, e->type);
		pa += e->size + 4;	/* size does not count itself */
	}
	sort_regions(bi);
}

static void
parse_mb2_mmap(struct bootinfo *bi, const struct mb2_tag_mmap *t)
{
	const uint8_t *p = (const uint8_t *)(t + 1);
	const uint8_t *end = (const uint8_t *)t + t->tag.size;

	if (t->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + sizeof(struct mb2_mmap_entry) <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		add_region(bi, e->base, e->len, e->type);
	}
	sort_regions(bi);
}
#else
static void
parse_mb1_mmap(struct bootinfo *bi, const struct mb1_info *info, bootmap_fn map)
{
	/* LAB 1: your code here. Fill bi->mem from the Multiboot1 mmap. */
	(void)bi, (void)info, (void)map;
}

static void
parse_mb2_mmap(struct bootinfo *bi, const struct mb2_tag_mmap *t)
{
	/* LAB 1: your code here. Fill bi->mem from the Multiboot2 mmap tag. */
	(void)bi, (void)t;
}
#endif

static void
set_framebuffer(struct bootinfo *bi, uint64_t addr, uint32_t pitch,
		uint32_t width, uint32_t height, uint8_t bpp, uint8_t type)
{
	bi->has_fb = true;
	bi->fb = (struct framebuffer){ .addr = addr, .pitch = pitch, .width = width,
				       .height = height, .bpp = bpp, .type = type };
}

/* Drops the first word (the kernel image's path) of a Multiboot1 command line. */
static void
strip_image_path(char *cmdline)
{
	char *p = cmdline;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	memmove(cmdline, p, strlen(p) + 1);
}

static int
parse_mb1(struct bootinfo *bi, uint64_t info_pa, bootmap_fn map)
{
	const struct mb1_info *info = map(info_pa, sizeof(*info));

	if (!info)
		return -1;
	bi->protocol = 1;
	add_reserved(bi, info_pa, info_pa + sizeof(*info), "bootinfo");
	if (info->flags & MB1_HAS_LOADER)
		copy_phys_string(bi->loader, sizeof(bi->loader),
				 info->boot_loader_name, map);
	if (info->flags & MB1_HAS_CMDLINE) {
		copy_phys_string(bi->cmdline, sizeof(bi->cmdline), info->cmdline, map);
		strip_image_path(bi->cmdline);
	}
	if (info->flags & MB1_HAS_MMAP)
		parse_mb1_mmap(bi, info, map);
	if (info->flags & MB1_HAS_MODS) {
		for (uint32_t i = 0; i < info->mods_count && bi->nmodules < MAX_MODULES; i++) {
			const struct mb1_module *m =
				map(info->mods_addr + i * sizeof(*m), sizeof(*m));
			struct boot_module *bm = &bi->modules[bi->nmodules];

			if (!m || m->end < m->start)
				break;
			bm->start = m->start;
			bm->end = m->end;
			copy_phys_string(bm->name, sizeof(bm->name), m->string, map);
			add_reserved(bi, m->start, m->end, "module");
			bi->nmodules++;
		}
	}
	if (info->flags & MB1_HAS_FB)
		set_framebuffer(bi, info->fb_addr, info->fb_pitch, info->fb_width,
				info->fb_height, info->fb_bpp, info->fb_type);
	/* A Multiboot1 loader runs on BIOS: text mode unless it set graphics. */
	bi->vga_text = !bi->has_fb || bi->fb.type == FB_EGA_TEXT;
	return 0;
}

/* Copies a string of at most srcmax bytes (maybe unterminated), cut to fit. */
static void
copy_string(char *dst, size_t size, const char *src, size_t srcmax)
{
	size_t n = strnlen(src, srcmax);

	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
parse_mb2_tag(struct bootinfo *bi, const struct mb2_tag *t)
{
	const char *str = (const char *)(t + 1);
	size_t strmax = t->size - sizeof(*t);

	switch (t->type) {
	case MB2_TAG_CMDLINE:
		copy_string(bi->cmdline, sizeof(bi->cmdline), str, strmax);
		break;
	case MB2_TAG_LOADER:
		copy_string(bi->loader, sizeof(bi->loader), str, strmax);
		break;
	case MB2_TAG_MODULE: {
		const struct mb2_tag_module *m = (const void *)t;
		struct boot_module *bm = &bi->modules[bi->nmodules];

		if (t->size < sizeof(*m) || m->end < m->start ||
		    bi->nmodules == MAX_MODULES)
			break;
		bm->start = m->start;
		bm->end = m->end;
		copy_string(bm->name, sizeof(bm->name), m->name,
			    t->size - sizeof(*m));
		add_reserved(bi, m->start, m->end, "module");
		bi->nmodules++;
		break;
	}
	case MB2_TAG_MMAP:
		if (t->size >= sizeof(struct mb2_tag_mmap))
			parse_mb2_mmap(bi, (const void *)t);
		break;
	case MB2_TAG_FB: {
		const struct mb2_tag_fb *f = (const void *)t;

		if (t->size >= sizeof(*f))
			set_framebuffer(bi, f->addr, f->pitch, f->width, f->height,
					f->bpp, f->type);
		if (t->size >= sizeof(struct mb2_tag_fb_rgb) && f->type == FB_RGB) {
			const struct mb2_tag_fb_rgb *rgb = (const void *)t;

			bi->fb.red = rgb->red;
			bi->fb.green = rgb->green;
			bi->fb.blue = rgb->blue;
		}
		break;
	}
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
		bi->efi = true;
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (!bi->has_rsdp || t->type == MB2_TAG_ACPI_NEW) {
			size_t n = strmax < sizeof(bi->rsdp) ? strmax : sizeof(bi->rsdp);

			memset(bi->rsdp, 0, sizeof(bi->rsdp));
			memcpy(bi->rsdp, str, n);
			bi->has_rsdp = true;
		}
		break;
	}
}

static int
parse_mb2(struct bootinfo *bi, uint64_t info_pa, bootmap_fn map)
{
	const uint32_t *hdr = map(info_pa, 8);
	uint32_t total;
	const uint8_t *base;

	if (!hdr || hdr[0] < 16)
		return -1;
	total = hdr[0];
	base = map(info_pa, total);
	if (!base)
		return -1;
	bi->protocol = 2;
	add_reserved(bi, info_pa, info_pa + total, "bootinfo");
	for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *t = (const void *)(base + off);

		if (t->type == MB2_TAG_END || t->size < sizeof(*t) ||
		    t->size > total - off)
			break;
		parse_mb2_tag(bi, t);
		off += (t->size + 7) & ~7u;
	}
	/* No framebuffer tag on BIOS means text mode; UEFI has none. */
	if (bi->has_fb)
		bi->vga_text = bi->fb.type == FB_EGA_TEXT;
	else
		bi->vga_text = !bi->efi;
	return 0;
}

int
bootinfo_parse(uint32_t magic, uint64_t info_pa, bootmap_fn map,
	       uint64_t kernel_start, uint64_t kernel_end, struct bootinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
	add_reserved(bi, kernel_start, kernel_end, "kernel");
	if (magic == MB1_BOOT_MAGIC)
		return parse_mb1(bi, info_pa, map);
	if (magic == MB2_BOOT_MAGIC)
		return parse_mb2(bi, info_pa, map);
	return -1;
}

uint64_t
bootinfo_usable_bytes(const struct bootinfo *bi)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == MEM_USABLE)
			total += bi->mem[i].len;
	return total;
}
