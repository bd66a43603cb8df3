/* ktests of the debugging aids: backtrace, panic, memory map. */
#include <backtrace.h>
#include <kprintf.h>
#include <ktest.h>
#include <monitor.h>
#include <panic.h>

/* Each level adds to the result so that no call can become a jump. */
__noinline int
backtrace_test_leaf(int x)
{
	backtrace_print();
	return x + 1;
}

__noinline int
backtrace_test_middle(int x)
{
	return backtrace_test_leaf(x + 1) + 1;
}

__noinline int
backtrace_test_outer(int x)
{
	return backtrace_test_middle(x + 1) + 1;
}

KTEST(backtrace)
{
	kprintf("backtrace: result %d\n", backtrace_test_outer(0));
}

__noinline void
panic_test_inner(int n)
{
	panic("deliberate panic %d", n);
}

__noinline void
panic_test_outer(int n)
{
	panic_test_inner(n);
}

KTEST(panic)
{
	panic_test_outer(42);
}

KTEST(memmap)
{
	memmap_print("memmap: ");
}

/* Undefined behaviour on purpose: a SAN=1 kernel reports it and goes on. */
KTEST(ubsan)
{
	volatile int big = 0x7FFFFFFF, shift = 40;

	kprintf("ubsan: INT_MAX + 1 = %d\n", big + 1);
	kprintf("ubsan: 1 << 40 = %d\n", 1 << shift);
}
