/* ktest printf: format cases that the lab-1 grader recomputes on its own. */
#include <stdint.h>
#include <kprintf.h>
#include <ktest.h>

#define CASE(...) do {						\
		ksnprintf(buf, sizeof(buf), __VA_ARGS__);	\
		kprintf("printf: \"%s\"\n", buf);		\
	} while (0)

KTEST(printf)
{
	char buf[128];
	const char *volatile null_str = NULL;	/* unknown to the compiler */

	CASE("%d", 0);
	CASE("%d", 42);
	CASE("%d", -42);
	CASE("%i", 2147483647);
	CASE("%d", (int)-2147483648LL);
	CASE("%u", 4294967295u);
	CASE("%x", 0xdeadbeefu);
	CASE("%X", 0xdeadbeefu);
	CASE("%5d", 42);
	CASE("%-5d|", 42);
	CASE("%05d", -42);
	CASE("%s", "hello");
	CASE("%10s|", "right");
	CASE("%-10s|", "left");
	CASE("%s", null_str);
	CASE("%c%c%c", 'a', 'b', 'c');
	CASE("100%%");
	CASE("%ld", INT64_MIN);
	CASE("%lu", UINT64_MAX);
	CASE("%llx", 0x123456789abcdef0ULL);
	CASE("%zu", (size_t)12345);
	CASE("%lx", 0xffffffff80000000UL);
	CASE("%p", (void *)0xffffffff80100000UL);
	CASE("%p", (void *)0);
	CASE("%08x", 0xbeef);
	CASE("%.3s", "abcdef");
	CASE("%#x", 255);
	CASE("%+d", 5);
	CASE("% d", 5);
	CASE("%-6x|", 0xab);
	CASE("%3c|", 'z');
}
