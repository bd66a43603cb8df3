/*
 * The kernel heap. Small sizes come from slabs: one page per slab, a
 * header at the start, then objects of one size class, each aligned to
 * its size. Large sizes get whole pages from the buddy allocator.
 *
 *   page: [ struct slab | pad | obj | obj | obj | ... ]
 *
 * kfree tells them apart by alignment: a slab object never starts a page.
 */
#include <kstring.h>
#include <kmalloc.h>
#include <layout.h>
#include <panic.h>
#include <pmm.h>
#include <arch/cpu.h>

#define SLAB_MAGIC	0x534C4142	/* "SLAB" */
#define SLAB_HEADER	64
#define MIN_SHIFT	4		/* the smallest class is 16 bytes */
#define POISON		0x6B		/* freed memory, as Linux's slab does */
#define REDZONE		0xCC
#define RZ_SIZE		16		/* red zone bytes before the object */

struct slab {
	uint32_t magic;
	uint16_t cls;
	uint16_t inuse;
	void *free;			/* free objects, linked through their first word */
	struct slab *next, *prev;	/* the class's slabs with free objects */
};

static struct slab *partial[KMALLOC_CLASSES];
static struct kmalloc_stats stats;
static bool debug;

size_t
kmalloc_class_size(int cls)
{
	return (size_t)1 << (cls + MIN_SHIFT);
}

static int
class_of(size_t size)
{
	for (int c = 0; c < KMALLOC_CLASSES; c++)
		if (size <= kmalloc_class_size(c))
			return c;
	return -1;
}

static size_t
first_offset(int cls)
{
	size_t sz = kmalloc_class_size(cls);

	return sz > SLAB_HEADER ? sz : SLAB_HEADER;
}

static void
list_add(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

static void
list_del(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A new slab for cls: all its objects on the free list. */
static struct slab *
slab_new(int cls)
{
	uint64_t pa = pmm_alloc_pages(0);
	size_t sz = kmalloc_class_size(cls);

	if (!pa)
		return NULL;
	struct slab *s = phys_to_virt(pa);
	*s = (struct slab){ .magic = SLAB_MAGIC, .cls = (uint16_t)cls };
	for (size_t off = PAGE_SIZE - sz; off >= first_offset(cls); off -= sz) {
		void **obj = (void **)((char *)s + off);

		if (debug)
			memset(obj, POISON, sz);
		*obj = s->free;
		s->free = obj;
	}
	stats.slabs[cls]++;
	list_add(s);
	return s;
}

#if SOL >= 3
static void *
small_alloc(int cls)
{
	struct slab *s = partial[cls];

	if (!s && !(s = slab_new(cls)))
		return NULL;
	void **obj = s->free;
	s->free = *obj;
	if (++s->inuse == (PAGE_SIZE - first_offset(cls)) / kmalloc_class_size(cls))
		list_del(s);		/* full: off the partial list */
	stats.objects[cls]++;
	stats.bytes[cls] += kmalloc_class_size(cls);
	return obj;
}

static void
small_free(struct slab *s, void *p)
{
	size_t sz = kmalloc_class_size(s->cls);

	if (((uint64_t)p - (uint64_t)s) % sz || (size_t)((char *)p - (char *)s) < first_offset(s->cls))
		panic("kfree: %p is not an object of its %zu-byte slab", p, sz);
	for (void **f = s->free; f; f = *f)
		if (f == p)
			panic("kfree: %p freed twice", p);
	if (s->inuse == (PAGE_SIZE - first_offset(s->cls)) / sz)
		list_add(s);		/* was full: has room again */
	*(void **)p = s->free;
	s->free = p;
	s->inuse--;
	stats.objects[s->cls]--;
	stats.bytes[s->cls] -= sz;
	/* Give an empty slab back, unless it is the class's only one. */
	if (s->inuse == 0 && (partial[s->cls] != s || s->next)) {
		list_del(s);
		s->magic = 0;
		stats.slabs[s->cls]--;
		pmm_free_pages((uint64_t)s - HHDM_BASE, 0);
	}
}
#else
static void *
small_alloc(int cls)
{
	/* LAB 3: your code here. Take an object from the first slab on
	 * partial[cls] (slab_new() when there is none); a full slab leaves
	 * the list. Keep stats up to date. */
	(void)cls, (void)list_del, (void)slab_new;
	return NULL;
}

static void
small_free(struct slab *s, void *p)
{
	/* LAB 3: your code here. */
	(void)s, (void)p;
}
#endif

static void *
large_alloc(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size)
		if (++order > BUDDY_MAX_ORDER)
			return NULL;
	uint64_t pa = pmm_alloc_pages(order);
	if (!pa)
		return NULL;
	stats.large_objects++;
	stats.large_bytes += PAGE_SIZE << order;
	return phys_to_virt(pa);
}

void
kmalloc_init(bool debug_mode)
{
	debug = debug_mode;
}

/* Checks that a reused object still holds the poison kfree left in it. */
static void
check_poison(const uint8_t *obj, size_t sz)
{
	for (size_t i = sizeof(void *); i < sz; i++)
		if (obj[i] != POISON)
			panic("kmalloc: %p was written after it was freed (byte %zu is 0x%02x)",
			      obj, i, obj[i]);
}

static void *
alloc(size_t size, size_t align)
{
	bool redzones = debug && align <= RZ_SIZE;
	size_t need = redzones ? size + 2 * RZ_SIZE : size;
	int cls = align <= KMALLOC_MAX_SMALL ? class_of(need > align ? need : align) : -1;
	uint64_t flags = irq_save();
	uint8_t *p;

	if (cls < 0) {
		p = large_alloc(need > align ? need : align);
		irq_restore(flags);
		return p;
	}
	p = small_alloc(cls);
	irq_restore(flags);
	if (!p || !debug)
		return p;
	check_poison(p, kmalloc_class_size(cls));
	if (!redzones)
		return memset(p, 0, sizeof(void *));
	/* [size][0xCC x 8] object [0xCC up to the end of the slot] */
	memset(p, REDZONE, kmalloc_class_size(cls));
	*(uint64_t *)p = size;
	return p + RZ_SIZE;
}

void *
kmalloc(size_t size)
{
	return alloc(size ? size : 1, 16);
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	return p ? memset(p, 0, size) : NULL;
}

void *
kmalloc_aligned(size_t size, size_t align)
{
	if (align & (align - 1))
		return NULL;
	return alloc(size ? size : 1, align < 16 ? 16 : align);
}

/* Checks the red zones around a debug-mode object; returns the slot start. */
static void *
check_redzones(struct slab *s, uint8_t *p)
{
	size_t sz = kmalloc_class_size(s->cls);
	uint8_t *slot = p - RZ_SIZE;
	uint64_t size = *(uint64_t *)slot;

	if (size > sz - 2 * RZ_SIZE)
		panic("kfree: %p: red zone before the object overwritten (underflow)", p);
	for (size_t i = sizeof(uint64_t); i < RZ_SIZE; i++)
		if (slot[i] != REDZONE)
			panic("kfree: %p: red zone before the object overwritten (underflow)", p);
	for (size_t i = RZ_SIZE + size; i < sz; i++)
		if (slot[i] != REDZONE)
			panic("kfree: %p: %zu-byte object overflowed into its red zone", p, size);
	return slot;
}

void
kfree(void *ptr)
{
	uint64_t va = (uint64_t)ptr, flags;

	if (!ptr)
		return;
	if (va < HHDM_BASE || va >= KSTACK_BASE)
		panic("kfree: %p is not a heap pointer", ptr);
	if (!(va & (PAGE_SIZE - 1))) {
		int order = pmm_block_order(va - HHDM_BASE);
		if (order < 0)
			panic("kfree: %p was not allocated (or freed twice)", ptr);
		flags = irq_save();
		stats.large_objects--;
		stats.large_bytes -= PAGE_SIZE << order;
		pmm_free_pages(va - HHDM_BASE, (unsigned)order);
		irq_restore(flags);
		return;
	}
	struct slab *s = (struct slab *)(va & ~(PAGE_SIZE - 1));
	if (s->magic != SLAB_MAGIC)
		panic("kfree: %p is not in a slab", ptr);
	size_t sz = kmalloc_class_size(s->cls);
	uint8_t *obj = (uint8_t *)ptr;
	if (debug && ((uint64_t)ptr - (uint64_t)s) % sz == RZ_SIZE)
		obj = check_redzones(s, obj);
	flags = irq_save();
	if (debug)	/* small_free links it through the first word */
		memset(obj + sizeof(void *), POISON, sz - sizeof(void *));
	small_free(s, obj);
	irq_restore(flags);
}

void
kmalloc_stats(struct kmalloc_stats *s)
{
	*s = stats;
}

uint64_t
kmalloc_in_use(void)
{
	uint64_t total = stats.large_bytes;

	for (int c = 0; c < KMALLOC_CLASSES; c++)
		total += stats.bytes[c];
	return total;
}
