/*
 * poll, ppoll, select and pselect6: ask each file what is ready now
 * (its poll op), and if nothing is, sleep on every wait channel those
 * files named (poll_wait) until one of them is woken, a signal comes or
 * the time is up; then ask again.
 */
#include <clock.h>
#include <param.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksched.h>
#include <ksyscall.h>
#include <proc.h>
#include <timer.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

#define POLL_CHANS	64	/* channels one sleep watches; beyond, poll every tick */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	POLLPRI
#define FD_SETSIZE_MAX	NOFILE_HARD

struct poll_table {
	const void *chan[POLL_CHANS];
	unsigned n;
	bool overflow;
};

void
poll_wait(struct poll_table *pt, const void *chan)
{
	if (!pt)
		return;
	for (unsigned i = 0; i < pt->n; i++)
		if (pt->chan[i] == chan)
			return;
	if (pt->n < POLL_CHANS)
		pt->chan[pt->n++] = chan;
	else
		pt->overflow = true;
}

/* What file f is ready for now (all of it, for a file without a poll op). */
static unsigned
poll_file(struct file *f, struct poll_table *pt)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, pt);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/*
 * Sleeps on what pt gathered until deadline (0: none; UINT64_MAX: do
 * not sleep at all): 0 when woken or the time is up, -EINTR for a signal.
 */
static int
wait_any(struct poll_table *pt, uint64_t deadline, uint64_t seen)
{
	if (pt->overflow) {
		uint64_t tick = clock_ns() + NSEC_PER_SEC / timer_hz();

		if (!deadline || deadline > tick)
			deadline = tick;
	}
	return sched_sleep_many(pt->chan, pt->n, deadline, seen);
}

/* A user timeout as a deadline of clock_ns() (0: forever). */
static uint64_t
deadline_after(uint64_t ns)
{
	uint64_t now = clock_ns();

	return ns == UINT64_MAX ? 0 : now + ns < now ? 0 : now + ns;
}

static bool
expired(uint64_t deadline)
{
	return deadline && clock_ns() >= deadline;
}

/* poll over fds (kernel copies) until something is ready; the count, or -errno. */
static int
do_poll(struct pollfd_abi *fds, unsigned n, uint64_t deadline)
{
	for (;;) {
		struct poll_table pt = { .n = 0 };
		uint64_t seen = sched_wake_count();
		int count = 0;

		for (unsigned i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			struct file *f = fd_get(fds[i].fd);
			unsigned mask = POLLNVAL;
			if (f) {
				mask = poll_file(f, &pt) &
				       ((unsigned)(uint16_t)fds[i].events | POLLERR | POLLHUP);
				file_put(f);
			}
			fds[i].revents = (int16_t)mask;
			count += mask != 0;
		}
		if (count || expired(deadline) || deadline == UINT64_MAX)
			return count;
		if (wait_any(&pt, deadline, seen) < 0)
			return -ERESTARTNOHAND;	/* after a handler: EINTR, as Linux */
	}
}

/* Replaces the signal mask for the call (ppoll, pselect6); *old to put back. */
static int
swap_sigmask(uint64_t umask, uint64_t size, uint64_t *old)
{
	struct proc *p = proc_current();
	uint64_t mask;

	*old = p->sigmask;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	signal_set_mask(p, mask);
	return 0;
}

static int64_t
poll_user(uint64_t ufds, uint64_t n, uint64_t deadline)
{
	struct pollfd_abi *fds = NULL;
	int64_t r;

	if (n > proc_current()->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	if (n && !(fds = kmalloc(n * sizeof(*fds))))
		return -ENOMEM;
	if (copy_from_user(fds, ufds, n * sizeof(*fds)) < 0)
		r = -EFAULT;
	else if ((r = do_poll(fds, (unsigned)n, deadline)) >= 0 &&
		 copy_to_user(ufds, fds, n * sizeof(*fds)) < 0)
		r = -EFAULT;
	kfree(fds);
	return r;
}

SYSCALL(poll, 5)
{
	int timeout = (int)a2;
	uint64_t deadline = timeout < 0 ? 0 : timeout == 0 ? UINT64_MAX :
			    deadline_after((uint64_t)timeout * 1000000);

	return poll_user(a0, a1, deadline);
}

/* A user timespec (NULL: forever) as a deadline; -EINVAL, -EFAULT. */
static int
timespec_deadline(uint64_t uts, uint64_t *deadline)
{
	uint64_t ns;
	int r;

	if (!uts) {
		*deadline = 0;
		return 0;
	}
	if ((r = timespec_from_user(uts, &ns)) < 0)
		return r;
	/* UINT64_MAX is deadline_after's "forever": a huge timeout stays one tick short of it. */
	*deadline = ns == 0 ? UINT64_MAX : deadline_after(ns < UINT64_MAX ? ns : UINT64_MAX - 1);
	return 0;
}

SYSCALL(ppoll, 5)
{
	uint64_t deadline, old;
	int64_t r;

	if ((r = timespec_deadline(a2, &deadline)) < 0 || (r = swap_sigmask(a3, a4, &old)) < 0)
		return r;
	r = poll_user(a0, a1, deadline);
	signal_set_mask(proc_current(), old);
	return r;
}

/* select's three bitmaps of n descriptors. */
struct fdsets {
	uint64_t *in, *out, *ex;	/* kernel copies (NULL: not given) */
	size_t words;
};

static int
select_round(unsigned n, struct fdsets *ask, struct fdsets *got, struct poll_table *pt)
{
	int count = 0;

	for (unsigned fd = 0; fd < n; fd++) {
		uint64_t bit = 1UL << (fd % 64);
		size_t w = fd / 64;
		bool in = ask->in && (ask->in[w] & bit), out = ask->out && (ask->out[w] & bit),
		     ex = ask->ex && (ask->ex[w] & bit);

		if (!in && !out && !ex)
			continue;
		struct file *f = fd_get((int)fd);
		if (!f)
			return -EBADF;
		unsigned mask = poll_file(f, pt);
		file_put(f);
		if (in && (mask & POLLIN_SET)) {
			got->in[w] |= bit;
			count++;
		}
		if (out && (mask & POLLOUT_SET)) {
			got->out[w] |= bit;
			count++;
		}
		if (ex && (mask & POLLEX_SET)) {
			got->ex[w] |= bit;
			count++;
		}
	}
	return count;
}

static int
copy_set(uint64_t u, uint64_t **k, size_t words)
{
	*k = NULL;
	if (!u)
		return 0;
	if (!(*k = kzalloc(words * 8)))
		return -ENOMEM;
	return copy_from_user(*k, u, words * 8);
}

static int64_t
do_select(int nfds, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t deadline)
{
	struct fdsets ask = { 0 }, got = { 0 };
	int64_t r;

	if (nfds < 0)
		return -EINVAL;
	if (nfds > FD_SETSIZE_MAX)
		nfds = FD_SETSIZE_MAX;
	size_t words = ((size_t)nfds + 63) / 64;
	ask.words = got.words = words;
	if ((r = copy_set(uin, &ask.in, words)) < 0 || (r = copy_set(uout, &ask.out, words)) < 0 ||
	    (r = copy_set(uex, &ask.ex, words)) < 0)
		goto out;
	if ((uin && !(got.in = kzalloc(words * 8 + 8))) ||
	    (uout && !(got.out = kzalloc(words * 8 + 8))) ||
	    (uex && !(got.ex = kzalloc(words * 8 + 8)))) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		struct poll_table pt = { .n = 0 };
		uint64_t seen = sched_wake_count();

		r = select_round((unsigned)nfds, &ask, &got, &pt);
		if (r != 0 || expired(deadline) || deadline == UINT64_MAX)
			break;
		if (wait_any(&pt, deadline, seen) < 0) {
			r = -ERESTARTNOHAND;
			break;
		}
	}
	/* Only what is ready goes back (and nothing on an error). */
	if (r >= 0 && ((uin && copy_to_user(uin, got.in, words * 8) < 0) ||
		       (uout && copy_to_user(uout, got.out, words * 8) < 0) ||
		       (uex && copy_to_user(uex, got.ex, words * 8) < 0)))
		r = -EFAULT;
out:
	kfree(ask.in);
	kfree(ask.out);
	kfree(ask.ex);
	kfree(got.in);
	kfree(got.out);
	kfree(got.ex);
	return r;
}

SYSCALL(select, 5)
{
	struct timeval_abi tv;
	uint64_t deadline = 0;

	if (a4) {
		if (copy_from_user(&tv, a4, sizeof(tv)) < 0)
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		uint64_t ns = (uint64_t)tv.tv_sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec * 1000;
		deadline = ns == 0 ? UINT64_MAX : deadline_after(ns);
	}
	int64_t r = do_select((int)a0, a1, a2, a3, deadline);
	if (a4 && deadline && deadline != UINT64_MAX) {
		/* Linux tells how much of the time is left. */
		uint64_t now = clock_ns(), left = deadline > now ? deadline - now : 0;

		tv = (struct timeval_abi){ (int64_t)(left / NSEC_PER_SEC),
					   (int64_t)(left % NSEC_PER_SEC / 1000) };
		copy_to_user(a4, &tv, sizeof(tv));
	}
	return r;
}

SYSCALL(pselect6, 5)
{
	struct { uint64_t set, size; } sig = { 0, 0 };
	uint64_t deadline, old;
	int64_t r;

	if ((r = timespec_deadline(a4, &deadline)) < 0)
		return r;
	if (a5 && copy_from_user(&sig, a5, sizeof(sig)) < 0)
		return -EFAULT;
	if ((r = swap_sigmask(sig.set, sig.size, &old)) < 0)
		return r;
	r = do_select((int)a0, a1, a2, a3, deadline);
	signal_set_mask(proc_current(), old);
	return r;
}
