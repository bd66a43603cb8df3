/* radix: sparse indexes, growth and shrinking, iteration in order, huge indexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <radix.h>
#include "host.h"

static int
setup(void **state)
{
	host_arena_init(4096);
	kmalloc_init(false);
	return 0;
}

static int
teardown(void **state)
{
	host_arena_free();
	return 0;
}

static void
test_set_get_delete(void **state)
{
	struct radix_tree t = { 0 };

	assert_int_equal(radix_get(&t, 0), 0);
	assert_int_equal(radix_set(&t, 5, 55), 0);
	assert_int_equal(t.height, 1);
	assert_int_equal(radix_set(&t, 100000, 7), 0);	/* grows */
	assert_int_equal(radix_get(&t, 5), 55);
	assert_int_equal(radix_get(&t, 100000), 7);
	assert_int_equal(radix_get(&t, 99999), 0);
	assert_int_equal(t.count, 2);
	assert_int_equal(radix_set(&t, 5, 56), 0);		/* replaces */
	assert_int_equal(t.count, 2);
	assert_int_equal(radix_delete(&t, 100000), 7);
	assert_int_equal(t.height, 1);			/* shrank */
	assert_int_equal(radix_get(&t, 5), 56);
	assert_int_equal(radix_delete(&t, 5), 56);
	assert_null(t.root);
	assert_int_equal(kmalloc_in_use(), 0);
}

static void
test_huge_indexes(void **state)
{
	struct radix_tree t = { 0 };
	uint64_t at = 0;

	assert_int_equal(radix_set(&t, UINT64_MAX, 1), 0);
	assert_int_equal(radix_set(&t, 1UL << 63, 2), 0);
	assert_int_equal(radix_set(&t, 0, 3), 0);
	assert_int_equal(radix_next(&t, &at), 3);
	assert_int_equal(at, 0);
	at = 1;
	assert_int_equal(radix_next(&t, &at), 2);
	assert_int_equal(at, 1UL << 63);
	at++;
	assert_int_equal(radix_next(&t, &at), 1);
	assert_int_equal(at, UINT64_MAX);
	radix_delete(&t, 0);
	radix_delete(&t, 1UL << 63);
	radix_delete(&t, UINT64_MAX);
	assert_null(t.root);
	assert_int_equal(kmalloc_in_use(), 0);
}

static void
test_random_against_array(void **state)
{
	enum { N = 5000, SPACE = 1 << 20 };
	static uint64_t ref[N], idx[N];
	struct radix_tree t = { 0 };

	srand(7);
	for (int i = 0; i < N; i++)
		idx[i] = (uint64_t)rand() % SPACE;
	for (int round = 0; round < 20000; round++) {
		int i = rand() % N;

		if (rand() % 3) {
			ref[i] = (uint64_t)rand() + 1;
			/* Keep the last value for duplicate indexes consistent. */
			for (int k = 0; k < N; k++)
				if (idx[k] == idx[i])
					ref[k] = ref[i];
			assert_int_equal(radix_set(&t, idx[i], ref[i]), 0);
		} else {
			assert_int_equal(radix_delete(&t, idx[i]), ref[i]);
			for (int k = 0; k < N; k++)
				if (idx[k] == idx[i])
					ref[k] = 0;
		}
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(radix_get(&t, idx[i]), ref[i]);
	/* Iteration visits every stored index once, in order. */
	uint64_t at = 0, prev = 0, seen = 0;
	for (uint64_t v; (v = radix_next(&t, &at)); at++) {
		assert_true(seen == 0 || at > prev);
		assert_int_equal(radix_get(&t, at), v);
		prev = at;
		seen++;
	}
	assert_int_equal(seen, t.count);
	for (int i = 0; i < N; i++)
		radix_delete(&t, idx[i]);
	assert_null(t.root);
	assert_int_equal(kmalloc_in_use(), 0);
}

static void
test_out_of_memory_leaves_the_tree(void **state)
{
	struct radix_tree t = { 0 };
	void *hog[8192];
	int n = 0;

	assert_int_equal(radix_set(&t, 3, 33), 0);
	/* Take every page, then ask for an index that needs new levels. */
	while (n < 8192 && (hog[n] = kmalloc(4096)))
		n++;
	while (n < 8192 && (hog[n] = kmalloc(512)))
		n++;
	assert_int_equal(radix_set(&t, 1UL << 40, 5), -ENOMEM);
	assert_int_equal(t.height, 1);
	assert_int_equal(t.count, 1);
	assert_int_equal(radix_get(&t, 3), 33);
	while (n--)
		kfree(hog[n]);
	assert_int_equal(radix_set(&t, 1UL << 40, 5), 0);
	radix_delete(&t, 1UL << 40);
	radix_delete(&t, 3);
	assert_null(t.root);
	assert_int_equal(kmalloc_in_use(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get_delete),
		cmocka_unit_test(test_huge_indexes),
		cmocka_unit_test(test_random_against_array),
		cmocka_unit_test(test_out_of_memory_leaves_the_tree),
	};

	return cmocka_run_group_tests_name("radix", tests, setup, teardown);
}
