/* printfmt: every conversion, flag and length, and ksnprintf's truncation. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <kprintf.h>

static char buf[256];

#define FMT(want, ...) do {						\
		int n = ksnprintf(buf, sizeof(buf), __VA_ARGS__);	\
		assert_string_equal(buf, want);				\
		assert_int_equal(n, strlen(want));			\
	} while (0)

static void
test_integers(void **state)
{
	FMT("0", "%d", 0);
	FMT("42 -42", "%d %i", 42, -42);
	FMT("-2147483648", "%d", INT_MIN);
	FMT("2147483647", "%d", INT_MAX);
	FMT("4294967295", "%u", UINT_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("18446744073709551615", "%lu", ULONG_MAX);
	FMT("-9223372036854775808", "%lld", LLONG_MIN);
	FMT("12345", "%zu", (size_t)12345);
	FMT("-1", "%zd", (ptrdiff_t)-1);
	FMT("-7", "%td", (ptrdiff_t)-7);
	FMT("255", "%ju", (uintmax_t)255);
	FMT("-128 255", "%hhd %hhu", -128, 255);
	FMT("-1 65535", "%hd %hu", 65535, 65535);
}

static void
test_bases(void **state)
{
	FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	FMT("ffffffff80000000", "%lx", 0xffffffff80000000UL);
	FMT("17", "%o", 15);
	FMT("0xff 017 0", "%#x %#o %#x", 255, 15, 0);
	FMT("0xffffffff80100000", "%p", (void *)0xffffffff80100000UL);
}

static void
test_width_and_flags(void **state)
{
	FMT("   42", "%5d", 42);
	FMT("42   |", "%-5d|", 42);
	FMT("-0042", "%05d", -42);
	FMT("0000beef", "%08x", 0xbeef);
	FMT("+5 -5", "%+d %+d", 5, -5);
	FMT(" 5", "% d", 5);
	FMT("ab    |", "%-6x|", 0xab);
	FMT("  z|", "%3c|", 'z');
	FMT("   42", "%*d", 5, 42);
	FMT("42   |", "%*d|", -5, 42);
	FMT("00042", "%.5d", 42);
	FMT("  042", "%5.3d", 42);
	/* Sign flags belong to signed conversions only (GCC warns, rightly). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	FMT("5", "%+u", 5u);
	FMT("ff", "% x", 0xffu);
#pragma GCC diagnostic pop
}

static void
test_strings_and_chars(void **state)
{
	const char *volatile null = NULL;

	FMT("hello", "%s", "hello");
	FMT("     right|", "%10s|", "right");
	FMT("left      |", "%-10s|", "left");
	FMT("abc", "%.3s", "abcdef");
	FMT("ab", "%.*s", 2, "abcdef");
	FMT("(null)", "%s", null);
	FMT("abc", "%c%c%c", 'a', 'b', 'c');
	FMT("100%", "100%%");
	FMT("", "%s", "");
}

static void
test_truncation(void **state)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	assert_int_equal(ksnprintf(small, sizeof(small), "%s", "0123456789"), 10);
	assert_string_equal(small, "0123456");
	assert_int_equal(ksnprintf(small, 1, "abc"), 3);
	assert_string_equal(small, "");
	small[0] = 'q';
	assert_int_equal(ksnprintf(small, 0, "abc%d", 12), 5);
	assert_int_equal(small[0], 'q');	/* size 0 writes nothing */
	assert_int_equal(ksnprintf(NULL, 0, "%d", -12345), 6);
}

static void
count_put(char c, void *ctx)
{
	(*(int *)ctx)++;
}

static int
count(const char *fmt, ...)
{
	va_list ap;
	int n = 0, r;

	va_start(ap, fmt);
	r = vprintfmt(count_put, &n, fmt, ap);
	va_end(ap);
	assert_int_equal(r, n);
	return n;
}

static void
test_vprintfmt_counts(void **state)
{
	assert_int_equal(count("%d|%s|%-4c|", 123, "xy", 'z'), 12);
	assert_int_equal(count("%020lu", 1UL), 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_bases),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_vprintfmt_counts),
	};

	return cmocka_run_group_tests_name("printfmt", tests, NULL, NULL);
}
