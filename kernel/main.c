/* kmain: the first C code, entered from boot.S in the higher half. */
#include <stdint.h>
#include <string.h>
#include <acpi.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <kprintf.h>
#include <ktest.h>
#include <layout.h>
#include <monitor.h>
#include <param.h>
#include <power.h>
#include <serial.h>
#include <vga.h>
#include <arch/cpu.h>
#if STAGE >= 2
#include <clock.h>
#include <gdt.h>
#include <idt.h>
#include <irq.h>
#include <keyboard.h>
#include <timer.h>
#endif
#if STAGE >= 3
#include <kmalloc.h>
#include <pmm.h>
#include <vmm.h>
#endif
#if STAGE >= 4
#include <errno.h>
#include <initrd.h>
#include <proc.h>
#include <sched.h>
#endif

int boot_argc;
char *boot_argv[CMDLINE_ARGS];
static char argbuf[CMDLINE_MAX];

extern const char __kernel_end[];

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
		kprintf("boot: video framebuffer %ux%ux%u at 0x%lx (no text console)\n",
			bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.addr);
	else
		kprintf("boot: video none\n");
}

#if STAGE >= 2
static void
print_time(void)
{
	struct rtc_time t;

	rtc_read(&t);
	kprintf("boot: time %04d-%02d-%02d %02d:%02d:%02d UTC\n", t.year, t.month,
		t.day, t.hour, t.minute, t.second);
}

/* Parses an unsigned decimal number; def when s is NULL or not a number. */
static unsigned
parse_uint(const char *s, unsigned def)
{
	unsigned v = 0;

	if (!s || !*s)
		return def;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return def;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/*
 * IDT, PIC, timer; then interrupts on. Console input switches to IRQs
 * only once the timer is seen ticking, so a kernel whose interrupts do
 * not work yet still has a polled console.
 */
static void
interrupts_init(void)
{
	gdt_init();
	idt_init();
	pic_init();
	timer_init(parse_uint(cmdline_value(boot_argc, boot_argv, "hz"), HZ_DEFAULT));
	uint64_t khz = tsc_calibrate();
	cpu_sti();
	for (long spins = 0; !timer_ticks() && spins < 50000000; spins++)
		if (khz && clock_ns() > 100000000)
			break;		/* 100 ms without a tick */
	if (!timer_ticks()) {
		kprintf("boot: no timer interrupts; console input stays polled\n");
		return;
	}
	serial_irq_init();
	if (keyboard_init() < 0)
		kprintf("boot: no PS/2 keyboard controller\n");
	console_input_irq_driven();
	kprintf("boot: interrupts on: timer %u Hz, TSC %lu.%03lu MHz\n",
		timer_hz(), khz / 1000, khz % 1000);
}
#endif

#if STAGE >= 3
/* Frame allocator, the kernel's own page tables, the heap. */
static void
memory_init(void)
{
	const char *mode = cmdline_value(boot_argc, boot_argv, "kmalloc");
	bool debug = mode && !strcmp(mode, "debug");

	pmm_init(&boot_info);
	int paged = vmm_init();
	kmalloc_init(debug);
	pmm_set_poison(debug);		/* kmalloc=debug poisons freed frames too */
	kprintf("boot: memory manager: %lu of %lu frames free, %s\n",
		pmm_free_frames(), pmm_managed_frames(),
		paged < 0 ? "boot page tables" :
		vmm_nx_enabled() ? "kernel page tables, W^X with NX" :
		"kernel page tables, no NX on this CPU");
}
#endif

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

#if STAGE >= 4
/*
 * init=PATH ARGS...: the first user program, with the words after it as
 * its arguments. If it cannot start, there is nothing to run: power off
 * reporting failure (Linux panics: "No working init found").
 */
static void
start_init(const char *path)
{
	int first = 0;

	while (first < boot_argc && strncmp(boot_argv[first], "init=", 5))
		first++;
	boot_argv[first] = (char *)path;
	int pid = proc_start_init(path, boot_argv + first, boot_argc - first);
	if (pid < 0) {
		kprintf("kernel: cannot run init %s: %s\n", path, errno_name(pid));
		power_off(POWER_FAIL);
	}
	sched_idle();
}
#endif

void
kmain(uint32_t magic, uint64_t info_pa)
{
	int parsed = bootinfo_parse(magic, info_pa, boot_map, KERNEL_PHYS,
				    kimg_to_phys(__kernel_end), &boot_info);

	console_init(parsed == 0 && boot_info.vga_text);
	print_banner(parsed);
#if STAGE >= 2
	print_time();
#endif
	if (acpi_init(&boot_info) < 0)
		kprintf("acpi: no usable tables; power-off uses known ports only\n");
	split_cmdline();
#if STAGE >= 2
	interrupts_init();
#endif
#if STAGE >= 3
	memory_init();
#endif

#if STAGE >= 4
	proc_init(parse_uint(cmdline_value(boot_argc, boot_argv, "maxproc"), NPROC_DEFAULT));
	if (boot_info.nmodules)
		initrd_init(&boot_info);
#endif

	const char *test = cmdline_value(boot_argc, boot_argv, "test");
	if (test)
		power_off(ktest_run(test) ? POWER_OK : POWER_FAIL);
#if STAGE >= 4
	const char *init = cmdline_value(boot_argc, boot_argv, "init");
	if (init)
		start_init(init);
#endif
	monitor_run();
}
