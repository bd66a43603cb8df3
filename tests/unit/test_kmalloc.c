/*
 * kmalloc: size classes, alignment, large blocks, a random stress with
 * patterns, and the bad frees that must panic, over host/host.c's arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kmalloc.h>
#include <panic.h>
#include <pmm.h>
#include "host.h"

#define ARENA_FRAMES	8192	/* 32 MiB */

static int
setup(void **state)
{
	host_arena_init(ARENA_FRAMES);
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
test_every_class(void **state)
{
	uint64_t base = kmalloc_in_use();
	void *p[KMALLOC_CLASSES];
	struct kmalloc_stats st;

	for (int c = 0; c < KMALLOC_CLASSES; c++) {
		size_t sz = kmalloc_class_size(c);

		p[c] = kmalloc(sz);
		assert_non_null(p[c]);
		assert_int_equal((uintptr_t)p[c] % 16, 0);
		memset(p[c], 0xA5, sz);
	}
	kmalloc_stats(&st);
	for (int c = 0; c < KMALLOC_CLASSES; c++)
		assert_true(st.objects[c] >= 1);
	assert_int_equal(kmalloc_in_use() - base, (16u << KMALLOC_CLASSES) - 16);
	for (int c = 0; c < KMALLOC_CLASSES; c++)
		kfree(p[c]);
	assert_int_equal(kmalloc_in_use(), base);
}

static void
test_alignment_and_zero(void **state)
{
	uint64_t base = kmalloc_in_use();
	size_t aligns[] = { 16, 32, 64, 256, 1024, 4096, 16384 };
	void *p[7];

	for (int i = 0; i < 7; i++) {
		p[i] = kmalloc_aligned(24, aligns[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % aligns[i], 0);
	}
	assert_null(kmalloc_aligned(16, 48));	/* not a power of two */
	uint8_t *z = kzalloc(700);
	assert_non_null(z);
	for (int i = 0; i < 700; i++)
		assert_int_equal(z[i], 0);
	void *one = kmalloc(0);			/* a unique pointer, like malloc(0) */
	assert_non_null(one);
	kfree(one);
	kfree(z);
	for (int i = 0; i < 7; i++)
		kfree(p[i]);
	kfree(NULL);
	assert_int_equal(kmalloc_in_use(), base);
}

static void
test_large(void **state)
{
	uint64_t frames = pmm_free_frames();
	struct kmalloc_stats st;
	uint8_t *p = kmalloc(5000);		/* two pages */

	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 4096, 0);
	memset(p, 1, 5000);
	kmalloc_stats(&st);
	assert_int_equal(st.large_objects, 1);
	assert_int_equal(st.large_bytes, 8192);
	assert_int_equal(pmm_free_frames(), frames - 2);
	kfree(p);
	assert_int_equal(pmm_free_frames(), frames);
	assert_null(kmalloc(64UL << 20));	/* larger than any block */
}

static void
test_stress(void **state)
{
	enum { SLOTS = 1000 };
	static uint8_t *ptr[SLOTS];
	static size_t len[SLOTS];
	uint64_t base = kmalloc_in_use();

	srand(4242);
	for (int step = 0; step < 30000; step++) {
		int i = rand() % SLOTS;

		if (ptr[i]) {
			for (size_t k = 0; k < len[i]; k++)
				if (ptr[i][k] != (uint8_t)(i + k))
					fail_msg("slot %d byte %zu overwritten", i, k);
			kfree(ptr[i]);
			ptr[i] = NULL;
		} else {
			len[i] = rand() % 4 ? (size_t)rand() % 1100 + 1 : (size_t)rand() % 20000 + 1;
			ptr[i] = kmalloc(len[i]);
			assert_non_null(ptr[i]);
			for (size_t k = 0; k < len[i]; k++)
				ptr[i][k] = (uint8_t)(i + k);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		kfree(ptr[i]);
	assert_int_equal(kmalloc_in_use(), base);
}

static void
test_bad_frees_panic(void **state)
{
	char *p = kmalloc(40);
	int on_stack;

	assert_non_null(p);
	kfree(p);
	expect_panic(kfree(p), "freed twice");
	expect_panic(kfree(&on_stack), "not a heap pointer");
	char *q = kmalloc(64);
	assert_non_null(q);
	expect_panic(kfree(q + 8), "not an object");
	kfree(q);
	void *big = kmalloc(8192);
	assert_non_null(big);
	kfree(big);
	expect_panic(kfree(big), "not allocated");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_class),
		cmocka_unit_test(test_alignment_and_zero),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_bad_frees_panic),
	};

	return cmocka_run_group_tests_name("kmalloc", tests, setup, teardown);
}
