/*
 * User address spaces (see uvm.h): regions, demand-zero pages and
 * copy-on-write. A user page's frame carries a reference count
 * (pmm_ref): fork shares every page, marks it copy-on-write and
 * read-only in both tables, and the first write makes a private copy,
 * or, when the writer holds the last reference, simply makes the page
 * writable again.
 *
 * Long walks (fork, munmap, exit of a big process) offer the CPU to
 * others every RESCHED_PAGES pages; fork also gives up on a fatal signal.
 */
#include <kstring.h>
#include <abi.h>
#include <compiler.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <panic.h>
#include <pmm.h>
#include <proc.h>
#include <ksched.h>
#include <uvm.h>

#define RESCHED_PAGES	256	/* pages between two offers of the CPU (a power of two) */

static struct vma *
vma_of(struct avl_node *n)
{
	return n ? container_of(n, struct vma, node) : NULL;
}

struct vma *
uvm_first(struct uvm *vm)
{
	return vma_of(avl_first(&vm->vmas));
}

struct vma *
uvm_next(struct vma *v)
{
	return vma_of(avl_next(&v->node));
}

static struct vma *
vma_prev(struct vma *v)
{
	return vma_of(avl_prev(&v->node));
}

/* The tree's augmented data: the largest gap below any region of the subtree. */
static void
update_max_gap(struct avl_node *n)
{
	struct vma *v = vma_of(n), *l = vma_of(n->left), *r = vma_of(n->right);

	v->max_gap = v->gap;
	if (l && l->max_gap > v->max_gap)
		v->max_gap = l->max_gap;
	if (r && r->max_gap > v->max_gap)
		v->max_gap = r->max_gap;
}

/* Recomputes v's gap from the region before it (v may be NULL). */
static void
refresh_gap(struct uvm *vm, struct vma *v)
{
	if (!v)
		return;
	struct vma *prev = vma_prev(v);

	v->gap = v->start - (prev ? prev->end : USER_BASE);
	avl_propagate(&vm->vmas, &v->node);
}

/* The first region that ends above va (Linux's find_vma), or NULL. */
static struct vma *
find_above(struct uvm *vm, uint64_t va)
{
	struct avl_node *n = vm->vmas.root;
	struct vma *best = NULL;

	while (n) {
		struct vma *v = vma_of(n);

		if (v->end > va) {
			best = v;
			if (v->start <= va)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *
uvm_find(struct uvm *vm, uint64_t va)
{
	struct vma *v = find_above(vm, va);

	return v && v->start <= va ? v : NULL;
}

/* The first region that ends after start and begins before end, or NULL. */
static struct vma *
overlapping(struct uvm *vm, uint64_t start, uint64_t end)
{
	struct vma *v = find_above(vm, start);

	return v && v->start < end ? v : NULL;
}

/* A region not yet in the tree (file: NULL or what it maps); NULL at the maximum. */
static struct vma *
vma_alloc(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot, unsigned kind,
	  const struct mmap_file *file)
{
	struct vma *v = vm->nvmas < MAX_MAP_COUNT ? kzalloc(sizeof(*v)) : NULL;

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->kind = kind;
		v->vm = vm;
		if (file && file->file) {
			v->file = *file;
			file->ops->hold(file->file, v);
		}
	}
	return v;
}

static void
vma_free(struct vma *v)
{
	if (v->file.file)
		v->file.ops->release(v->file.file, v);
	kfree(v);
}

/* Links v, which overlaps no region, into the tree. */
static void
vma_link(struct uvm *vm, struct vma *v)
{
	struct avl_node **link = &vm->vmas.root, *parent = NULL;

	while (*link) {
		parent = *link;
		link = v->start < vma_of(parent)->start ? &parent->left : &parent->right;
	}
	avl_insert(&vm->vmas, &v->node, parent, link);
	vm->nvmas++;
	refresh_gap(vm, v);
	refresh_gap(vm, uvm_next(v));
}

static void
vma_unlink(struct uvm *vm, struct vma *v)
{
	struct vma *next = uvm_next(v);

	avl_erase(&vm->vmas, &v->node);
	vm->nvmas--;
	refresh_gap(vm, next);
	vma_free(v);
}

/* Only anonymous memory merges: a region of the program keeps its bounds. */
static bool
mergeable(const struct vma *v, unsigned prot, unsigned kind)
{
	return v && v->prot == prot && v->kind == kind && !v->file.file &&
	       (kind & (VMA_ANON | VMA_HEAP));
}

/* Adds the free range [start, end), extending a neighbour it continues. */
static int
add_merged(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot, unsigned kind)
{
	struct vma *next = find_above(vm, start);
	struct vma *prev = next ? vma_prev(next) : vma_of(avl_last(&vm->vmas));
	bool join_prev = prev && prev->end == start && mergeable(prev, prot, kind);
	bool join_next = next && next->start == end && mergeable(next, prot, kind);

	if (join_prev && join_next) {
		prev->end = next->end;
		vma_unlink(vm, next);
	} else if (join_prev) {
		prev->end = end;
		refresh_gap(vm, next);
	} else if (join_next) {
		next->start = start;
		refresh_gap(vm, next);
	} else {
		struct vma *v = vma_alloc(vm, start, end, prot, kind, NULL);

		if (!v)
			return -ENOMEM;
		vma_link(vm, v);
	}
	return 0;
}

/* Joins v with the neighbours it continues; returns the region v is now part of. */
static struct vma *
merge_neighbours(struct uvm *vm, struct vma *v)
{
	struct vma *prev = vma_prev(v), *next = uvm_next(v);

	if (next && next->start == v->end && mergeable(next, v->prot, v->kind)) {
		v->end = next->end;
		vma_unlink(vm, next);
	}
	if (prev && prev->end == v->start && mergeable(prev, v->prot, v->kind)) {
		prev->end = v->end;
		vma_unlink(vm, v);
		v = prev;
	}
	return v;
}

int
uvm_add_region(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot,
	       unsigned kind)
{
	if (start >= end || start < USER_BASE || end > USER_TOP || overlapping(vm, start, end))
		return -EEXIST;
	struct vma *v = vma_alloc(vm, start, end, prot, kind, NULL);
	if (!v)
		return -ENOMEM;
	vma_link(vm, v);
	return 0;
}

uint64_t
uvm_size(struct uvm *vm)
{
	uint64_t bytes = 0;

	for (struct vma *v = uvm_first(vm); v; v = uvm_next(v))
		bytes += v->end - v->start;
	return bytes;
}

/* The entry of a user page of frame pa in a region with permissions prot. */
static pte_t
user_pte(uint64_t pa, unsigned prot, bool cow)
{
	pte_t e = vmm_pte(pa, prot | VM_USER);

	return cow ? pte_mkcow(e) : e;
}

/* Entry e made again from its region v: same frame, copy-on-write or lent. */
static pte_t
refresh_pte(const struct vma *v, pte_t e)
{
	pte_t fresh = user_pte(pte_frame(e), v->prot, pte_cow(e));

	return pte_special(e) ? pte_mkspecial(fresh) : fresh;
}

/* Maps a fresh zeroed frame at the empty entry e of region v. */
static int
map_zero_page(struct uvm *vm, const struct vma *v, pte_t *e)
{
	uint64_t pa = pmm_alloc_frame();

	if (!pa)
		return -ENOMEM;
	pmm_ref(pa);
	*e = user_pte(pa, v->prot, false);
	if (++vm->rss > vm->max_rss)
		vm->max_rss = vm->rss;
	return 0;
}

/* Drops one user page's frame; offers the CPU now and then (a long unmap). */
static void
drop_frame(pte_t e, void *arg)
{
	struct uvm *vm = arg;

	if (pte_special(e))
		return;		/* the kernel's own frame, only lent */
	pmm_unref(pte_frame(e));
	if ((--vm->rss & (RESCHED_PAGES - 1)) == 0)
		sched_cond_resched();
}

struct uvm *
uvm_create(void)
{
	struct uvm *vm = kzalloc(sizeof(*vm));

	if (!vm)
		return NULL;
	vm->vmas.update = update_max_gap;
	vm->pml4 = pmm_alloc_frame();
	if (!vm->pml4) {
		kfree(vm);
		return NULL;
	}
	/* The kernel half is shared: every address space sees the same kernel. */
	pte_t *mine = phys_to_virt(vm->pml4);
	const pte_t *kernel = phys_to_virt(vmm_kernel_pml4());
	memcpy(mine + PT_ENTRIES / 2, kernel + PT_ENTRIES / 2,
	       PT_ENTRIES / 2 * sizeof(pte_t));
	return vm;
}

void
uvm_activate(struct uvm *vm)
{
	vmm_activate(vm ? vm->pml4 : 0);
}

static void
free_vmas(struct avl_node *n)
{
	if (!n)
		return;
	free_vmas(n->left);
	free_vmas(n->right);
	vma_free(vma_of(n));
}

void
uvm_destroy(struct uvm *vm)
{
	vmm_unmap_range(vm->pml4, 0, USER_TOP, drop_frame, vm);
	pmm_free_frame(vm->pml4);
	free_vmas(vm->vmas.root);
	kfree(vm);
}

/* Makes addr a region boundary, splitting the region that spans it. */
static int
split_at(struct uvm *vm, uint64_t addr)
{
	struct vma *v = uvm_find(vm, addr);

	if (!v || v->start == addr)
		return 0;
	struct mmap_file file = v->file;

	file.pgoff += (addr - v->start) / PAGE_SIZE;
	struct vma *hi = vma_alloc(vm, addr, v->end, v->prot, v->kind, &file);
	if (!hi)
		return -ENOMEM;
	v->end = addr;
	vma_link(vm, hi);
	return 0;
}

/* Removes [start, end) from the regions and unmaps its pages. */
static int
remove_range(struct uvm *vm, uint64_t start, uint64_t end)
{
	int r, n = 0;

	if ((r = split_at(vm, start)) < 0 || (r = split_at(vm, end)) < 0)
		return r;
	for (struct vma *v = find_above(vm, start); v && v->start < end;) {
		struct vma *next = uvm_next(v);

		vma_unlink(vm, v);
		v = next;
		if (++n % RESCHED_PAGES == 0)
			sched_cond_resched();
	}
	vmm_unmap_range(vm->pml4, start, end, drop_frame, vm);
	return 0;
}

/* A write to a copy-on-write page: copy it, unless no one else shares it. */
static int
break_cow(const struct vma *v, pte_t *e, uint64_t va)
{
	uint64_t pa = pte_frame(*e);

	if (pmm_refcount(pa) > 1) {
		uint64_t copy = pmm_alloc_pages(0);

		if (!copy)
			return -ENOMEM;
		memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
		pmm_ref(copy);
		pmm_unref(pa);
		pa = copy;
	}
	*e = user_pte(pa, v->prot, false);
	invlpg(va);
	return 0;
}

/*
 * The first touch of page va of file region v: the file's own frame,
 * shared (MAP_SHARED) or copy-on-write (MAP_PRIVATE: a write copies it);
 * a hole in a private mapping reads as a zero page of the process's own.
 */
static int
map_file_page(struct uvm *vm, const struct vma *v, pte_t *e, uint64_t va)
{
	uint64_t index = v->file.pgoff + (va - v->start) / PAGE_SIZE, pa;
	bool shared = v->kind & VMA_SHARED;
	int r = v->file.ops->get_page(v->file.file, index, shared, &pa);

	if (r == -ENOENT && !shared)
		return map_zero_page(vm, v, e);
	if (r < 0)
		return r;
	*e = user_pte(pa, v->prot, !shared);	/* the reference is the mapping's now */
	if (++vm->rss > vm->max_rss)
		vm->max_rss = vm->rss;
	return 0;
}

/* Maps what belongs at the empty entry e of page va in region v. */
static int
map_missing(struct uvm *vm, const struct vma *v, pte_t *e, uint64_t va)
{
	if (v->kind & VMA_SPECIAL)
		return -EFAULT;		/* the vDSO's pages are there from the start */
	return v->file.file ? map_file_page(vm, v, e, va) : map_zero_page(vm, v, e);
}

/* The pages of a shared file region: the same frames, writable, in child. */
static int
share_writable(struct uvm *vm, struct uvm *child, const struct vma *v)
{
	pte_t *e;

	for (uint64_t va = v->start; (e = vmm_next_mapped(vm->pml4, &va, v->end));
	     va += PAGE_SIZE) {
		pte_t *ce = vmm_walk(child->pml4, va, true);

		if (!ce)
			return -ENOMEM;
		*ce = *e;
		if (!pte_special(*e)) {
			pmm_ref(pte_frame(*e));
			child->rss++;
		}
	}
	return 0;
}

int
uvm_map_special(struct uvm *vm, uint64_t va, const uint64_t *pa, unsigned n,
		unsigned prot)
{
	int r = uvm_add_region(vm, va, va + n * PAGE_SIZE, prot, VMA_SPECIAL);
	struct vma *v = uvm_find(vm, va);

	for (unsigned i = 0; r == 0 && i < n; i++) {
		pte_t *e = vmm_walk(vm->pml4, va + i * PAGE_SIZE, true);

		if (!e)
			return -ENOMEM;
		*e = pte_mkspecial(user_pte(pa[i], v->prot, false));
	}
	return r;
}

#if SOL >= 4
/* Shares region v's pages with child: read-only and copy-on-write in both. */
static int
share_pages(struct uvm *vm, struct uvm *child, const struct vma *v)
{
	pte_t *e;

	for (uint64_t va = v->start; (e = vmm_next_mapped(vm->pml4, &va, v->end));
	     va += PAGE_SIZE) {
		pte_t *ce = vmm_walk(child->pml4, va, true);

		if (!ce)
			return -ENOMEM;
		*e = pte_mkcow(*e);
		invlpg(va);
		*ce = *e;
		pmm_ref(pte_frame(*e));
		if ((++child->rss & (RESCHED_PAGES - 1)) == 0)
			sched_cond_resched();
	}
	return 0;
}

int
uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch)
{
	struct vma *v = uvm_find(vm, va);

	if (!v || !(v->prot & VM_READ) || (write && !(v->prot & VM_WRITE)) ||
	    (fetch && !(v->prot & VM_EXEC)))
		return -EFAULT;
	uint64_t page = PGROUNDDOWN(va);
	pte_t *e = vmm_walk(vm->pml4, page, true);
	if (!e)
		return -ENOMEM;
	if (!pte_has_frame(*e))
		return map_missing(vm, v, e, page);	/* demand paging */
	if (write && pte_cow(*e))
		return break_cow(v, e, page);
	/*
	 * The region allows the access, so the entry or the TLB lags
	 * behind it: make the entry what the region says, and flush.
	 */
	*e = refresh_pte(v, *e);
	invlpg(page);
	return 0;
}
#else
static int
share_pages(struct uvm *vm, struct uvm *child, const struct vma *v)
{
	/* LAB 4: your code here. For each page of v that vm maps
	 * (vmm_next_mapped): the same frame in child's table (vmm_walk with
	 * create), read-only and copy-on-write in both (pte_mkcow, then
	 * invlpg the parent's page), one more reference on the frame
	 * (pmm_ref), and child->rss counts it. */
	(void)vm, (void)child, (void)v;
	return -ENOMEM;
}

int
uvm_fault(struct uvm *vm, uint64_t va, bool write, bool fetch)
{
	/* LAB 4: your code here. Inside a region that allows the access
	 * (uvm_find): map what belongs where nothing is mapped yet
	 * (map_missing: a zeroed frame, or a file's page); copy a
	 * copy-on-write page on a write (break_cow); otherwise the entry
	 * was stale: refresh_pte, then invlpg. */
	(void)vm, (void)va, (void)write, (void)fetch, (void)map_missing, (void)refresh_pte;
	return -EFAULT;
}
#endif

int
uvm_fork(struct uvm *vm, struct uvm **out)
{
	struct uvm *child = uvm_create();
	int r = 0;

	if (!child)
		return -ENOMEM;
	child->brk_start = vm->brk_start;
	child->brk = vm->brk;
	child->arg_start = vm->arg_start;
	child->arg_end = vm->arg_end;
	child->env_end = vm->env_end;
	for (struct vma *v = uvm_first(vm); v; v = uvm_next(v)) {
		struct vma *c = vma_alloc(child, v->start, v->end, v->prot, v->kind, &v->file);

		if (!c) {
			r = -ENOMEM;
			goto fail;
		}
		vma_link(child, c);
		r = v->kind & (VMA_SPECIAL | VMA_SHARED) ? share_writable(vm, child, v) :
		    share_pages(vm, child, v);
		if (r < 0)
			goto fail;
		if (proc_fatal_pending()) {
			r = -ERESTARTNOINTR;	/* as Linux: a handled signal runs, fork again */
			goto fail;
		}
		sched_cond_resched();
	}
	child->max_rss = child->rss;
	*out = child;
	return 0;
fail:
	uvm_destroy(child);
	return r;
}

int
uvm_write(struct uvm *vm, uint64_t va, const void *src, uint64_t n)
{
	const uint8_t *s = src;

	while (n) {
		uint64_t off = va & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off;
		struct vma *v = uvm_find(vm, va);
		pte_t *e = v ? vmm_walk(vm->pml4, PGROUNDDOWN(va), true) : NULL;
		int r;

		if (!v)
			return -EFAULT;
		if (!e)
			return -ENOMEM;
		if (!pte_has_frame(*e) && (r = map_missing(vm, v, e, PGROUNDDOWN(va))) < 0)
			return r;
		if (pte_cow(*e) && (r = break_cow(v, e, PGROUNDDOWN(va))) < 0)
			return r;
		if (chunk > n)
			chunk = n;
		memcpy((uint8_t *)phys_to_virt(pte_frame(*e)) + off, s, chunk);
		s += chunk;
		va += chunk;
		n -= chunk;
		sched_cond_resched();
	}
	return 0;
}

int
uvm_read(struct uvm *vm, uint64_t va, void *dst, uint64_t n)
{
	uint8_t *d = dst;

	while (n) {
		uint64_t off = va & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off;
		pte_t *e = uvm_find(vm, va) ? vmm_walk(vm->pml4, PGROUNDDOWN(va), false) : NULL;

		if (chunk > n)
			chunk = n;
		if (e && pte_has_frame(*e))
			memcpy(d, (uint8_t *)phys_to_virt(pte_frame(*e)) + off, chunk);
		else
			memset(d, 0, chunk);	/* never touched: it would read as zeros */
		d += chunk;
		va += chunk;
		n -= chunk;
	}
	return 0;
}

uint64_t
uvm_brk(struct uvm *vm, uint64_t addr)
{
	uint64_t old_end = PGROUNDUP(vm->brk), new_end = PGROUNDUP(addr);

	if (addr < vm->brk_start || addr > USER_MMAP_TOP)
		return vm->brk;
	if (new_end < old_end && remove_range(vm, new_end, old_end) < 0)
		return vm->brk;
	/* Growing: the pages between the old and the new break must be free. */
	if (new_end > old_end && (overlapping(vm, old_end, new_end) ||
				  add_merged(vm, old_end, new_end, VM_READ | VM_WRITE,
					     VMA_HEAP) < 0))
		return vm->brk;
	vm->brk = addr;
	return vm->brk;
}

unsigned
uvm_prot_bits(int prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE | VM_READ : 0) |
	       (prot & PROT_EXEC ? VM_EXEC | VM_READ : 0);
}

/*
 * The highest a with [a, a + len) free and inside [low, high), among the
 * gaps below the regions of subtree n; 0 if none. Subtrees whose largest
 * gap is too small are skipped whole.
 */
static uint64_t
gap_search(struct avl_node *n, uint64_t len, uint64_t low, uint64_t high)
{
	struct vma *v = vma_of(n);
	uint64_t found;

	if (!v || v->max_gap < len)
		return 0;
	if (v->end < high && (found = gap_search(n->right, len, low, high)))
		return found;
	uint64_t lo = v->start - v->gap, hi = v->start < high ? v->start : high;
	if (lo < low)
		lo = low;
	if (hi > lo && hi - lo >= len)
		return hi - len;
	return v->start - v->gap > low ? gap_search(n->left, len, low, high) : 0;
}

/* The highest free range of len bytes in [USER_BASE, USER_MMAP_TOP), or 0. */
static uint64_t
find_free(struct uvm *vm, uint64_t len)
{
	struct vma *last = vma_of(avl_last(&vm->vmas));
	uint64_t low = USER_BASE, high = USER_MMAP_TOP;

	/* Above the last region no region records the gap. */
	uint64_t top = last && last->end > low ? last->end : low;
	if (top < high && high - top >= len)
		return high - len;
	return gap_search(vm->vmas.root, len, low, high);
}

/* Whether a hint for mmap is free, in user space and clear of the stack's guard gap. */
static bool
hint_ok(struct uvm *vm, uint64_t addr, uint64_t len)
{
	if (addr < USER_BASE || addr > USER_TOP - len)
		return false;
	struct vma *next = find_above(vm, addr);
	if (!next)
		return true;
	uint64_t limit = next->start;
	if (next->kind & VMA_STACK)
		limit = limit > STACK_GUARD_GAP ? limit - STACK_GUARD_GAP : 0;
	return addr + len <= limit;
}

int64_t
uvm_mmap(struct uvm *vm, uint64_t addr, uint64_t len, int prot, int flags,
	 const struct mmap_file *file)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	if (!len)
		return -EINVAL;
	len = PGROUNDUP(len);
	if (!len || len > USER_TOP - USER_BASE)
		return -ENOMEM;
	if (fixed) {
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < USER_BASE)
			return -EPERM;
		if (overlapping(vm, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			int r = remove_range(vm, addr, addr + len);
			if (r < 0)
				return r;
		}
	} else {
		addr = PGROUNDUP(addr);
		if (!addr || !hint_ok(vm, addr, len))
			addr = find_free(vm, len);
		if (!addr)
			return -ENOMEM;
	}
	if (!file) {
		int r = add_merged(vm, addr, addr + len, uvm_prot_bits(prot), VMA_ANON);

		return r < 0 ? r : (int64_t)addr;
	}
	unsigned kind = VMA_FILE | ((flags & MAP_TYPE) == MAP_SHARED ? VMA_SHARED : 0);
	struct vma *v = vma_alloc(vm, addr, addr + len, uvm_prot_bits(prot), kind, file);
	if (!v)
		return -ENOMEM;
	vma_link(vm, v);
	return (int64_t)addr;
}

int
uvm_munmap(struct uvm *vm, uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || addr > USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	len = PGROUNDUP(len);
	if (!len)
		return -EINVAL;
	return remove_range(vm, addr, addr + len);
}

/* Gives [start, end), which lies inside one region, the permissions prot. */
static int
protect_part(struct uvm *vm, uint64_t start, uint64_t end, unsigned prot)
{
	int r, n = 0;
	pte_t *e;

	if ((r = split_at(vm, start)) < 0 || (r = split_at(vm, end)) < 0)
		return r;
	struct vma *v = uvm_find(vm, start);
	v->prot = prot;
	for (uint64_t va = start; (e = vmm_next_mapped(vm->pml4, &va, end)); va += PAGE_SIZE) {
		*e = refresh_pte(v, *e);
		invlpg(va);
		if (++n % RESCHED_PAGES == 0)
			sched_cond_resched();
	}
	merge_neighbours(vm, v);
	return 0;
}

int
uvm_mprotect(struct uvm *vm, uint64_t addr, uint64_t len, int prot)
{
	unsigned bits = uvm_prot_bits(prot);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	uint64_t end = addr + PGROUNDUP(len);
	if (end <= addr)
		return -ENOMEM;
	/* As Linux: the regions up to the first hole change, then -ENOMEM. */
	uint64_t at = addr;
	struct vma *v = find_above(vm, at);
	if (!v || v->start > at)
		return -ENOMEM;
	while (at < end) {
		if (!v || v->start > at)
			return -ENOMEM;
		if (v->kind & VMA_SPECIAL)
			return -EACCES;		/* the vDSO stays as the kernel made it */
		if ((bits & VM_WRITE) && (v->kind & VMA_SHARED) && !v->file.may_write)
			return -EACCES;		/* a shared map of a file open read-only */
		uint64_t stop = v->end < end ? v->end : end;
		int r = protect_part(vm, at, stop, bits);
		if (r < 0)
			return r;
		at = stop;
		v = find_above(vm, at);
	}
	return 0;
}

void
uvm_zap_file_pages(struct vma *v, uint64_t first_index)
{
	uint64_t from = first_index <= v->file.pgoff ? v->start :
			v->start + (first_index - v->file.pgoff) * PAGE_SIZE;

	if (from >= v->start && from < v->end)
		vmm_unmap_range(v->vm->pml4, from, v->end, drop_frame, v->vm);
}

int
uvm_madvise(struct uvm *vm, uint64_t addr, uint64_t len, bool discard)
{
	uint64_t end = addr + PGROUNDUP(len);
	int r = 0;

	if ((addr & (PAGE_SIZE - 1)) || (len && !PGROUNDUP(len)) || end < addr)
		return -EINVAL;
	/* As Linux: the advice applies where regions are; a hole makes it -ENOMEM. */
	for (uint64_t at = addr; at < end;) {
		struct vma *v = find_above(vm, at);

		if (!v || v->start >= end)
			return -ENOMEM;
		if (v->start > at) {
			r = -ENOMEM;
			at = v->start;
		}
		uint64_t stop = v->end < end ? v->end : end;
		if (discard && (v->kind & VMA_SPECIAL))
			return -EINVAL;		/* nothing to give back */
		if (discard)	/* the pages read as zero from now on */
			vmm_unmap_range(vm->pml4, at, stop, drop_frame, vm);
		at = stop;
	}
	return r;
}
