/*
 * User address spaces (see uvm.h): regions, demand-zero pages and
 * copy-on-write. A user page's frame carries a reference count
 * (pmm_ref): fork shares every page, marks it PTE_COW and read-only in
 * both tables, and the first write makes a private copy, or, when the
 * writer holds the last reference, simply makes the page writable again.
 */
#include <string.h>
#include <abi.h>
#include <errno.h>
#include <kmalloc.h>
#include <layout.h>
#include <panic.h>
#include <pmm.h>
#include <uvm.h>
#include <vmm.h>

#define PML4_USER_SLOTS	256	/* entries 0..255 map user space, 256..511 the kernel */

static uint64_t
page_down(uint64_t v)
{
	return v & ~(PAGE_SIZE - 1);
}

static uint64_t
page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/*
 * The page-table permission bits of a page in a region with permissions
 * prot: no user access at all without VM_READABLE (PROT_NONE), and never
 * writable while the frame is shared copy-on-write.
 */
static pte_t
prot_pte(unsigned prot, bool cow)
{
	return (prot & VM_READABLE ? PTE_U : 0) |
	       (prot & VM_WRITE && !cow ? PTE_W : 0) |
	       (prot & VM_EXEC || !vmm_nx_enabled() ? 0 : PTE_NX);
}

/* Maps a fresh zeroed frame at the empty entry e of region v. */
static int
map_zero_page(const struct vma *v, pte_t *e)
{
	uint64_t pa = pmm_alloc_frame();

	if (!pa)
		return -ENOMEM;
	pmm_ref(pa);
	*e = pa | PTE_P | prot_pte(v->prot, false);
	return 0;
}

struct uvm *
uvm_create(void)
{
	struct uvm *vm = kzalloc(sizeof(*vm));

	if (!vm)
		return NULL;
	vm->pml4 = pmm_alloc_frame();
	if (!vm->pml4) {
		kfree(vm);
		return NULL;
	}
	/* The kernel half is shared: every address space sees the same kernel. */
	pte_t *mine = phys_to_virt(vm->pml4);
	const pte_t *kernel = phys_to_virt(vmm_kernel_pml4());
	memcpy(mine + PML4_USER_SLOTS, kernel + PML4_USER_SLOTS,
	       PML4_USER_SLOTS * sizeof(pte_t));
	return vm;
}

void
uvm_activate(struct uvm *vm)
{
	paging_load(vm ? vm->pml4 : vmm_kernel_pml4());
}

/* Frees a page-table level and everything below it; level 1 entries are pages. */
static void
free_level(uint64_t table_pa, int level)
{
	pte_t *t = phys_to_virt(table_pa);

	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level == 1)
			pmm_unref(t[i] & PTE_ADDR);
		else
			free_level(t[i] & PTE_ADDR, level - 1);
	}
	pmm_free_frame(table_pa);
}

static void
free_vmas(struct vma *v)
{
	while (v) {
		struct vma *next = v->next;

		kfree(v);
		v = next;
	}
}

void
uvm_destroy(struct uvm *vm)
{
	pte_t *pml4 = phys_to_virt(vm->pml4);

	for (int i = 0; i < PML4_USER_SLOTS; i++)
		if (pml4[i] & PTE_P)
			free_level(pml4[i] & PTE_ADDR, 3);
	pmm_free_frame(vm->pml4);
	free_vmas(vm->vmas);
	kfree(vm);
}

struct vma *
uvm_find(struct uvm *vm, uint64_t va)
{
	for (struct vma *v = vm->vmas; v && v->start <= va; v = v->next)
		if (va < v->end)
			return v;
	return NULL;
}

/* The first region that ends after start and begins before end, or NULL. */
static struct vma *
overlapping(struct uvm *vm, uint64_t start, uint64_t end)
{
	for (struct vma *v = vm->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return v;
	return NULL;
}

int
uvm_add_region(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot,
	       unsigned kind)
{
	struct vma **pp = &vm->vmas;

	if (start >= end || overlapping(vm, start, end))
		return -EEXIST;
	struct vma *v = kmalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = (struct vma){ start, end, prot, kind, NULL };
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
	return 0;
}

/* Unmaps the pages of [start, end), dropping their frames' references. */
static void
unmap_range(struct uvm *vm, uint64_t start, uint64_t end)
{
	pte_t *e;

	for (uint64_t va = start; (e = vmm_next_mapped(vm->pml4, &va, end)); va += PAGE_SIZE) {
		pmm_unref(*e & PTE_ADDR);
		*e = 0;
		vmm_invalidate(va);
	}
}

/* Makes addr a region boundary, splitting the region that spans it. */
static int
split_at(struct uvm *vm, uint64_t addr)
{
	struct vma *v = uvm_find(vm, addr);

	if (!v || v->start == addr)
		return 0;
	struct vma *hi = kmalloc(sizeof(*hi));
	if (!hi)
		return -ENOMEM;
	*hi = *v;
	hi->start = addr;
	v->end = addr;
	v->next = hi;
	return 0;
}

/* Removes [start, end) from the regions and unmaps its pages. */
static int
remove_range(struct uvm *vm, uint64_t start, uint64_t end)
{
	int r;

	if ((r = split_at(vm, start)) < 0 || (r = split_at(vm, end)) < 0)
		return r;
	for (struct vma **pp = &vm->vmas; *pp;) {
		struct vma *v = *pp;

		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			kfree(v);
		} else {
			pp = &v->next;
		}
	}
	unmap_range(vm, start, end);
	return 0;
}

#if SOL >= 4
struct uvm *
uvm_fork(struct uvm *vm)
{
	struct uvm *child = uvm_create();

	if (!child)
		return NULL;
	for (struct vma *v = vm->vmas; v; v = v->next)
		if (uvm_add_region(child, v->start, v->end, v->prot, v->kind) < 0)
			goto fail;
	child->brk_start = vm->brk_start;
	child->brk = vm->brk;
	/* Share every page, read-only and copy-on-write in both. */
	for (struct vma *v = vm->vmas; v; v = v->next) {
		pte_t *e;

		for (uint64_t va = v->start; (e = vmm_next_mapped(vm->pml4, &va, v->end));
		     va += PAGE_SIZE) {
			pte_t *ce = vmm_walk(child->pml4, va, true);
			if (!ce)
				goto fail;
			*e = (*e & ~PTE_W) | PTE_COW;
			vmm_invalidate(va);
			*ce = *e;
			pmm_ref(*e & PTE_ADDR);
		}
	}
	return child;
fail:
	uvm_destroy(child);
	return NULL;
}

/* A write to a copy-on-write page: copy it, unless no one else shares it. */
static int
break_cow(pte_t *e, uint64_t va)
{
	uint64_t pa = *e & PTE_ADDR;

	if (pmm_refcount(pa) > 1) {
		uint64_t copy = pmm_alloc_pages(0);

		if (!copy)
			return -ENOMEM;
		memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
		pmm_ref(copy);
		pmm_unref(pa);
		*e = (*e & PTE_FLAGS) | copy;
	}
	*e = (*e | PTE_W) & ~PTE_COW;
	vmm_invalidate(va);
	return 0;
}

int
uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch)
{
	struct vma *v = uvm_find(vm, va);

	if (!v || !(v->prot & VM_READABLE) || (write && !(v->prot & VM_WRITE)) ||
	    (fetch && !(v->prot & VM_EXEC)))
		return -EFAULT;
	uint64_t page = page_down(va);
	pte_t *e = vmm_walk(vm->pml4, page, true);
	if (!e)
		return -ENOMEM;
	if (!(*e & PTE_P))
		return map_zero_page(v, e);	/* demand zero */
	if (write && (*e & PTE_COW))
		return break_cow(e, page);
	vmm_invalidate(page);	/* a stale TLB entry, after mprotect */
	return 0;
}
#else
struct uvm *
uvm_fork(struct uvm *vm)
{
	/* LAB 4: your code here. A new address space with the same regions
	 * whose page tables share every present page, read-only and marked
	 * PTE_COW in both parent and child (pmm_ref the frame). */
	(void)vm;
	return NULL;
}

int
uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch)
{
	/* LAB 4: your code here. Inside a region that allows the access:
	 * map a zeroed frame where nothing is mapped (demand zero); copy a
	 * PTE_COW page on a write. */
	(void)vm, (void)va, (void)write, (void)fetch, (void)page_down;
	return -EFAULT;
}
#endif

int
uvm_write(struct uvm *vm, uint64_t va, const void *src, uint64_t n)
{
	const uint8_t *s = src;

	while (n) {
		uint64_t off = va & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off;
		struct vma *v = uvm_find(vm, va);

		if (!v)
			return -EFAULT;
		pte_t *e = vmm_walk(vm->pml4, page_down(va), true);
		int r;
		if (!e)
			return -ENOMEM;
		if (!(*e & PTE_P) && (r = map_zero_page(v, e)) < 0)
			return r;
		if (chunk > n)
			chunk = n;
		memcpy((uint8_t *)phys_to_virt(*e & PTE_ADDR) + off, s, chunk);
		s += chunk;
		va += chunk;
		n -= chunk;
	}
	return 0;
}

static struct vma *
heap_of(struct uvm *vm)
{
	for (struct vma *v = vm->vmas; v; v = v->next)
		if (v->kind & VMA_HEAP)
			return v;
	return NULL;
}

uint64_t
uvm_brk(struct uvm *vm, uint64_t addr)
{
	uint64_t old_end = page_up(vm->brk), new_end = page_up(addr);
	struct vma *heap = heap_of(vm);

	if (addr < vm->brk_start || addr > USER_MMAP_TOP)
		return vm->brk;
	if (new_end > old_end) {
		if (overlapping(vm, old_end, new_end))
			return vm->brk;		/* would run into a mapping */
		if (heap)
			heap->end = new_end;
		else if (uvm_add_region(vm, page_up(vm->brk_start), new_end,
					VM_READABLE | VM_WRITE, VMA_HEAP) < 0)
			return vm->brk;
	} else if (new_end < old_end && heap) {
		unmap_range(vm, new_end, old_end);
		heap->end = new_end;
		if (heap->end <= heap->start)
			remove_range(vm, heap->start, heap->end);	/* the empty heap */
	}
	vm->brk = addr;
	return vm->brk;
}

unsigned
uvm_prot_bits(int prot)
{
	return (prot & PROT_READ ? VM_READABLE : 0) |
	       (prot & PROT_WRITE ? VM_WRITE | VM_READABLE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC | VM_READABLE : 0);
}

/* The highest free range of len bytes below USER_MMAP_TOP, or 0. */
static uint64_t
find_gap(struct uvm *vm, uint64_t len)
{
	uint64_t at = USER_MMAP_TOP - len;

	for (;;) {
		struct vma *v = overlapping(vm, at, at + len);

		if (!v)
			return at;
		if (v->start < USER_BASE + len)
			return 0;
		at = v->start - len;
	}
}

int64_t
uvm_mmap(struct uvm *vm, uint64_t addr, uint64_t len, int prot, int flags)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	if (!len || (addr & (PAGE_SIZE - 1) && fixed))
		return -EINVAL;
	len = page_up(len);
	if (len == 0 || len > USER_MMAP_TOP)
		return -ENOMEM;
	if (fixed) {
		if (addr < USER_BASE || addr + len > USER_STACK_TOP || addr + len < addr)
			return -ENOMEM;
		if (overlapping(vm, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			int r = remove_range(vm, addr, addr + len);
			if (r < 0)
				return r;
		}
	} else {
		addr = page_down(addr);
		if (!addr || addr < USER_BASE || addr + len > USER_MMAP_TOP ||
		    overlapping(vm, addr, addr + len))
			addr = find_gap(vm, len);
		if (!addr)
			return -ENOMEM;
	}
	int r = uvm_add_region(vm, addr, addr + len, uvm_prot_bits(prot), VMA_ANON);
	return r < 0 ? r : (int64_t)addr;
}

int
uvm_munmap(struct uvm *vm, uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len || addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	return remove_range(vm, addr, page_up(addr + len));
}

int
uvm_mprotect(struct uvm *vm, uint64_t addr, uint64_t len, int prot)
{
	uint64_t end = page_up(addr + len);
	unsigned bits = uvm_prot_bits(prot);
	int r;

	if ((addr & (PAGE_SIZE - 1)) || end < addr)
		return -EINVAL;
	/* The whole range must be mapped, or nothing changes (-ENOMEM). */
	for (uint64_t va = addr; va < end;) {
		struct vma *v = uvm_find(vm, va);

		if (!v)
			return -ENOMEM;
		va = v->end;
	}
	if ((r = split_at(vm, addr)) < 0 || (r = split_at(vm, end)) < 0)
		return r;
	for (struct vma *v = uvm_find(vm, addr); v && v->start < end; v = v->next)
		v->prot = bits;
	pte_t *e;

	for (uint64_t va = addr; (e = vmm_next_mapped(vm->pml4, &va, end)); va += PAGE_SIZE) {
		*e = (*e & (PTE_ADDR | PTE_COW)) | PTE_P | prot_pte(bits, *e & PTE_COW);
		vmm_invalidate(va);
	}
	return 0;
}
