/* Kernel panic: report everything a debugger would want, then stop. */
#include <backtrace.h>
#include <console.h>
#include <panic.h>
#include <power.h>
#include <vga.h>
#include <arch/cpu.h>

static int panicking;

__noreturn void
panic_at(const char *func, const char *file, int line, const char *fmt, ...)
{
	struct cpu_regs regs;
	va_list ap;

	cpu_save_regs(&regs);
	cpu_cli();
	if (panicking++) {
		kprintf("\nKERNEL PANIC (nested) in %s (%s:%d)\nSystem halted.\n",
			func, file, line);
		power_halt(POWER_PANIC);
	}
	console_set_attr(VGA_ATTR(VGA_WHITE, VGA_RED));
	kprintf("\nKERNEL PANIC in %s (%s:%d): ", func, file, line);
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	console_set_attr(VGA_DEFAULT_ATTR);
	kprintf("\n");
	cpu_print_regs(&regs);
	backtrace_from(read_rbp());
	kprintf("System halted.\n");
	power_halt(POWER_PANIC);
}
