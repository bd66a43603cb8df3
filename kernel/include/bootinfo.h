/*
 * What the boot loader told us, in one loader-independent structure.
 * Filled once by bootinfo_parse() from Multiboot1 or Multiboot2 data;
 * everything is copied, so the loader's memory can be reused later.
 */
#ifndef NEXA_BOOTINFO_H
#define NEXA_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <param.h>

#define MB1_BOOT_MAGIC	0x2BADB002
#define MB2_BOOT_MAGIC	0x36D76289

enum mem_type {
	MEM_USABLE = 1,		/* the numbers are the Multiboot/E820 types */
	MEM_RESERVED = 2,
	MEM_ACPI = 3,		/* ACPI tables, reclaimable after reading */
	MEM_NVS = 4,		/* ACPI non-volatile storage */
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;		/* enum mem_type */
};

/* A physical range [start, end) in use at boot. */
struct phys_range {
	uint64_t start;
	uint64_t end;
	const char *what;	/* "kernel", "bootinfo", "module", ... */
};

struct boot_module {
	uint64_t start;		/* physical, [start, end) */
	uint64_t end;
	char name[MODULE_NAME_MAX];	/* the module's command line */
};

enum fb_type { FB_INDEXED = 0, FB_RGB = 1, FB_EGA_TEXT = 2 };

/* Where each colour sits in an FB_RGB pixel: bits [pos, pos + size). */
struct fb_channel {
	uint8_t pos, size;
};

struct framebuffer {
	uint64_t addr;		/* physical */
	uint32_t pitch, width, height;
	uint8_t bpp, type;	/* enum fb_type */
	struct fb_channel red, green, blue;	/* FB_RGB only (Multiboot2) */
};

struct bootinfo {
	int protocol;			/* 1 or 2: Multiboot version */
	char loader[LOADER_NAME_MAX];	/* "" when the loader gives none */
	char cmdline[CMDLINE_MAX];	/* without the image path */
	struct mem_region mem[MAX_MEM_REGIONS];	/* sorted by base */
	unsigned nmem;
	struct phys_range reserved[MAX_RESERVED];	/* [0] is the kernel */
	unsigned nreserved;
	struct boot_module modules[MAX_MODULES];
	unsigned nmodules;
	bool has_fb;
	struct framebuffer fb;
	bool vga_text;			/* 80x25 text mode at 0xB8000 exists */
	bool efi;			/* booted by UEFI firmware */
	bool has_rsdp;
	uint8_t rsdp[36];		/* copy of the ACPI RSDP (v1: 20 bytes) */
};

/*
 * Maps a physical range of the boot information into something the
 * parser can read, or NULL when it cannot (lets the host tests and the
 * kernel share one parser, and bounds every read).
 */
typedef const void *(*bootmap_fn)(uint64_t pa, uint64_t len);

/*
 * Parses the boot information at physical info_pa. kernel_start/end is
 * the kernel image (recorded as reserved[0]). Returns 0, or -1 when
 * magic is not a Multiboot magic or the information cannot be read.
 */
int bootinfo_parse(uint32_t magic, uint64_t info_pa, bootmap_fn map,
		   uint64_t kernel_start, uint64_t kernel_end,
		   struct bootinfo *bi);

uint64_t bootinfo_usable_bytes(const struct bootinfo *bi);
const char *mem_type_name(uint32_t type);

extern struct bootinfo boot_info;

/* The kernel command line split into words (main.c). */
extern int boot_argc;
extern char *boot_argv[CMDLINE_ARGS];

#endif
