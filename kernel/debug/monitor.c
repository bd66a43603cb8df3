/* The kernel monitor. Add a command: write mon_NAME and add it to commands[]. */
#include <string.h>
#include <backtrace.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <kprintf.h>
#include <monitor.h>
#include <param.h>
#include <power.h>
#if STAGE >= 3
#include <kmalloc.h>
#include <pmm.h>
#include <vmm.h>
#endif

struct command {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

static int mon_help(int argc, char **argv);
static int mon_kerninfo(int argc, char **argv);
static int mon_backtrace(int argc, char **argv);
static int mon_memmap(int argc, char **argv);
static int mon_poweroff(int argc, char **argv);
#if STAGE >= 3
static int mon_free(int argc, char **argv);
static int mon_translate(int argc, char **argv);
#endif

static const struct command commands[] = {
	{ "help", "list the commands", mon_help },
	{ "kerninfo", "show the kernel's sections and size", mon_kerninfo },
	{ "backtrace", "print a stack backtrace", mon_backtrace },
	{ "memmap", "show the memory map from the boot loader", mon_memmap },
#if STAGE >= 3
	{ "free", "show free physical memory and the kernel heap", mon_free },
	{ "translate", "walk the page tables for a virtual address: translate VA", mon_translate },
#endif
	{ "poweroff", "turn the machine off", mon_poweroff },
};

static int
mon_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		kprintf("%s - %s\n", commands[i].name, commands[i].help);
	return 0;
}

static int
mon_poweroff(int argc, char **argv)
{
	(void)argc, (void)argv;
	power_off(POWER_OK);
}

/* Linker-script symbols: section bounds, not variables. */
extern const char __text_start[], __text_end[], __rodata_start[],
	__rodata_end[], __data_start[], __data_end[], __bss_start[],
	__bss_end[], __kernel_end[];

#if SOL >= 1
static void
print_section(const char *name, const char *start, const char *end)
{
	uint64_t s = (uint64_t)start, e = (uint64_t)end;

	kprintf("  %-8s 0x%016lx-0x%016lx %lu KiB\n", name, s, e,
		(e - s + 1023) / 1024);
}

static int
mon_kerninfo(int argc, char **argv)
{
	(void)argc, (void)argv;
	kprintf("Kernel sections:\n");
	print_section(".text", __text_start, __text_end);
	print_section(".rodata", __rodata_start, __rodata_end);
	print_section(".data", __data_start, __data_end);
	print_section(".bss", __bss_start, __bss_end);
	kprintf("Kernel image: physical 0x%lx-0x%lx, %lu KiB in memory\n",
		boot_info.reserved[0].start, boot_info.reserved[0].end,
		(boot_info.reserved[0].end - boot_info.reserved[0].start + 1023) / 1024);
	return 0;
}

static int
mon_backtrace(int argc, char **argv)
{
	(void)argc, (void)argv;
	backtrace_print();
	return 0;
}

void
memmap_print(const char *prefix)
{
	const struct bootinfo *bi = &boot_info;

	for (unsigned i = 0; i < bi->nmem; i++)
		kprintf("%s0x%016lx-0x%016lx %s\n", prefix, bi->mem[i].base,
			bi->mem[i].base + bi->mem[i].len - 1,
			mem_type_name(bi->mem[i].type));
	for (unsigned i = 0; i < bi->nreserved; i++)
		kprintf("%s%s 0x%016lx-0x%016lx\n", prefix, bi->reserved[i].what,
			bi->reserved[i].start, bi->reserved[i].end - 1);
	kprintf("%stotal usable %lu KiB\n", prefix,
		bootinfo_usable_bytes(bi) / 1024);
}
#else
static int
mon_kerninfo(int argc, char **argv)
{
	/* LAB 1: your code here. Print each section's bounds and size. */
	(void)argc, (void)argv;
	kprintf("kerninfo: not implemented\n");
	return 0;
}

static int
mon_backtrace(int argc, char **argv)
{
	/* LAB 1: your code here. */
	(void)argc, (void)argv;
	kprintf("backtrace: not implemented\n");
	return 0;
}

void
memmap_print(const char *prefix)
{
	/* LAB 1: your code here. One line per region, then the reservations. */
	kprintf("%snot implemented\n", prefix);
}
#endif

#if STAGE >= 3
static int
mon_free(int argc, char **argv)
{
	struct kmalloc_stats st;

	(void)argc, (void)argv;
	kprintf("frames: %lu free of %lu (%lu KiB free)\n", pmm_free_frames(),
		pmm_managed_frames(), pmm_free_frames() * 4);
	kprintf("free blocks by order:");
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		kprintf(" %lu", pmm_free_blocks(o));
	kprintf("\n");
	kmalloc_stats(&st);
	kprintf("heap: %lu bytes in use\n", kmalloc_in_use());
	for (int c = 0; c < KMALLOC_CLASSES; c++)
		if (st.slabs[c])
			kprintf("  %4zu-byte objects: %lu in use (%lu bytes), %lu slabs\n",
				kmalloc_class_size(c), st.objects[c], st.bytes[c], st.slabs[c]);
	kprintf("  large: %lu in use (%lu bytes)\n", st.large_objects, st.large_bytes);
	return 0;
}

/* Parses a hexadecimal number with or without 0x; false if it is not one. */
static bool
parse_hex(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return false;
	for (*v = 0; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (d < 0 || *v >> 60)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

static int
mon_translate(int argc, char **argv)
{
	uint64_t va;

	if (argc != 2 || !parse_hex(argv[1], &va)) {
		kprintf("usage: translate VA (hexadecimal)\n");
		return -1;
	}
	if (!vmm_kernel_pml4()) {
		kprintf("translate: still on the boot page tables\n");
		return -1;
	}
	vmm_print_walk(vmm_kernel_pml4(), va);
	return 0;
}
#endif

static int
mon_memmap(int argc, char **argv)
{
	(void)argc, (void)argv;
	memmap_print("");
	return 0;
}

__noreturn void
monitor_run(void)
{
	char line[CONSOLE_LINE_MAX];
	char *argv[MONITOR_ARGS];

	kprintf("Welcome to the NexaOS kernel monitor.\n");
	kprintf("Type 'help' for a list of commands.\n");
	for (;;) {
		if (console_readline("K> ", line, sizeof(line)) < 0)
			continue;
		int argc = cmdline_split(line, argv, MONITOR_ARGS);
		if (argc < 0) {
			kprintf("Too many arguments (max %d)\n", MONITOR_ARGS);
			continue;
		}
		if (argc == 0)
			continue;
		size_t i;
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (!strcmp(argv[0], commands[i].name))
				break;
		if (i == ARRAY_SIZE(commands))
			kprintf("Unknown command '%s'\n", argv[0]);
		else
			commands[i].fn(argc, argv);
	}
}
