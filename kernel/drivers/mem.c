/*
 * The memory devices (major 1, as Linux's): null, zero, full, random and
 * urandom, and getrandom(2). Long reads go a page at a time and stop for
 * a fatal signal, so that reading a gigabyte of zeros never holds up the
 * kernel.
 */
#include <init.h>
#include <kerrno.h>
#include <ksched.h>
#include <kstring.h>
#include <ksyscall.h>
#include <proc.h>
#include <random.h>
#include <usercopy.h>
#include <vfs.h>

#define CHUNK		4096

/* Fills n bytes of buf from fill (zeros, or random bytes): what was written, or -errno. */
static int64_t
fill_buffer(struct iobuf buf, uint64_t n, bool random)
{
	static const char zeros[CHUNK];
	char chunk[256];
	uint64_t done = 0;

	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	while (done < n) {
		uint64_t k = n - done;
		const void *src = zeros;

		if (random) {
			k = k < sizeof(chunk) ? k : sizeof(chunk);
			random_bytes(chunk, k);
			src = chunk;
		} else if (k > CHUNK) {
			k = CHUNK;
		}
		int r = iobuf_write(buf, done, src, k);
		if (r < 0) {
			done = done ? done : (uint64_t)r;
			break;
		}
		done += k;
		if (done < n) {
			if (proc_signal_pending())
				break;
			sched_cond_resched();
		}
	}
	memset(chunk, 0, sizeof(chunk));
	return (int64_t)done;
}

static int64_t
null_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	return 0;
}

static int64_t
sink_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	return (int64_t)n;
}

static int64_t
zero_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	return fill_buffer(buf, n, false);
}

static int64_t
full_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	return -ENOSPC;
}

static int64_t
random_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	return fill_buffer(buf, n, true);
}

/* What is written to /dev/random stirs the generator (anyone may: it cannot hurt). */
static int64_t
random_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	char chunk[256];
	uint64_t done = 0;

	while (done < n && !proc_signal_pending()) {
		uint64_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);

		if (iobuf_read(chunk, buf, done, k) < 0)
			return done ? (int64_t)done : -EFAULT;
		random_mix(chunk, k);
		done += k;
		sched_cond_resched();
	}
	return done || !n ? (int64_t)done : -ERESTARTSYS;
}

static unsigned
always_ready(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = sink_write, .poll = always_ready, .seekable = true,
	.seek_noop = true,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = sink_write, .poll = always_ready, .seekable = true,
	.seek_noop = true, .map_anon = true,
};
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .poll = always_ready, .seekable = true,
	.seek_noop = true,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = random_write, .poll = always_ready, .seekable = true,
	.seek_noop = true,
};

SYSCALL(getrandom, 5)
{
	unsigned flags = (unsigned)a2;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (a1 && !user_range_ok(a0, a1 > MAX_RW_COUNT ? MAX_RW_COUNT : a1))
		return -EFAULT;
	return fill_buffer(UBUF(a0), a1, true);
}

static void
mem_init(void)
{
	chrdev_register(1, 3, "null", 0666, &null_ops);
	chrdev_register(1, 5, "zero", 0666, &zero_ops);
	chrdev_register(1, 7, "full", 0666, &full_ops);
	chrdev_register(1, 8, "random", 0666, &random_ops);
	chrdev_register(1, 9, "urandom", 0666, &random_ops);
}
INITCALL(INIT_FS, mem_init);
