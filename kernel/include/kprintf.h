/* Formatted output: printfmt (pure formatting), kprintf (to the console). */
#ifndef NEXA_KPRINTF_H
#define NEXA_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))

/*
 * Format like printf, sending every output character to put(c, ctx).
 * Conversions: d i u x X o p s c %; flags - 0 + space #; width and
 * precision (also *); length hh h l ll z j t. Returns the characters output.
 */
int vprintfmt(void (*put)(char c, void *ctx), void *ctx, const char *fmt,
	      va_list ap);

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

int vkprintf(const char *fmt, va_list ap);
int kprintf(const char *fmt, ...) __printf(1, 2);

#endif
