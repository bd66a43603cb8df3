/*
 * futex(2) (lab 6): sleeping on a 32-bit word in user memory until
 * someone wakes it. A word in a shared mapping is named by its physical
 * frame and offset, so processes that share the page find each other; a
 * private one by the address space and the address. The value is checked
 * and the waiter queued with nothing in between that could sleep, so a
 * wake that follows a store cannot be lost.
 */
#include <abi.h>
#include <clock.h>
#include <kerrno.h>
#include <ksched.h>
#include <ksyscall.h>
#include <layout.h>
#include <proc.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/cpu.h>
#include <arch/mmu.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_BITSET_ALL	0xFFFFFFFFU
#define BUCKETS			64

struct futex_key {
	uint64_t a, b;		/* (frame, offset) or (address space, address) */
};

struct waiter {
	struct futex_key key;
	uint32_t bitset;
	bool woken;
	struct waiter *next;
};

static struct waiter *buckets[BUCKETS];

static struct waiter **
bucket(const struct futex_key *k)
{
	return &buckets[(k->a * 31 + k->b) / 4 % BUCKETS];
}

/*
 * The key of the word at uaddr. As Linux: a private key needs no mapping
 * (a wake there finds nobody), a read-only anonymous page never changes
 * (-EFAULT), and a shared page is faulted in, also for a wake: another
 * process may have brought it into the file while this one never touched it.
 */
static int
key_of(uint64_t uaddr, bool private, struct futex_key *k)
{
	struct uvm *vm = proc_current()->vm;
	struct vma *v;

	if (uaddr & 3)
		return -EINVAL;
	if (!vm || uaddr > USER_TOP - sizeof(uint32_t))
		return -EFAULT;
	if (private) {
		*k = (struct futex_key){ (uint64_t)(uintptr_t)vm, uaddr };
		return 0;
	}
	if (!(v = uvm_find(vm, uaddr)))
		return -EFAULT;
	if (!(v->kind & VMA_SHARED)) {
		if (!(v->prot & VM_WRITE) && !(v->kind & VMA_FILE))
			return -EFAULT;
		*k = (struct futex_key){ (uint64_t)(uintptr_t)vm, uaddr };
		return 0;
	}
	pte_t *e = vmm_walk(vm->pml4, PGROUNDDOWN(uaddr), false);
	if (!e || !pte_has_frame(*e)) {
		if (uvm_fault(vm, uaddr, false, false) < 0)
			return -EFAULT;
		e = vmm_walk(vm->pml4, PGROUNDDOWN(uaddr), false);
	}
	if (!e || !pte_has_frame(*e))
		return -EFAULT;
	*k = (struct futex_key){ pte_frame(*e), (uaddr & (PAGE_SIZE - 1)) | 1 };
	return 0;
}

static bool
same(const struct futex_key *x, const struct futex_key *y)
{
	return x->a == y->a && x->b == y->b;
}

static void
unqueue(struct waiter *w)
{
	for (struct waiter **pp = bucket(&w->key); *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

#if SOL >= 6
static int64_t
futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset, bool private)
{
	struct waiter w = { .bitset = bitset };
	uint32_t cur;
	int r;

	if (!bitset)
		return -EINVAL;
	if ((r = key_of(uaddr, private, &w.key)) < 0)
		return r;
	if (copy_from_user(&cur, uaddr, sizeof(cur)) < 0)
		return -EFAULT;
	/* Nothing sleeps from the check to the queueing: no wake is lost. */
	uint64_t flags = irq_save();
	if (cur != val) {
		irq_restore(flags);
		return -EAGAIN;
	}
	w.next = *bucket(&w.key);
	*bucket(&w.key) = &w;
	while (!w.woken) {
		if (deadline && clock_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		if (sched_sleep(&w, deadline) < 0) {
			r = -ERESTARTSYS;
			break;
		}
	}
	if (!w.woken)
		unqueue(&w);
	irq_restore(flags);
	return w.woken ? 0 : r;
}

/*
 * Wakes up to n waiters of key (with a bit of bitset); moves up to n2 more
 * to to. The moved ones join to's bucket after the walk: to may be key
 * itself, and a waiter put back at the head of the bucket being walked
 * would be met again.
 */
static int64_t
wake(const struct futex_key *key, int n, uint32_t bitset, const struct futex_key *to, int n2)
{
	uint64_t flags = irq_save();
	struct waiter *moving = NULL;
	int woken = 0, moved = 0;

	for (struct waiter **pp = bucket(key); *pp;) {
		struct waiter *w = *pp;

		if (!same(&w->key, key) || !(w->bitset & bitset)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		if (woken < n) {
			w->woken = true;
			sched_wakeup(w);
			woken++;
		} else if (to && moved < n2) {
			w->key = *to;
			w->next = moving;
			moving = w;
			moved++;
		} else {
			w->next = *pp;		/* neither: it stays where it was */
			*pp = w;
			pp = &w->next;
		}
	}
	while (moving) {
		struct waiter *w = moving;

		moving = w->next;
		w->next = *bucket(to);
		*bucket(to) = w;
	}
	irq_restore(flags);
	return woken + moved;
}
#else
static int64_t
futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset, bool private)
{
	/* LAB 6: your code here. -EINVAL for an empty bitset. Find the word's
	 * key (key_of, faulting a shared page in), read the word: -EAGAIN
	 * unless it is val. Then, with interrupts off from the check on (no
	 * wake may fall in between), queue a struct waiter on your stack in
	 * its bucket and sleep on it until a wake marks it woken: -ETIMEDOUT
	 * at the deadline, -ERESTARTSYS for a signal; unqueue it if nobody
	 * woke it. */
	(void)uaddr, (void)val, (void)deadline, (void)bitset, (void)private, (void)unqueue;
	return -ENOSYS;
}

/* Wakes up to n waiters of key (with a bit of bitset); moves up to n2 more to to. */
static int64_t
wake(const struct futex_key *key, int n, uint32_t bitset, const struct futex_key *to, int n2)
{
	/* LAB 6: your code here. Walk key's bucket with interrupts off: the
	 * first n waiters with that key and a bit of bitset are taken off,
	 * marked woken and woken (sched_wakeup on the waiter); after them,
	 * up to n2 more move to the key to (requeue). Return how many were
	 * woken or moved. */
	(void)key, (void)n, (void)bitset, (void)to, (void)n2, (void)same;
	return -ENOSYS;
}
#endif

/* A timeout: relative for FUTEX_WAIT, an absolute time of the clock for the bitset wait. */
static int
deadline_of(uint64_t uts, bool absolute, bool realtime, uint64_t *deadline)
{
	uint64_t ns, now;
	int r;

	*deadline = 0;
	if (!uts)
		return 0;
	if ((r = timespec_from_user(uts, &ns)) < 0)
		return r;
	now = clock_ns();
	if (absolute) {
		uint64_t clock = realtime ? clock_realtime_ns() : now;
		ns = ns > clock ? ns - clock : 0;
	}
	*deadline = now + ns >= now ? now + ns : UINT64_MAX;
	if (!*deadline)
		*deadline = 1;
	return 0;
}

static int64_t resume_wait(struct restart_block *r);

/*
 * futex_wait, and a timed one that a stop interrupts resumes until the
 * same deadline (Linux's restart block); a handler makes it EINTR.
 */
static int64_t
wait_resumable(uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset, bool private)
{
	int64_t r = futex_wait(uaddr, val, deadline, bitset, private);

	if (r != -ERESTARTSYS || !deadline)
		return r;
	proc_current()->restart = (struct restart_block){ resume_wait, deadline,
							  { uaddr, val, bitset, private } };
	return -ERESTART_RESTARTBLOCK;
}

static int64_t
resume_wait(struct restart_block *r)
{
	return wait_resumable(r->arg[0], (uint32_t)r->arg[1], r->deadline, (uint32_t)r->arg[2],
			      r->arg[3]);
}

SYSCALL(futex, 6)
{
	int op = (int)a1 & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool private = a1 & FUTEX_PRIVATE_FLAG, realtime = a1 & FUTEX_CLOCK_REALTIME;
	struct futex_key key, to;
	uint64_t deadline;
	int r;

	if (realtime && op != FUTEX_WAIT_BITSET && op != FUTEX_WAIT)
		return -ENOSYS;
	switch (op) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if ((r = deadline_of(a3, op == FUTEX_WAIT_BITSET, realtime, &deadline)) < 0)
			return r;
		return wait_resumable(a0, (uint32_t)a2, deadline,
				  op == FUTEX_WAIT ? FUTEX_BITSET_ALL : (uint32_t)a5, private);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (op == FUTEX_WAKE_BITSET && !(uint32_t)a5)
			return -EINVAL;
		if ((r = key_of(a0, private, &key)) < 0)
			return r;
		return wake(&key, (int)a2 < 0 ? 0 : (int)a2,
			    op == FUTEX_WAKE ? FUTEX_BITSET_ALL : (uint32_t)a5, NULL, 0);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE: {
		uint32_t cur;

		if ((int)a2 < 0 || (int)a3 < 0)
			return -EINVAL;
		if ((r = key_of(a0, private, &key)) < 0 ||
		    (r = key_of(a4, private, &to)) < 0)
			return r;
		if (op == FUTEX_CMP_REQUEUE) {
			if (copy_from_user(&cur, a0, sizeof(cur)) < 0)
				return -EFAULT;
			if (cur != (uint32_t)a5)
				return -EAGAIN;
		}
		return wake(&key, (int)a2, FUTEX_BITSET_ALL, &to, (int)a3);
	}
	default:
		return -ENOSYS;
	}
}

/* The robust list: kept for glibc and musl, which register one at start. */
SYSCALL(set_robust_list, 6)
{
	if (a1 != 24)			/* sizeof(struct robust_list_head) */
		return -EINVAL;
	proc_current()->robust_list = a0;
	return 0;
}

SYSCALL(get_robust_list, 6)
{
	struct proc *p = (int)a0 ? proc_find((int)a0) : proc_current();
	uint64_t len = 24;

	if (!p)
		return -ESRCH;
	if (copy_to_user(a1, &p->robust_list, sizeof(uint64_t)) < 0 ||
	    copy_to_user(a2, &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}
