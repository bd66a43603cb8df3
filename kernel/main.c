/*
 * kmain: the first C code, entered from boot.S in the higher half. It
 * brings up the console and reads the boot information; every subsystem
 * after that starts itself from the init tables (init.h), and what the
 * kernel then does (a self-test, the first user program) is a boot
 * action the command line names. With none, the kernel monitor runs.
 */
#include <stdint.h>
#include <kstring.h>
#include <acpi.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <init.h>
#include <kprintf.h>
#include <layout.h>
#include <monitor.h>
#include <param.h>
#include <vga.h>

int boot_argc;
char *boot_argv[CMDLINE_ARGS];
static char argbuf[CMDLINE_MAX];

extern const char __kernel_end[];
extern const struct initcall __initcalls_start[], __initcalls_end[];
extern const struct boot_action __boot_actions_start[], __boot_actions_end[];

/* The boot tables map physical 0..4 GiB; boot information lies below that. */
static const void *
boot_map(uint64_t pa, uint64_t len)
{
	if (pa + len < pa || pa + len > HHDM_BOOT_SIZE)
		return NULL;
	return phys_to_virt(pa);
}

static void
print_banner(int parsed)
{
	const struct bootinfo *bi = &boot_info;

	console_set_attr(VGA_ATTR(VGA_LIGHT_CYAN, VGA_BLACK));
	kprintf("NexaOS %s (x86_64)\n", NEXA_VERSION);
	console_set_attr(VGA_DEFAULT_ATTR);
	if (parsed < 0) {
		kprintf("boot: not started by a Multiboot loader; serial console only\n");
		return;
	}
	kprintf("boot: loader \"%s\" (multiboot%d)\n", bi->loader, bi->protocol);
	kprintf("boot: cmdline \"%s\"\n", bi->cmdline);
	unsigned usable = 0;
	for (unsigned i = 0; i < bi->nmem; i++)
		usable += bi->mem[i].type == MEM_USABLE;
	kprintf("boot: memory %lu KiB usable in %u regions\n",
		bootinfo_usable_bytes(bi) / 1024, usable);
	if (bi->nmem == 0)
		kprintf("boot: warning: no memory map from the boot loader\n");
	if (bi->vga_text)
		kprintf("boot: video VGA text %dx%d\n", VGA_COLS, VGA_ROWS);
	else if (bi->has_fb)
		kprintf("boot: video framebuffer %ux%ux%u at 0x%lx\n",
			bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.addr);
	else
		kprintf("boot: video none\n");
}

static void
split_cmdline(void)
{
	strlcpy(argbuf, boot_info.cmdline, sizeof(argbuf));
	boot_argc = cmdline_split(argbuf, boot_argv, CMDLINE_ARGS);
	if (boot_argc < 0) {
		kprintf("boot: more than %d words on the command line; ignored\n",
			CMDLINE_ARGS);
		boot_argc = 0;
	}
}

void
initcalls_run(void)
{
	bool trace = cmdline_debug(boot_argc, boot_argv, "boot");

	for (const struct initcall *c = __initcalls_start; c < __initcalls_end; c++) {
		if (trace)	/* the last step named is the one a PC hangs in */
			kprintf("boot: step %s\n", c->name);
		c->fn();
	}
}

void
boot_actions_run(void)
{
	for (const struct boot_action *a = __boot_actions_start; a < __boot_actions_end; a++) {
		const char *value = cmdline_value(boot_argc, boot_argv, a->key);

		if (value)
			a->run(value);
	}
}

void
kmain(uint32_t magic, uint64_t info_pa)
{
	int parsed = bootinfo_parse(magic, info_pa, boot_map, KERNEL_PHYS,
				    kimg_to_phys(__kernel_end), &boot_info);

	console_init(parsed == 0 && boot_info.vga_text);
	print_banner(parsed);
	if (acpi_init(&boot_info) < 0)
		kprintf("acpi: no usable tables; power-off uses known ports only\n");
	split_cmdline();
	initcalls_run();
	boot_actions_run();
	monitor_run();
}
