/* musl's malloc on the kernel's brk and mmap: random use, calloc, brk. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OPS		20000
#define SLOTS		128		/* blocks alive at a time, at most */
#define BIG_EVERY	500		/* one op in this many is 1-4 MiB */
#define BIG_MIN		(1 << 20)
#define BIG_SPAN	(3 << 20)
#define BRK_GROW	(1 << 20)

struct block {
	unsigned char *p;
	size_t size;
	uint64_t seed;
};

static struct block slots[SLOTS];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static int op;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Sizes from 1 to 64 KiB, spread evenly over powers of two. */
static size_t
small_size(void)
{
	return 1 + rnd() % (1UL << (rnd() % 17));
}

/* Byte i of a block holds byte i % 8 of word i / 8 of its pattern. */
static uint64_t
word(uint64_t seed, size_t k)
{
	return seed ^ (k * 0xff51afd7ed558ccdULL);
}

static void
fill(unsigned char *p, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n / 8; i++)
		((uint64_t *)p)[i] = word(seed, i);
	for (i = n & ~7UL; i < n; i++)
		p[i] = word(seed, i / 8) >> (i % 8 * 8);
}

/* Dies if the first @n bytes are not the pattern @seed put there. */
static void
check(const unsigned char *p, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n / 8; i++)
		if (((const uint64_t *)p)[i] != word(seed, i))
			goto bad;
	for (i = n & ~7UL; i < n; i++)
		if (p[i] != (unsigned char)(word(seed, i / 8) >> (i % 8 * 8)))
			goto bad;
	return;
bad:
	printf("mallocstress: FAIL op %d: a %zu-byte block changed\n", op, n);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		printf("mallocstress: FAIL op %d: no memory for %zu bytes\n", op, n);
		exit(1);
	}
	return p;
}

/* Mostly small blocks that stay a while; now and then a big one (mmap). */
static void
one_op(void)
{
	struct block *b = &slots[rnd() % SLOTS];
	size_t n;

	if (rnd() % BIG_EVERY == 0) {
		struct block big = { NULL, BIG_MIN + rnd() % BIG_SPAN, rnd() };

		big.p = xrealloc(NULL, big.size);
		fill(big.p, big.size, big.seed);
		n = BIG_MIN + rnd() % BIG_SPAN;
		big.p = xrealloc(big.p, n);
		check(big.p, n < big.size ? n : big.size, big.seed);
		free(big.p);
	} else if (!b->p) {
		b->size = small_size();
		b->seed = rnd();
		b->p = xrealloc(NULL, b->size);
		fill(b->p, b->size, b->seed);
	} else if (rnd() & 1) {
		check(b->p, b->size, b->seed);
		free(b->p);
		b->p = NULL;
	} else {
		check(b->p, b->size, b->seed);
		n = small_size();
		b->p = xrealloc(b->p, n);
		check(b->p, n < b->size ? n : b->size, b->seed);
		b->size = n;
		b->seed = rnd();
		fill(b->p, b->size, b->seed);
	}
}

/* Zero iff the first byte is, and each byte equals the next. */
static int
all_zero(const unsigned char *p, size_t n)
{
	return p[0] == 0 && memcmp(p, p + 1, n - 1) == 0;
}

/* Opaque to the compiler: a count that overflows, a home for a dirty block. */
static volatile size_t huge = SIZE_MAX / 2;
static void *volatile published;

static int
calloc_zeroes(void)
{
	unsigned char *p = malloc(4096), *q, *big;
	int ok;

	if (!p)
		return 0;
	memset(p, 0xa5, 4096);
	published = p;
	free(p);
	q = calloc(1, 4096);		/* likely p's recycled, dirty memory */
	big = calloc(1, 2 << 20);	/* fresh pages from mmap */
	ok = q && big && all_zero(q, 4096) && all_zero(big, 2 << 20) &&
	     calloc(huge, 4) == NULL;
	free(q);
	free(big);
	return ok;
}

/* musl's brk() always fails, so ask the kernel directly. */
static int
brk_grows_and_shrinks(void)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	unsigned char *p = (unsigned char *)cur;

	if ((uintptr_t)syscall(SYS_brk, cur + BRK_GROW) != cur + BRK_GROW)
		return 0;
	fill(p, BRK_GROW, 42);
	check(p, BRK_GROW, 42);
	return (uintptr_t)syscall(SYS_brk, cur) == cur;
}

static void
result(int ok, const char *what)
{
	if (!ok) {
		printf("mallocstress: FAIL %s\n", what);
		exit(1);
	}
	printf("mallocstress: %s ok\n", what);
}

int
main(void)
{
	void *brk0 = sbrk(0);
	int i;

	for (op = 0; op < OPS; op++)
		one_op();
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p)
			check(slots[i].p, slots[i].size, slots[i].seed);
		free(slots[i].p);
	}
	printf("mallocstress: %d random malloc/free/realloc ok\n", OPS);
	result(calloc_zeroes(), "calloc zeroes");
	result((char *)sbrk(0) > (char *)brk0, "sbrk(0) grows");
	result(brk_grows_and_shrinks(), "brk grows and shrinks");
	printf("mallocstress: ok\n");
	return 0;
}
