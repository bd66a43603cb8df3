/*
 * The seed's message channels (lab 6), NexaOS's own system calls: CHAN_MAX
 * channels in the system, each a ring of CHAN_MSGS messages of at most
 * CHAN_MSG_MAX bytes that keep their boundaries and their order. Sending
 * never waits; receiving waits for a message (or not: CHAN_NONBLOCK; or
 * until a timeout), and wakes for a send, a signal, or the channel's end.
 * A channel belongs to no process: it stays until it is destroyed, so a
 * service can die and start again behind it. Its owner and mode work like
 * a file's (r: receive, w: send), checked with inode_permission's rules.
 */
#include <stddef.h>
#include <abi.h>
#include <clock.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksched.h>
#include <ksyscall.h>
#include <proc.h>
#include <usercopy.h>

#define CHAN_MAX	32
#define CHAN_MSGS	32
#define CHAN_MSG_MAX	256
#define CHAN_NONBLOCK	1
#define MAY_RECV	4		/* r */
#define MAY_SEND	2		/* w */

struct message {
	uint32_t len;
	uint8_t data[CHAN_MSG_MAX];
};

struct channel {
	uint32_t uid, gid, mode;
	unsigned head, count;		/* the oldest message, and how many */
	unsigned waiting;		/* receivers asleep */
	bool dead;			/* destroyed: the last sleeper to wake frees it */
	struct message msg[CHAN_MSGS];
};

struct chan_stat_abi {
	uint32_t uid, gid, mode, count, waiting;
};

static struct channel *channels[CHAN_MAX];

/* Channel id, if the caller may use it as mask asks: 0, or -EINVAL/-EBADF/-EACCES. */
static int
lookup(int64_t id, int mask, struct channel **out)
{
	if (id < 0 || id >= CHAN_MAX)
		return -EINVAL;
	struct channel *c = channels[id];
	if (!c)
		return -EBADF;
	if (mask && mode_permission(c->mode, c->uid, c->gid, mask) < 0)
		return -EACCES;		/* a file's rules, CAP_DAC_OVERRIDE's too */
	*out = c;
	return 0;
}

SYSCALL(chan_create, 6)
{
	const struct cred *cr = &proc_current()->cred;

	if (a0 & ~0777UL)
		return -EINVAL;
	for (int id = 0; id < CHAN_MAX; id++) {
		if (channels[id])
			continue;
		struct channel *c = kmalloc(sizeof(*c));	/* the messages need no zeroing */
		if (!c)
			return -ENOMEM;
		memset(c, 0, offsetof(struct channel, msg));
		c->uid = cr->fsuid;
		c->gid = cr->fsgid;
		c->mode = (uint32_t)a0;
		channels[id] = c;
		return id;
	}
	return -ENOSPC;
}

/* The deadline of a relative timeout (0: none). */
static int
timeout_of(uint64_t uts, uint64_t *deadline)
{
	uint64_t ns, now;
	int r;

	*deadline = 0;
	if (!uts)
		return 0;
	if ((r = timespec_from_user(uts, &ns)) < 0)
		return r;
	now = clock_ns();
	*deadline = now + ns >= now && now + ns + 1 ? now + ns + 1 : UINT64_MAX;
	return 0;
}

#if SOL >= 6
SYSCALL(chan_send, 6)
{
	struct channel *c;
	struct message m;
	int r = lookup((int64_t)a0, MAY_SEND, &c);

	if (r < 0)
		return r;
	if (a2 > CHAN_MSG_MAX)
		return -EMSGSIZE;
	/* Copied before it is queued: a fault cannot leave half a message. */
	if (copy_from_user(m.data, a1, a2) < 0)
		return -EFAULT;
	if ((r = lookup((int64_t)a0, MAY_SEND, &c)) < 0)
		return r;		/* destroyed while we faulted the buffer in */
	if (c->count == CHAN_MSGS)
		return -EAGAIN;
	m.len = (uint32_t)a2;
	c->msg[(c->head + c->count++) % CHAN_MSGS] = m;
	sched_wakeup(c);
	return 0;
}

SYSCALL(chan_recv, 6)
{
	struct channel *c;
	uint64_t deadline;
	int r = lookup((int64_t)a0, MAY_RECV, &c);

	if (r < 0)
		return r;
	if (a3 & ~(uint64_t)CHAN_NONBLOCK)
		return -EINVAL;
	if ((r = timeout_of(a4, &deadline)) < 0)
		return r;
	while (!c->count) {
		if (a3 & CHAN_NONBLOCK)
			return -EAGAIN;
		if (deadline && clock_ns() >= deadline)
			return -ETIMEDOUT;
		c->waiting++;
		r = sched_sleep(c, deadline);
		c->waiting--;
		if (c->dead) {			/* destroyed while we waited */
			if (!c->waiting)
				kfree(c);
			return -EIDRM;
		}
		/*
		 * As Linux's msgrcv: EINTR once a handler ran, even with
		 * SA_RESTART; a stop and a continue (no handler) wait on. A
		 * relative timeout would start again whole: EINTR.
		 */
		if (r < 0)
			return deadline ? -EINTR : -ERESTARTNOHAND;
	}
	struct message *m = &c->msg[c->head];
	if (a2 < m->len)
		return -EMSGSIZE;		/* the message stays for a bigger buffer */
	struct message copy = *m;
	c->head = (c->head + 1) % CHAN_MSGS;
	c->count--;
	/* Taken off first: the copy may fault and sleep, another receiver goes on. */
	if (copy_to_user(a1, copy.data, copy.len) < 0)
		return -EFAULT;
	return copy.len;
}
#else
SYSCALL(chan_send, 6)
{
	/* LAB 6: your code here. The caller must be allowed to send (lookup
	 * with MAY_SEND). -EMSGSIZE above CHAN_MSG_MAX; copy the message in
	 * first (-EFAULT), then look the channel up again (the copy may have
	 * slept), -EAGAIN when it holds CHAN_MSGS; queue it after the others
	 * and wake the receivers (sched_wakeup on the channel). */
	(void)a0, (void)a1, (void)a2, (void)lookup;
	return -ENOSYS;
}

SYSCALL(chan_recv, 6)
{
	/* LAB 6: your code here. With MAY_RECV: -EINVAL for unknown flags,
	 * the deadline of the timeout (timeout_of). While the channel is
	 * empty: -EAGAIN with CHAN_NONBLOCK, -ETIMEDOUT at the deadline,
	 * else sleep on it counting yourself in waiting; after a wake,
	 * -EIDRM if it was destroyed (the last sleeper frees it); for a
	 * signal -ERESTARTNOHAND (-EINTR with a deadline). -EMSGSIZE if len is smaller than the oldest message
	 * (which stays); else take it off and copy it out: its length. */
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)timeout_of;
	return -ENOSYS;
}
#endif

SYSCALL(chan_clear, 6)
{
	struct channel *c;
	int r = lookup((int64_t)a0, MAY_RECV, &c);

	if (r < 0)
		return r;
	r = (int)c->count;
	c->count = 0;
	return r;
}

SYSCALL(chan_destroy, 6)
{
	struct channel *c;
	int r = lookup((int64_t)a0, 0, &c);

	if (r < 0)
		return r;
	if (proc_current()->cred.fsuid != c->uid && !capable(CAP_FOWNER))
		return -EPERM;		/* the owner's, as a chmod: CAP_FOWNER overrides */
	channels[a0] = NULL;
	if (c->waiting) {
		/* Sleepers still look at it: it goes once the last of them has seen. */
		c->dead = true;
		sched_wakeup(c);
		return 0;
	}
	kfree(c);
	return 0;
}

SYSCALL(chan_stat, 6)
{
	struct channel *c;
	int r = lookup((int64_t)a0, 0, &c);

	if (r < 0)
		return r;
	struct chan_stat_abi st = { c->uid, c->gid, c->mode, c->count, c->waiting };
	return copy_to_user(a1, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}
