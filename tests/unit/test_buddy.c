/*
 * buddy: splitting, coalescing back to the largest order, exhaustion,
 * refusal of bad frees, and a random workload checked against patterns
 * written into every frame.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <buddy.h>

#define NFRAMES	4096		/* 16 MiB: four max-order blocks */
#define MAX_BLOCK (1u << BUDDY_MAX_ORDER)

static uint8_t *memory, *small_memory;
static uint8_t state_bytes[NFRAMES];
static struct buddy b;

static void *
map(uint64_t pa)
{
	return memory + pa;
}

static void *
small_map(uint64_t pa)
{
	return small_memory + pa;
}

static int
setup(void **state)
{
	memory = aligned_alloc(FRAME_SIZE * MAX_BLOCK, NFRAMES * FRAME_SIZE);
	buddy_init(&b, NFRAMES, state_bytes, map);
	buddy_add_range(&b, 0, NFRAMES);
	return memory ? 0 : -1;
}

static int
teardown(void **state)
{
	free(memory);
	return 0;
}

static void
test_add_range_makes_largest_blocks(void **state)
{
	assert_int_equal(b.free_frames, NFRAMES);
	assert_int_equal(b.nfree[BUDDY_MAX_ORDER], NFRAMES / MAX_BLOCK);
	for (unsigned o = 0; o < BUDDY_MAX_ORDER; o++)
		assert_int_equal(b.nfree[o], 0);
}

static void
test_split_and_merge(void **state)
{
	int64_t f = buddy_alloc(&b, 0);

	assert_true(f >= 0);
	assert_int_equal(b.free_frames, NFRAMES - 1);
	/* One max block split into one free block of every smaller order. */
	for (unsigned o = 0; o < BUDDY_MAX_ORDER; o++)
		assert_int_equal(b.nfree[o], 1);
	assert_int_equal(buddy_block_order(&b, (uint64_t)f), 0);
	assert_int_equal(buddy_free(&b, (uint64_t)f, 0), 0);
	test_add_range_makes_largest_blocks(state);
}

static void
test_alignment_of_every_order(void **state)
{
	int64_t f[BUDDY_MAX_ORDER + 1];

	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		f[o] = buddy_alloc(&b, o);
		assert_true(f[o] >= 0);
		assert_int_equal(f[o] & ((1 << o) - 1), 0);
		assert_int_equal(buddy_block_order(&b, (uint64_t)f[o]), o);
	}
	assert_int_equal(buddy_alloc(&b, BUDDY_MAX_ORDER + 1), -1);
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		assert_int_equal(buddy_free(&b, (uint64_t)f[o], o), 0);
	test_add_range_makes_largest_blocks(state);
}

static void
test_exhaust_every_frame_once(void **state)
{
	static uint8_t seen[NFRAMES];
	int64_t f;
	unsigned n = 0;

	memset(seen, 0, sizeof(seen));
	while ((f = buddy_alloc(&b, 0)) >= 0) {
		assert_true(f < NFRAMES);
		assert_int_equal(seen[f], 0);
		seen[f] = 1;
		memset(memory + f * FRAME_SIZE, (int)(f & 0xFF), FRAME_SIZE);
		n++;
	}
	assert_int_equal(n, NFRAMES);
	assert_int_equal(b.free_frames, 0);
	for (f = 0; f < NFRAMES; f++) {
		assert_int_equal(memory[f * FRAME_SIZE + 123], f & 0xFF);
		assert_int_equal(buddy_free(&b, (uint64_t)f, 0), 0);
	}
	test_add_range_makes_largest_blocks(state);
}

static void
test_bad_frees_are_refused(void **state)
{
	int64_t f = buddy_alloc(&b, 2);

	assert_true(f >= 0);
	assert_int_equal(buddy_free(&b, (uint64_t)f, 1), -1);	/* wrong order */
	assert_int_equal(buddy_free(&b, (uint64_t)f + 1, 0), -1);	/* inside */
	assert_int_equal(buddy_free(&b, NFRAMES + 5, 0), -1);	/* beyond */
	assert_int_equal(buddy_free(&b, (uint64_t)f, BUDDY_MAX_ORDER + 1), -1);
	assert_int_equal(buddy_free(&b, (uint64_t)f, 2), 0);
	assert_int_equal(buddy_free(&b, (uint64_t)f, 2), -1);	/* double free */
	assert_int_equal(buddy_block_order(&b, (uint64_t)f), -1);
	test_add_range_makes_largest_blocks(state);
}

static void
test_ranges_with_holes(void **state)
{
	static uint8_t st[300];
	struct buddy h;

	small_memory = aligned_alloc(FRAME_SIZE * MAX_BLOCK, 1024 * FRAME_SIZE);
	buddy_init(&h, 300, st, small_map);
	buddy_add_range(&h, 3, 100);
	buddy_add_range(&h, 130, 1000);		/* clipped to 300 */
	assert_int_equal(h.free_frames, 97 + 170);
	for (int64_t f; (f = buddy_alloc(&h, 0)) >= 0;)
		assert_true((f >= 3 && f < 100) || (f >= 130 && f < 300));
	assert_int_equal(h.free_frames, 0);
	assert_int_equal(buddy_free(&h, 0, 0), -1);	/* reserved */
	free(small_memory);
}

struct live {
	int64_t frame;
	unsigned order;
};

static void
check_block(const struct live *l, uint8_t pattern, int write)
{
	size_t len = FRAME_SIZE << l->order;
	uint8_t *p = memory + l->frame * FRAME_SIZE;

	if (write) {
		memset(p, pattern, len);
		return;
	}
	for (size_t i = 0; i < len; i += 512)
		assert_int_equal(p[i], pattern);
}

static void
test_random_workload(void **state)
{
	static struct live live[2048];
	unsigned n = 0;

	srand(12345);
	for (int step = 0; step < 40000; step++) {
		if (n && (rand() % 2 || n == 2048)) {
			unsigned i = (unsigned)rand() % n;

			check_block(&live[i], (uint8_t)live[i].frame, 0);
			assert_int_equal(buddy_free(&b, (uint64_t)live[i].frame,
						    live[i].order), 0);
			live[i] = live[--n];
		} else {
			unsigned order = (unsigned)rand() % 6;
			int64_t f = buddy_alloc(&b, order);

			if (f < 0)
				continue;
			live[n] = (struct live){ f, order };
			check_block(&live[n], (uint8_t)f, 1);
			n++;
		}
	}
	while (n--) {
		check_block(&live[n], (uint8_t)live[n].frame, 0);
		assert_int_equal(buddy_free(&b, (uint64_t)live[n].frame, live[n].order), 0);
	}
	test_add_range_makes_largest_blocks(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_range_makes_largest_blocks),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_alignment_of_every_order),
		cmocka_unit_test(test_exhaust_every_frame_once),
		cmocka_unit_test(test_bad_frees_are_refused),
		cmocka_unit_test(test_ranges_with_holes),
		cmocka_unit_test(test_random_workload),
	};

	return cmocka_run_group_tests_name("buddy", tests, setup, teardown);
}
