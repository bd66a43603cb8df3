/*
 * The buddy allocator (see buddy.h). Each frame has a state byte:
 *
 *   RESERVED       never handed out (firmware, kernel, holes)
 *   FREE | order   first frame of a free block of 2^order frames
 *   USED | order   first frame of an allocated block
 *   TAIL           any other frame of a block, free or allocated
 *
 * Free blocks sit on one circular doubly-linked list per order; the list
 * links live in the free memory itself (reached through b->map).
 */
#include <buddy.h>

#define ST_RESERVED	0x00
#define ST_TAIL		0x20
#define ST_FREE		0x40
#define ST_USED		0x80
#define ST_ORDER	0x1F

static struct free_block *
block(const struct buddy *b, uint64_t frame)
{
	return b->map(frame << FRAME_SHIFT);
}

static void
list_push(struct buddy *b, uint64_t frame, unsigned order)
{
	struct free_block *head = &b->free[order], *n = block(b, frame);

	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
	b->nfree[order]++;
	b->state[frame] = ST_FREE | order;
}

static void
list_remove(struct buddy *b, uint64_t frame, unsigned order)
{
	struct free_block *n = block(b, frame);

	n->prev->next = n->next;
	n->next->prev = n->prev;
	b->nfree[order]--;
}

/* The frame number of a free block, from its list node. */
static uint64_t
frame_of(const struct buddy *b, struct free_block *n)
{
	/* map() is linear: frame 0 maps to map(0). */
	return (uint64_t)((uint8_t *)n - (uint8_t *)b->map(0)) >> FRAME_SHIFT;
}

static void
mark_block(struct buddy *b, uint64_t frame, unsigned order, uint8_t head)
{
	b->state[frame] = head | order;
	for (uint64_t i = 1; i < (1ULL << order); i++)
		b->state[frame + i] = ST_TAIL;
}

void
buddy_init(struct buddy *b, uint64_t nframes, uint8_t *state,
	   void *(*map)(uint64_t pa))
{
	b->nframes = nframes;
	b->state = state;
	b->map = map;
	b->free_frames = 0;
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		b->free[o].next = b->free[o].prev = &b->free[o];
		b->nfree[o] = 0;
	}
	for (uint64_t i = 0; i < nframes; i++)
		state[i] = ST_RESERVED;
}

#if SOL >= 3
int64_t
buddy_alloc(struct buddy *b, unsigned order)
{
	unsigned k = order;

	if (order > BUDDY_MAX_ORDER)
		return -1;
	while (k <= BUDDY_MAX_ORDER && !b->nfree[k])
		k++;
	if (k > BUDDY_MAX_ORDER)
		return -1;
	uint64_t frame = frame_of(b, b->free[k].next);
	list_remove(b, frame, k);
	/* Split: keep the lower half, free the upper half, down to order. */
	while (k > order) {
		k--;
		list_push(b, frame + (1ULL << k), k);
		mark_block(b, frame + (1ULL << k), k, ST_FREE);
	}
	mark_block(b, frame, order, ST_USED);
	b->free_frames -= 1ULL << order;
	return (int64_t)frame;
}

int
buddy_free(struct buddy *b, uint64_t frame, unsigned order)
{
	if (frame >= b->nframes || order > BUDDY_MAX_ORDER ||
	    b->state[frame] != (ST_USED | order))
		return -1;
	b->free_frames += 1ULL << order;
	/* Merge with the buddy while it is a free block of the same order. */
	while (order < BUDDY_MAX_ORDER) {
		uint64_t buddy = frame ^ (1ULL << order);

		if (buddy >= b->nframes || b->state[buddy] != (ST_FREE | order))
			break;
		list_remove(b, buddy, order);
		b->state[buddy] = ST_TAIL;
		frame &= ~(1ULL << order);
		order++;
	}
	mark_block(b, frame, order, ST_FREE);
	list_push(b, frame, order);
	return 0;
}
#else
int64_t
buddy_alloc(struct buddy *b, unsigned order)
{
	/* LAB 3: your code here. Take the smallest free block of at least
	 * this order (list heads b->free[k]) and split it down to order. */
	(void)b, (void)order, (void)list_remove, (void)frame_of;
	return -1;
}

int
buddy_free(struct buddy *b, uint64_t frame, unsigned order)
{
	/* LAB 3: your code here. Check the block, then merge it with its
	 * buddy (frame ^ (1 << order)) as long as the buddy is free. */
	(void)b, (void)frame, (void)order;
	return -1;
}
#endif

void
buddy_add_range(struct buddy *b, uint64_t first, uint64_t end)
{
	if (end > b->nframes)
		end = b->nframes;
	/* The largest aligned blocks that fit, lowest first. */
	while (first < end) {
		unsigned order = BUDDY_MAX_ORDER;

		while (order && ((first & ((1ULL << order) - 1)) ||
				 first + (1ULL << order) > end))
			order--;
		mark_block(b, first, order, ST_USED);
		if (buddy_free(b, first, order) < 0) {
			/* Without buddy_free (the lab-3 skeleton): no merging. */
			b->free_frames += 1ULL << order;
			mark_block(b, first, order, ST_FREE);
			list_push(b, first, order);
		}
		first += 1ULL << order;
	}
}

int
buddy_block_order(const struct buddy *b, uint64_t frame)
{
	if (frame >= b->nframes || !(b->state[frame] & ST_USED))
		return -1;
	return b->state[frame] & ST_ORDER;
}
