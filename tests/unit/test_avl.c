/* avl: order, balance, parent links and augmented data under random changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <avl.h>

struct item {
	struct avl_node node;	/* first: a node pointer is an item pointer */
	int key;
	int max;		/* augmented: the largest key in the subtree */
};

static void
update_max(struct avl_node *n)
{
	struct item *it = (struct item *)n;

	it->max = it->key;
	if (n->left && ((struct item *)n->left)->max > it->max)
		it->max = ((struct item *)n->left)->max;
	if (n->right && ((struct item *)n->right)->max > it->max)
		it->max = ((struct item *)n->right)->max;
}

static void
insert(struct avl_tree *t, struct item *it)
{
	struct avl_node **link = &t->root, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < ((struct item *)parent)->key ? &parent->left : &parent->right;
	}
	avl_insert(t, &it->node, parent, link);
}

/* Checks the subtree at n; returns its height, counts its nodes. */
static int
check(const struct avl_node *n, const struct avl_node *parent, int lo, int hi, int *count)
{
	if (!n)
		return 0;
	const struct item *it = (const struct item *)n;

	assert_ptr_equal(n->parent, parent);
	assert_true(it->key >= lo && it->key <= hi);
	int l = check(n->left, n, lo, it->key, count);
	int r = check(n->right, n, it->key, hi, count);
	assert_true(l - r <= 1 && r - l <= 1);
	assert_int_equal(n->height, 1 + (l > r ? l : r));
	int max = it->key;
	if (n->left && ((struct item *)n->left)->max > max)
		max = ((struct item *)n->left)->max;
	if (n->right && ((struct item *)n->right)->max > max)
		max = ((struct item *)n->right)->max;
	assert_int_equal(it->max, max);
	(*count)++;
	return n->height;
}

static void
test_sorted_inserts_stay_balanced(void **state)
{
	enum { N = 1000 };
	static struct item items[N];
	struct avl_tree t = { NULL, update_max };
	int count = 0;

	for (int i = 0; i < N; i++) {
		items[i].key = i;
		insert(&t, &items[i]);
	}
	int h = check(t.root, NULL, 0, N, &count);
	assert_int_equal(count, N);
	assert_true(h <= 15);		/* 1.44 log2(1002) */
	int k = 0;
	for (struct avl_node *n = avl_first(&t); n; n = avl_next(n))
		assert_int_equal(((struct item *)n)->key, k++);
	assert_int_equal(k, N);
	for (struct avl_node *n = avl_last(&t); n; n = avl_prev(n))
		assert_int_equal(((struct item *)n)->key, --k);
}

static void
test_random_insert_erase(void **state)
{
	enum { N = 2000, ROUNDS = 20000 };
	static struct item items[N];
	static int in[N];
	struct avl_tree t = { NULL, update_max };
	int live = 0;

	srand(12345);
	for (int i = 0; i < N; i++)
		items[i].key = rand() % 500;	/* duplicates too */
	for (int round = 0; round < ROUNDS; round++) {
		int i = rand() % N;

		if (in[i]) {
			avl_erase(&t, &items[i].node);
			live--;
		} else {
			insert(&t, &items[i]);
			live++;
		}
		in[i] = !in[i];
		if (round % 500 == 0) {
			int count = 0;

			check(t.root, NULL, -1, 1000, &count);
			assert_int_equal(count, live);
		}
	}
	int count = 0, prev = -1;
	check(t.root, NULL, -1, 1000, &count);
	for (struct avl_node *n = avl_first(&t); n; n = avl_next(n)) {
		assert_true(((struct item *)n)->key >= prev);
		prev = ((struct item *)n)->key;
	}
	for (int i = 0; i < N; i++)
		if (in[i])
			avl_erase(&t, &items[i].node);
	assert_null(t.root);
}

static void
test_propagate_after_key_change(void **state)
{
	static struct item items[64];
	struct avl_tree t = { NULL, update_max };
	int count = 0;

	for (int i = 0; i < 64; i++) {
		items[i].key = 2 * i;
		insert(&t, &items[i]);
	}
	/* Grow a key in place without changing the order, then propagate. */
	items[10].key = 21;
	avl_propagate(&t, &items[10].node);
	check(t.root, NULL, 0, 200, &count);
	assert_int_equal(((struct item *)t.root)->max, 126);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_inserts_stay_balanced),
		cmocka_unit_test(test_random_insert_erase),
		cmocka_unit_test(test_propagate_after_key_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
