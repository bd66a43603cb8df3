/* ktests of the memory manager: frames, page tables, heap, guard pages. */
#include <kstring.h>
#include <clock.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <ktest.h>
#include <layout.h>
#include <monitor.h>
#include <pmm.h>
#include <vmm.h>
#include <arch/cpu.h>

#define TEST_VA		0xFFFFFE0000000000UL	/* unused by the kernel */
#define PATTERN		0x5A5A000000000000UL

/* The map and the reservations the counts come from, the counts, then one block of each small order. */
KTEST(pmm)
{
	uint64_t blocks[4], free0 = pmm_free_frames();

	memmap_print("pmm: ");
	kprintf("pmm: managed %lu frames (%lu KiB), free %lu frames\n",
		pmm_managed_frames(), pmm_managed_frames() * 4, free0);
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		kprintf("pmm: order %u: %lu free blocks\n", o, pmm_free_blocks(o));
	for (unsigned o = 0; o < 4; o++) {
		blocks[o] = pmm_alloc_pages(o);
		kprintf("pmm: alloc order %u: 0x%lx\n", o, blocks[o]);
	}
	kprintf("pmm: free after allocating: %lu\n", pmm_free_frames());
	for (unsigned o = 0; o < 4; o++)
		if (blocks[o])
			pmm_free_pages(blocks[o], o);
	kprintf("pmm: free after freeing: %lu\n", pmm_free_frames());
}

/*
 * Takes every frame, one at a time, writing its own address into it, then
 * checks every pattern (a frame handed out twice would hold the other's),
 * frees them all and compares the counters and the top-order blocks.
 */
KTEST(pmm_all)
{
	uint64_t free0 = pmm_free_frames(), top0 = pmm_free_blocks(BUDDY_MAX_ORDER);
	uint64_t head = 0, n = 0, pa, bad = 0;

	while ((pa = pmm_alloc_pages(0))) {
		uint64_t *f = phys_to_virt(pa);

		f[0] = head;			/* a list through the frames */
		f[1] = PATTERN | pa;
		f[511] = ~pa;
		head = pa;
		n++;
	}
	kprintf("pmm_all: allocated %lu frames, %lu were free\n", n, free0);
	for (pa = head; pa; pa = ((uint64_t *)phys_to_virt(pa))[0]) {
		uint64_t *f = phys_to_virt(pa);

		if (f[1] != (PATTERN | pa) || f[511] != ~pa)
			bad++;
	}
	kprintf("pmm_all: %lu frames with a foreign pattern\n", bad);
	while (head) {
		pa = head;
		head = ((uint64_t *)phys_to_virt(pa))[0];
		pmm_free_frame(pa);
	}
	kprintf("pmm_all: after freeing: free %lu (was %lu), order-%d blocks %lu (was %lu)\n",
		pmm_free_frames(), free0, BUDDY_MAX_ORDER,
		pmm_free_blocks(BUDDY_MAX_ORDER), top0);
}

KTEST(pmm_double_free)
{
	uint64_t pa = pmm_alloc_frame();

	kprintf("pmm_double_free: allocated frame 0x%lx\n", pa);
	pmm_free_frame(pa);
	kprintf("pmm_double_free: freeing frame 0x%lx again\n", pa);
	pmm_free_frame(pa);
}

KTEST(vmm)
{
	uint64_t pml4 = vmm_kernel_pml4(), pa = pmm_alloc_frame();

	if (!pml4) {
		kprintf("vmm: not on the kernel page tables\n");
		return;
	}
	kprintf("vmm: map %d\n", vmm_map_page(pml4, TEST_VA, pa, VM_READ | VM_WRITE));
	kprintf("vmm: map again %d\n", vmm_map_page(pml4, TEST_VA, pa, VM_READ | VM_WRITE));
	*(volatile uint64_t *)TEST_VA = 0x1234;
	kprintf("vmm: translate ok %d, direct map sees 0x%lx\n",
		vmm_translate(pml4, TEST_VA) == pa, *(uint64_t *)phys_to_virt(pa));
	pte_t *e = vmm_walk(pml4, TEST_VA, false);
	kprintf("vmm: pte present %d writable %d nx %d\n", !!(*e & PTE_P),
		!!(*e & PTE_W), !!(*e & PTE_NX));
	kprintf("vmm: protect %d\n", vmm_protect(pml4, TEST_VA, VM_READ));
	kprintf("vmm: pte writable %d\n", !!(*vmm_walk(pml4, TEST_VA, false) & PTE_W));
	kprintf("vmm: unmap returns the frame %d\n", vmm_unmap_page(pml4, TEST_VA) == pa);
	kprintf("vmm: translate after unmap %ld\n", (long)vmm_translate(pml4, TEST_VA));
	kprintf("vmm: protect unmapped %d\n", vmm_protect(pml4, TEST_VA, VM_READ));
	pmm_free_frame(pa);
}

/* The faults: each reports its error code and address, then panics. */
KTEST(write_rodata)
{
	static const char msg[] = "read-only";

	kprintf("write_rodata: writing to %p\n", (void *)msg);
	*(volatile char *)msg = 'X';
}

KTEST(exec_data)
{
	static uint8_t code[16] = { 0xC3 };	/* ret, in .data: no execute */
	void (*fn)(void) = (void (*)(void))code;

	kprintf("exec_data: calling %p\n", (void *)code);
	fn();
}

KTEST(unmapped)
{
	uint64_t pml4 = vmm_kernel_pml4(), pa = pmm_alloc_frame();

	int r = pml4 ? vmm_map_page(pml4, TEST_VA, pa, VM_READ | VM_WRITE) : -1;

	kprintf("unmapped: map %d\n", r);
	if (r < 0)
		return;
	*(volatile uint64_t *)TEST_VA = 1;
	vmm_unmap_page(pml4, TEST_VA);
	kprintf("unmapped: reading 0x%lx after unmapping it\n", TEST_VA);
	(void)*(volatile uint64_t *)TEST_VA;
}

KTEST(null)
{
	/* volatile: a visible null dereference is undefined, GCC emits ud2. */
	volatile uint64_t *volatile p = NULL;

	kprintf("null: reading address 0\n");
	(void)*p;
}

/* Tens of thousands of random allocations, patterns checked, all freed. */
KTEST(heap)
{
	enum { SLOTS = 512, ROUNDS = 30000 };
	static uint8_t *ptr[SLOTS];
	static size_t len[SLOTS];
	uint64_t seed = 42, base = kmalloc_in_use(), bad = 0, max = 0;
	uint64_t frames = pmm_free_frames();

	for (int r = 0; r < ROUNDS; r++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int i = (seed >> 33) % SLOTS;
		if (ptr[i]) {
			for (size_t k = 0; k < len[i]; k++)
				bad += ptr[i][k] != (uint8_t)(i + k);
			kfree(ptr[i]);
			ptr[i] = NULL;
			continue;
		}
		/* Mostly small, sometimes a few pages. */
		len[i] = (seed >> 20) % 8 ? 1 + (seed >> 40) % 1024 : 1 + (seed >> 40) % 20000;
		ptr[i] = kmalloc(len[i]);
		if (!ptr[i] || ((uint64_t)ptr[i] & 15)) {
			kprintf("heap: kmalloc(%zu) gave %p\n", len[i], (void *)ptr[i]);
			return;
		}
		for (size_t k = 0; k < len[i]; k++)
			ptr[i][k] = (uint8_t)(i + k);
		if (kmalloc_in_use() > max)
			max = kmalloc_in_use();
	}
	for (int i = 0; i < SLOTS; i++) {
		for (size_t k = 0; ptr[i] && k < len[i]; k++)
			bad += ptr[i][k] != (uint8_t)(i + k);
		kfree(ptr[i]);
		ptr[i] = NULL;
	}
	uint8_t *a = kmalloc_aligned(100, 256), *b = kmalloc_aligned(5000, 8192);
	kprintf("heap: aligned %d %d\n", !((uint64_t)a & 255), !((uint64_t)b & 8191));
	kfree(a);
	kfree(b);
	kprintf("heap: %d rounds, peak %lu bytes, %lu corrupted bytes\n", ROUNDS, max, bad);
	kprintf("heap: in use before %lu, after %lu\n", base, kmalloc_in_use());
	/* Empty slabs go back to the frame allocator, but one per class may stay. */
	kprintf("heap: free frames before %lu, after %lu (%d size classes)\n", frames,
		pmm_free_frames(), KMALLOC_CLASSES);
}

/* With kmalloc=debug: a one-byte overflow is caught by kfree. */
KTEST(heap_overflow)
{
	char *p = kmalloc(24);

	kprintf("heap_overflow: writing p[24] of a 24-byte object\n");
	p[24] = 'X';
	kfree(p);
}

/* With kmalloc=debug: a write after kfree is caught by the next kmalloc. */
KTEST(heap_use_after_free)
{
	uint64_t *p = kmalloc(64);

	kfree(p);
	kprintf("heap_use_after_free: writing %p after kfree\n", (void *)p);
	p[3] = 1;
	for (int i = 0; i < 256; i++)
		kmalloc(64);		/* the slab hands p out again */
}

static int depth;

/* Recurses until depth_limit, which is far more than any stack holds. */
static volatile int depth_limit = 1 << 30;

__noinline static int
recurse(int n)
{
	volatile char frame[256];

	frame[0] = (char)n;
	depth = n;
	return n < depth_limit ? recurse(n + 1) + frame[0] : 0;
}

static void
overflow(void)
{
	recurse(0);
}

/* A real overflow: recursion on a guarded stack runs into its guard page. */
KTEST(stack_overflow)
{
	uint64_t top = vmm_alloc_stack(2);

	if (!top) {
		kprintf("stack_overflow: vmm_alloc_stack failed\n");
		return;
	}
	kprintf("stack_overflow: recursing on an 8 KiB stack below 0x%lx\n", top);
	call_on_stack(top, overflow);
}

/* Benchmarks: TSC cycles per operation, averaged over many rounds. */
KTEST(mm_bench)
{
	enum { N = 20000 };
	uint64_t pml4 = vmm_kernel_pml4(), t0, pa;

	t0 = rdtsc();
	for (int i = 0; i < N; i++)
		pmm_free_pages(pmm_alloc_pages(0), 0);
	kprintf("bench: frame alloc+free: %lu cycles\n", (rdtsc() - t0) / N);
	pa = pmm_alloc_frame();
	if (!pml4 || !pa)
		return;
	vmm_map_page(pml4, TEST_VA, pa, VM_READ | VM_WRITE);	/* the tables exist from now on */
	vmm_unmap_page(pml4, TEST_VA);
	t0 = rdtsc();
	for (int i = 0; i < N; i++) {
		vmm_map_page(pml4, TEST_VA, pa, VM_READ | VM_WRITE);
		vmm_unmap_page(pml4, TEST_VA);
	}
	kprintf("bench: 4 KiB map+unmap: %lu cycles\n", (rdtsc() - t0) / N);
	t0 = rdtsc();
	for (int i = 0; i < N; i++)
		kfree(kmalloc(64));
	kprintf("bench: kmalloc+kfree 64 bytes: %lu cycles\n", (rdtsc() - t0) / N);
	pmm_free_frame(pa);
	kprintf("bench: TSC %lu kHz\n", tsc_khz());
}
