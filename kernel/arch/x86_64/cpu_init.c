/*
 * The boot step of lab 2: segments, the IDT, the PIC and the timer, then
 * interrupts on. Console input switches to IRQs only once the timer is
 * seen ticking, so a kernel whose interrupts do not work yet still has a
 * polled console.
 */
#include <bootinfo.h>
#include <clock.h>
#include <cmdline.h>
#include <console.h>
#include <init.h>
#include <irq.h>
#include <keyboard.h>
#include <kprintf.h>
#include <serial.h>
#include <timer.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/idt.h>

#define NO_TICK_NS	100000000UL	/* 100 ms without a tick: no timer interrupts */

static void
print_time(void)
{
	struct rtc_time t;

	rtc_read(&t);
	kprintf("boot: time %04d-%02d-%02d %02d:%02d:%02d UTC\n", t.year, t.month,
		t.day, t.hour, t.minute, t.second);
}

static void
interrupts_init(void)
{
	print_time();
	gdt_init();
	idt_init();
	pic_init();
	timer_init(cmdline_uint(boot_argc, boot_argv, "hz", HZ_DEFAULT));
	uint64_t khz = tsc_calibrate();
	cpu_sti();
	for (long spins = 0; !timer_ticks() && spins < 50000000; spins++)
		if (khz && clock_ns() > NO_TICK_NS)
			break;
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
INITCALL(INIT_CPU, interrupts_init);
