/*
 * The host's panic: host.c records the message and, inside
 * expect_panic(), jumps back to the test instead of stopping.
 */
#ifndef NEXA_PANIC_H
#define NEXA_PANIC_H

#include <setjmp.h>

#define panic(...) panic_at(__func__, __FILE__, __LINE__, __VA_ARGS__)
#define assert(x) \
	do { if (!(x)) panic("assertion failed: %s", #x); } while (0)

__attribute__((noreturn, format(printf, 4, 5)))
void panic_at(const char *func, const char *file, int line, const char *fmt, ...);

extern jmp_buf host_panic_env;
extern int host_panic_armed;
extern char host_panic_msg[256];

/* Runs stmt, which must panic with a message that contains text. */
#define expect_panic(stmt, text) do {					\
		if (setjmp(host_panic_env) == 0) {			\
			host_panic_armed = 1;				\
			stmt;						\
			host_panic_armed = 0;				\
			fail_msg("%s did not panic", #stmt);		\
		}							\
		host_panic_armed = 0;					\
		if (!strstr(host_panic_msg, (text)))			\
			fail_msg("panic \"%s\" lacks \"%s\"", host_panic_msg, (text)); \
	} while (0)

#endif
