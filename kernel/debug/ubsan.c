/*
 * The runtime of the undefined-behaviour sanitizer, for kernels built
 * with `make SAN=1` (-fsanitize=undefined): each check the compiler
 * inserts calls one of these handlers, which reports the source location
 * and a backtrace, then lets the kernel go on, as Linux's UBSAN does.
 * Only the first report of each location is printed.
 */
#include <stdint.h>
#include <backtrace.h>
#include <compiler.h>
#include <kprintf.h>

struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

/* The handlers' data all start with the location. */
struct ubsan_data {
	struct source_location loc;
};

static void
report(void *data, const char *what)
{
	struct source_location *loc = &((struct ubsan_data *)data)->loc;

	/* Report each place once: mark it by setting the column's top bit. */
	if (loc->column & 0x80000000u)
		return;
	loc->column |= 0x80000000u;
	kprintf("UBSAN: %s at %s:%u:%u\n", what, loc->file, loc->line,
		loc->column & 0x7FFFFFFFu);
	backtrace_print();
}

#define HANDLER(name, what)				\
	void __ubsan_handle_##name(void *data);		\
	void __ubsan_handle_##name(void *data)		\
	{						\
		report(data, what);			\
	}

HANDLER(type_mismatch_v1, "misaligned or null pointer use, or object too small")
HANDLER(add_overflow, "signed addition overflow")
HANDLER(sub_overflow, "signed subtraction overflow")
HANDLER(mul_overflow, "signed multiplication overflow")
HANDLER(negate_overflow, "signed negation overflow")
HANDLER(divrem_overflow, "division by zero or INT_MIN / -1")
HANDLER(shift_out_of_bounds, "shift out of bounds")
HANDLER(out_of_bounds, "array index out of bounds")
HANDLER(load_invalid_value, "load of an invalid value (bool or enum)")
HANDLER(pointer_overflow, "pointer arithmetic overflow")
HANDLER(nonnull_arg, "null passed as a nonnull argument")
HANDLER(nonnull_return_v1, "null returned from a returns_nonnull function")
HANDLER(vla_bound_not_positive, "variable-length array bound not positive")
HANDLER(invalid_builtin, "invalid argument to a builtin (ctz/clz of 0)")
HANDLER(builtin_unreachable, "__builtin_unreachable() reached")
HANDLER(missing_return, "end of a non-void function reached without return")
