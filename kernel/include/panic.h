/* panic: for the kernel's own bugs only, never for bad input. */
#ifndef NEXA_PANIC_H
#define NEXA_PANIC_H

#include <compiler.h>
#include <kprintf.h>

#define panic(...) panic_at(__func__, __FILE__, __LINE__, __VA_ARGS__)
#define assert(x) \
	do { if (!(x)) panic("assertion failed: %s", #x); } while (0)

/* Prints the message, the registers and a backtrace, then stops the machine. */
__noreturn void panic_at(const char *func, const char *file, int line,
			 const char *fmt, ...) __printf(4, 5);

#endif
