/* kprintf: formatted output to the console. */
#include <console.h>
#include <kprintf.h>

static void
console_put(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

int
vkprintf(const char *fmt, va_list ap)
{
	return vprintfmt(console_put, NULL, fmt, ap);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}
