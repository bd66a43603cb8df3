/*
 * The physical frame allocator: the buddy allocator of buddy.c over all
 * usable RAM below 4 GiB (what the boot page tables' direct map reaches),
 * minus the first megabyte, the kernel image, the boot information, the
 * boot modules and the allocator's own state array.
 */
#include <kstring.h>
#include <kprintf.h>
#include <layout.h>
#include <panic.h>
#include <pmm.h>
#include <arch/cpu.h>

static struct buddy buddy;
static uint64_t managed;
static uint64_t top_pa;		/* the end of what the frame table covers */
static uint16_t *refs;		/* per frame: the page tables mapping it (user pages) */
static bool poison;		/* fill freed frames, so a use after free shows */

#define FRAME_POISON	0x6B

static void *
map_phys(uint64_t pa)
{
	return phys_to_virt(pa);
}

static uint64_t
align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t
align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static int
overlaps_reserved(const struct bootinfo *bi, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < bi->nreserved; i++)
		if (start < bi->reserved[i].end && bi->reserved[i].start < end)
			return 1;
	return 0;
}

/* Room for size bytes of usable RAM, page aligned, clear of every reservation. */
static uint64_t
find_room(const struct bootinfo *bi, uint64_t size)
{
	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t end = r->base + r->len;

		if (r->type != MEM_USABLE || end > HHDM_BOOT_SIZE || r->len < size)
			continue;
		for (uint64_t at = align_down(end - size, FRAME_SIZE);
		     at >= r->base && at >= LOW_MEMORY_END; at -= FRAME_SIZE)
			if (!overlaps_reserved(bi, at, at + size))
				return at;
	}
	return 0;
}

/* Frees [start, end) to the buddy allocator, skipping reserved ranges. */
static void
add_usable(const struct bootinfo *bi, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < bi->nreserved; i++) {
		const struct phys_range *r = &bi->reserved[i];

		if (r->start < end && start < r->end) {
			if (start < r->start)
				add_usable(bi, start, r->start);
			if (r->end < end)
				add_usable(bi, r->end, end);
			return;
		}
	}
	uint64_t first = align_up(start, FRAME_SIZE) >> FRAME_SHIFT;
	uint64_t last = align_down(end, FRAME_SIZE) >> FRAME_SHIFT;
	if (first < last) {
		buddy_add_range(&buddy, first, last);
		managed += last - first;
	}
}

void
pmm_init(struct bootinfo *bi)
{
	uint64_t top = 0, ignored = 0;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t end = r->base + r->len;

		if (r->type != MEM_USABLE)
			continue;
		if (r->base >= HHDM_BOOT_SIZE) {
			ignored += r->len;
			continue;
		}
		if (end > HHDM_BOOT_SIZE) {
			ignored += end - (r->base > HHDM_BOOT_SIZE ? r->base : HHDM_BOOT_SIZE);
			end = HHDM_BOOT_SIZE;
		}
		if (end > top)
			top = end;
	}
	uint64_t nframes = top >> FRAME_SHIFT;
	top_pa = top;
	/* Per frame: a buddy state byte, then (aligned) a 16-bit reference count. */
	uint64_t table = align_up(align_up(nframes, 2) + 2 * nframes, FRAME_SIZE);
	uint64_t state = find_room(bi, table);
	if (!state) {
		kprintf("pmm: no room for the frame table; no physical memory allocator\n");
		return;
	}
	/* The table is a boot reservation too (memmap shows it). */
	if (bi->nreserved < MAX_RESERVED)
		bi->reserved[bi->nreserved++] = (struct phys_range){
			state, state + table, "frametable" };
	buddy_init(&buddy, nframes, phys_to_virt(state), map_phys);
	refs = phys_to_virt(state + align_up(nframes, 2));
	memset(refs, 0, 2 * nframes);
	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t start = r->base < LOW_MEMORY_END ? LOW_MEMORY_END : r->base;
		uint64_t end = r->base + r->len;

		if (r->type == MEM_USABLE && start < end && start < top)
			add_usable(bi, start, end < top ? end : top);
	}
	if (ignored)
		kprintf("pmm: %lu MiB above 4 GiB left unused\n", ignored >> 20);
}

uint64_t
pmm_alloc_pages(unsigned order)
{
	uint64_t flags = irq_save();
	int64_t frame = buddy_alloc(&buddy, order);

	irq_restore(flags);
	return frame < 0 ? 0 : (uint64_t)frame << FRAME_SHIFT;
}

void
pmm_free_pages(uint64_t pa, unsigned order)
{
	if (pa & (FRAME_SIZE - 1))
		panic("pmm: double free or bad free of frame 0x%lx (order %u)", pa, order);
	uint64_t flags = irq_save();
	if (poison && buddy_block_order(&buddy, pa >> FRAME_SHIFT) == (int)order)
		memset(phys_to_virt(pa), FRAME_POISON, FRAME_SIZE << order);
	int r = buddy_free(&buddy, pa >> FRAME_SHIFT, order);

	irq_restore(flags);
	if (r < 0)
		panic("pmm: double free or bad free of frame 0x%lx (order %u)", pa, order);
}

uint64_t
pmm_release_boot_range(struct bootinfo *bi, uint64_t start, uint64_t end)
{
	uint64_t before = managed;

	for (unsigned i = 0; i < bi->nreserved; i++) {
		if (bi->reserved[i].start == start && bi->reserved[i].end == end) {
			bi->reserved[i] = bi->reserved[--bi->nreserved];
			break;
		}
	}
	if (start < LOW_MEMORY_END)
		start = LOW_MEMORY_END;
	if (end > top_pa)
		end = top_pa;
	if (start >= end)
		return 0;
	uint64_t flags = irq_save();
	add_usable(bi, start, end);
	irq_restore(flags);
	return (managed - before) << FRAME_SHIFT;
}

void
pmm_set_poison(bool on)
{
	poison = on;
}

uint64_t
pmm_alloc_frame(void)
{
	uint64_t pa = pmm_alloc_pages(0);

	if (pa)
		memset(phys_to_virt(pa), 0, FRAME_SIZE);
	return pa;
}

void
pmm_free_frame(uint64_t pa)
{
	pmm_free_pages(pa, 0);
}

int
pmm_block_order(uint64_t pa)
{
	return buddy_block_order(&buddy, pa >> FRAME_SHIFT);
}

uint64_t
pmm_free_frames(void)
{
	return buddy.free_frames;
}

uint64_t
pmm_managed_frames(void)
{
	return managed;
}

uint64_t
pmm_free_blocks(unsigned order)
{
	return order <= BUDDY_MAX_ORDER ? buddy.nfree[order] : 0;
}

/*
 * Reference counts of user frames: copy-on-write shares a frame between
 * address spaces, and only the last unmap frees it.
 */
void
pmm_ref(uint64_t pa)
{
	uint64_t f = pa >> FRAME_SHIFT;

	if (f >= buddy.nframes || refs[f] == UINT16_MAX)
		panic("pmm_ref: frame 0x%lx out of range or overflowing", pa);
	refs[f]++;
}

void
pmm_unref(uint64_t pa)
{
	uint64_t f = pa >> FRAME_SHIFT;

	if (f >= buddy.nframes || refs[f] == 0)
		panic("pmm_unref: frame 0x%lx has no references", pa);
	if (--refs[f] == 0)
		pmm_free_frame(pa);
}

unsigned
pmm_refcount(uint64_t pa)
{
	uint64_t f = pa >> FRAME_SHIFT;

	return f < buddy.nframes ? refs[f] : 0;
}
