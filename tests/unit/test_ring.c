/* ring: FIFO order, full and empty, drop counting, index wrap-around. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ring.h>

static void
test_fifo(void **state)
{
	uint8_t storage[8];
	struct ring r = RING_INIT(storage);

	assert_int_equal(ring_get(&r), -1);
	for (int i = 0; i < 5; i++)
		assert_true(ring_put(&r, (uint8_t)(0xF0 + i)));
	assert_int_equal(ring_count(&r), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ring_get(&r), 0xF0 + i);
	assert_int_equal(ring_get(&r), -1);
	assert_int_equal(ring_count(&r), 0);
}

static void
test_full_drops(void **state)
{
	uint8_t storage[4];
	struct ring r = RING_INIT(storage);

	for (int i = 0; i < 4; i++)
		assert_true(ring_put(&r, (uint8_t)i));
	assert_false(ring_put(&r, 99));
	assert_false(ring_put(&r, 98));
	assert_int_equal(r.dropped, 2);
	assert_int_equal(ring_count(&r), 4);
	assert_int_equal(ring_get(&r), 0);
	assert_true(ring_put(&r, 4));
	for (int i = 1; i <= 4; i++)
		assert_int_equal(ring_get(&r), i);
}

static void
test_wraparound(void **state)
{
	uint8_t storage[4];
	struct ring r = RING_INIT(storage);

	/* The indices run freely; start them just below 2^32. */
	r.head = r.tail = UINT32_MAX - 1;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 4; i++)
			assert_true(ring_put(&r, (uint8_t)(round * 4 + i)));
		assert_false(ring_put(&r, 0));
		for (int i = 0; i < 4; i++)
			assert_int_equal(ring_get(&r), round * 4 + i);
		assert_int_equal(ring_get(&r), -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_full_drops),
		cmocka_unit_test(test_wraparound),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
