/* Power-off: emulator exit ports first, then ACPI S5, then known ports. */
#include <acpi.h>
#include <console.h>
#include <kprintf.h>
#include <power.h>
#include <serial.h>
#include <arch/cpu.h>
#include <arch/io.h>

#define QEMU_DEBUG_EXIT	0xF4	/* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN	0x8900	/* write the string "Shutdown" */
#define QEMU_PM1A_CNT	0x604	/* PIIX4/ICH9 PM1a control on QEMU */
#define BOCHS_PM1A_CNT	0xB004	/* Bochs BIOS and QEMU pc with OVMF */
#define PM1_S5_DEFAULT	0x2000	/* SLP_EN with SLP_TYP 0 */
#define POWER_OFF_WAIT	1000000	/* port writes, about 1 µs each on a PC */

__noreturn void
power_halt(enum power_code code)
{
	serial_flush();
	outb(QEMU_DEBUG_EXIT, code);
	cpu_stop();
}

__noreturn void
power_off(enum power_code code)
{
	kprintf("nexaos: power off\n");
	/* Bochs and some UARTs drop bytes still in the shift register. */
	serial_flush();
	outb(QEMU_DEBUG_EXIT, code);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN, *s);
	acpi_power_off();
	outw(QEMU_PM1A_CNT, PM1_S5_DEFAULT);
	outw(BOCHS_PM1A_CNT, PM1_S5_DEFAULT);
	/* Power goes away a moment after the write: do not report failure early. */
	for (int i = 0; i < POWER_OFF_WAIT; i++)
		io_wait();
	kprintf("nexaos: power-off failed; it is now safe to turn off the machine\n");
	cpu_stop();
}

#define KBC_CMD		0x64	/* the 8042 keyboard controller */
#define KBC_RESET	0xFE	/* pulse the CPU's reset line */

__noreturn void
power_reboot(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) none = { 0, 0 };

	kprintf("nexaos: restart\n");
	serial_flush();
	outb(KBC_CMD, KBC_RESET);
	for (int i = 0; i < POWER_OFF_WAIT; i++)
		io_wait();
	/* No controller: an empty IDT turns the next interrupt into a triple fault. */
	__asm__ volatile("lidt %0; int3" : : "m"(none));
	cpu_stop();
}
