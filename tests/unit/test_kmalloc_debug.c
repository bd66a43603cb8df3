/*
 * kmalloc's debug mode (kmalloc=debug): red zones catch overflows and
 * underflows, poison catches writes after free. A program of its own,
 * because the mode must be chosen before the first allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <kmalloc.h>
#include <panic.h>
#include "host.h"

static int
setup(void **state)
{
	host_arena_init(1024);
	kmalloc_init(true);
	return 0;
}

static int
teardown(void **state)
{
	host_arena_free();
	return 0;
}

static void
test_clean_use_passes(void **state)
{
	for (int n = 1; n <= 1000; n += 37) {
		uint8_t *p = kmalloc(n);

		assert_non_null(p);	/* fail this test; do not crash the program */
		memset(p, 0x11, n);
		kfree(p);
	}
	assert_int_equal(kmalloc_in_use(), 0);
}

static void
test_overflow(void **state)
{
	char *p = kmalloc(20);

	assert_non_null(p);
	p[20] = 'x';
	expect_panic(kfree(p), "overflowed into its red zone");
}

static void
test_underflow(void **state)
{
	char *p = kmalloc(20);

	assert_non_null(p);
	p[-2] = 'x';
	expect_panic(kfree(p), "underflow");
}

static void
test_use_after_free(void **state)
{
	uint64_t *p = kmalloc(100);

	assert_non_null(p);
	kfree(p);
	p[3] = 7;	/* into freed, poisoned memory */
	/* The same class hands the same slot out next: the check fires. */
	expect_panic(kmalloc(100), "written after it was freed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_use_passes),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_underflow),
		cmocka_unit_test(test_use_after_free),
	};

	return cmocka_run_group_tests_name("kmalloc_debug", tests, setup, teardown);
}
