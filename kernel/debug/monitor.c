/*
 * The kernel monitor. Add a command: write mon_NAME and register it with
 * MONITOR_COMMAND (monitor.h), in whatever file it belongs to; the
 * memory manager adds free and translate that way.
 */
#include <kstring.h>
#include <backtrace.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <kprintf.h>
#include <monitor.h>
#include <param.h>
#include <power.h>

extern const struct monitor_command __monitor_commands_start[], __monitor_commands_end[];

static int
mon_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (const struct monitor_command *c = __monitor_commands_start;
	     c < __monitor_commands_end; c++)
		kprintf("%s - %s\n", c->name, c->help);
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


static int
mon_memmap(int argc, char **argv)
{
	(void)argc, (void)argv;
	memmap_print("");
	return 0;
}
/* help lists them in this order, then those of other files. */
MONITOR_COMMAND(help, "list the commands", mon_help);
MONITOR_COMMAND(kerninfo, "show the kernel's sections and size", mon_kerninfo);
MONITOR_COMMAND(backtrace, "print a stack backtrace", mon_backtrace);
MONITOR_COMMAND(memmap, "show the memory map from the boot loader", mon_memmap);
MONITOR_COMMAND(poweroff, "turn the machine off", mon_poweroff);

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
		const struct monitor_command *c = __monitor_commands_start;
		while (c < __monitor_commands_end && strcmp(argv[0], c->name))
			c++;
		if (c == __monitor_commands_end)
			kprintf("Unknown command '%s'\n", argv[0]);
		else
			c->fn(argc, argv);
	}
}
