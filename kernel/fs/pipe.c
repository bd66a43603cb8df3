/*
 * Pipes: a 64 KiB ring of bytes between a read end and a write end.
 * Reads block until there is data (or no writer: end of file), writes
 * until there is room (or no reader: EPIPE and SIGPIPE); a write of at
 * most PIPE_BUF bytes goes in whole or not at all, so that writers never
 * interleave inside one. The ring's pages come as they are first used.
 *
 * A reader copies out before moving the tail, a writer copies in before
 * moving the head, so each side works on bytes the other does not touch;
 * readers among themselves (and writers) take turns, as a copy to or from
 * user memory may sleep on a page fault.
 */
#include <abi.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksched.h>
#include <ksyscall.h>
#include <layout.h>
#include <proc.h>
#include <usercopy.h>
#include <vfs.h>
#include "fs_internal.h"

#define PIPE_BUF	4096	/* writes up to this size are atomic */

static struct super_block pipe_sb = { .magic = 0x50495045 /* PIPEFS_MAGIC */ };

/* Copies n bytes between the ring at byte position at and buf[off..]. */
static int
ring_copy(struct pipe *p, uint64_t at, struct iobuf buf, uint64_t off, uint64_t n, bool in)
{
	while (n) {
		uint64_t o = at % PIPE_SIZE, k = PAGE_SIZE - o % PAGE_SIZE;
		char **pg = &p->page[o / PAGE_SIZE];
		int r;

		if (k > n)
			k = n;
		if (!*pg && !(*pg = kmalloc(PAGE_SIZE)))
			return -ENOMEM;
		r = in ? iobuf_read(*pg + o % PAGE_SIZE, buf, off, k) :
			 iobuf_write(buf, off, *pg + o % PAGE_SIZE, k);
		if (r < 0)
			return r;
		at += k;
		off += k;
		n -= k;
	}
	return 0;
}

/* Waits for *busy to clear, then sets it: one reader (or writer) at a time. */
static int
take_turn(struct pipe *p, bool *busy)
{
	while (*busy) {
		int r = sched_sleep(&p->wait_turn, 0);

		if (r < 0)
			return r;
	}
	*busy = true;
	return 0;
}

static void
end_turn(struct pipe *p, bool *busy)
{
	*busy = false;
	sched_wakeup(&p->wait_turn);
}

#if SOL >= 5
static int64_t
pipe_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct pipe *p = f->priv;
	int64_t r;

	if ((r = take_turn(p, &p->reading)) < 0)
		return r;
	while (p->head == p->tail) {
		if (!p->writers) {
			r = 0;			/* end of file */
			goto out;
		}
		if (f->flags & O_NONBLOCK) {
			r = -EAGAIN;
			goto out;
		}
		if ((r = sched_sleep(&p->wait_data, 0)) < 0)
			goto out;
	}
	uint64_t k = p->head - p->tail < n ? p->head - p->tail : n;
	if ((r = ring_copy(p, p->tail, buf, 0, k, false)) == 0) {
		p->tail += k;
		r = (int64_t)k;
		sched_wakeup(&p->wait_room);
	}
out:
	end_turn(p, &p->reading);
	return r;
}

static int64_t
pipe_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct pipe *p = f->priv;
	uint64_t done = 0;
	int64_t r;

	if ((r = take_turn(p, &p->writing)) < 0)
		return r;
	while (done < n) {
		uint64_t room = PIPE_SIZE - (p->head - p->tail), want = n - done;

		if (!p->readers) {
			proc_signal(proc_current(), SIGPIPE);
			r = -EPIPE;
			break;
		}
		/* Up to PIPE_BUF bytes go in whole: wait for room for all of them. */
		if (room == 0 || (n <= PIPE_BUF && room < n)) {
			if (f->flags & O_NONBLOCK) {
				r = -EAGAIN;
				break;
			}
			if ((r = sched_sleep(&p->wait_room, 0)) < 0)
				break;
			continue;
		}
		uint64_t k = want < room ? want : room;
		if ((r = ring_copy(p, p->head, buf, done, k, true)) < 0)
			break;
		p->head += k;
		done += k;
		sched_wakeup(&p->wait_data);
	}
	end_turn(p, &p->writing);
	return done ? (int64_t)done : r;
}
#else
static int64_t
pipe_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	/* LAB 5: your code here. Wait (sched_sleep on wait_data) while the
	 * ring is empty: 0 when no writer is left, -EAGAIN for O_NONBLOCK;
	 * then copy out what there is, up to n (ring_copy), move the tail
	 * and wake the writers (wait_room). Readers take turns (take_turn). */
	(void)f, (void)buf, (void)n, (void)ring_copy, (void)take_turn, (void)end_turn;
	return -ENOSYS;
}

static int64_t
pipe_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	/* LAB 5: your code here. Without readers: SIGPIPE and -EPIPE. Up to
	 * PIPE_BUF bytes wait for room for all of them; more may go in
	 * pieces. Copy in (ring_copy), move the head, wake the readers. */
	(void)f, (void)buf, (void)n;
	return -ENOSYS;
}
#endif

static unsigned
pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->priv;
	unsigned acc = f->flags & O_ACCMODE, mask = 0;

	if (acc != O_WRONLY) {
		poll_wait(pt, &p->wait_data);
		if (p->head != p->tail)
			mask |= POLLIN | POLLRDNORM;
		/* Hung up once a writer came and went since this reader began (fifo.c). */
		if (!p->writers && p->w_counter != f->pos)
			mask |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		poll_wait(pt, &p->wait_room);
		if (p->head - p->tail < PIPE_SIZE)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

static int64_t
pipe_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->priv;
	int n = (int)(p->head - p->tail);

	if (cmd != FIONREAD)
		return -ENOTTY;
	return copy_to_user(arg, &n, sizeof(n));
}

/* The last end closed frees the ring (and detaches a FIFO's from its inode). */
static void
pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned acc = f->flags & O_ACCMODE;

	if (acc != O_WRONLY)
		p->readers--;
	if (acc != O_RDONLY)
		p->writers--;
	/* The other side learns of it: end of file, or EPIPE. */
	sched_wakeup(&p->wait_data);
	sched_wakeup(&p->wait_room);
	if (p->readers || p->writers)
		return;
	if (f->inode->pipe == p)
		f->inode->pipe = NULL;
	for (unsigned i = 0; i < PIPE_PAGES; i++)
		kfree(p->page[i]);
	kfree(p);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read, .poll = pipe_poll, .ioctl = pipe_ioctl, .release = pipe_release,
};
static const struct file_ops pipe_write_ops = {
	.write = pipe_write, .poll = pipe_poll, .ioctl = pipe_ioctl, .release = pipe_release,
};
static const struct file_ops pipe_rw_ops = {	/* a FIFO opened O_RDWR */
	.read = pipe_read, .write = pipe_write, .poll = pipe_poll, .ioctl = pipe_ioctl,
	.release = pipe_release,
};

struct pipe *
pipe_alloc(void)
{
	return kzalloc(sizeof(struct pipe));
}

void
pipe_attach(struct file *f, struct pipe *p)
{
	unsigned acc = f->flags & O_ACCMODE;

	f->priv = p;
	f->ops = acc == O_RDONLY ? &pipe_read_ops : acc == O_WRONLY ? &pipe_write_ops :
		 &pipe_rw_ops;
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_counter++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_counter++;
	}
	sched_wakeup(&p->wait_open);
}

/* Two open files on a new pipe: *rd reads what *wr writes. */
int
pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct inode *inode = inode_alloc(&pipe_sb, S_IFIFO | 0600);
	struct pipe *p = pipe_alloc();

	if (!inode || !p) {
		kfree(p);
		inode_put(inode);
		return -ENFILE;
	}
	*rd = file_alloc(NULL, inode, O_RDONLY | (flags & O_NONBLOCK));
	*wr = file_alloc(NULL, inode, O_WRONLY | (flags & O_NONBLOCK));
	inode_put(inode);		/* the files hold it now */
	if (!*rd || !*wr) {
		kfree(p);
		if (*rd)
			(*rd)->ops = NULL;
		if (*wr)
			(*wr)->ops = NULL;
		file_put(*rd);
		file_put(*wr);
		return -ENFILE;
	}
	pipe_attach(*rd, p);
	pipe_attach(*wr, p);
	return 0;
}

static int64_t
do_pipe(uint64_t ufds, unsigned flags)
{
	struct file *rd, *wr;
	int fds[2], r;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if ((r = pipe_create(flags, &rd, &wr)) < 0)
		return r;
	if ((fds[0] = fd_install(rd, 0, flags & O_CLOEXEC)) < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	if ((fds[1] = fd_install(wr, 0, flags & O_CLOEXEC)) < 0) {
		fd_close(fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds)) < 0) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(pipe, 5)
{
	return do_pipe(a0, 0);
}

SYSCALL(pipe2, 5)
{
	return do_pipe(a0, (unsigned)a1);
}
