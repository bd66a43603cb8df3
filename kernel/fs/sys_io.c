/*
 * read, write, readv, writev and ioctl on descriptors 0, 1 and 2, which
 * are the console (a terminal in canonical mode: read returns a line).
 * Lab 5 replaces this with file descriptors over the VFS.
 */
#include <kstring.h>
#include <abi.h>
#include <console.h>
#include <kerrno.h>
#include <param.h>
#include <proc.h>
#include <ksched.h>
#include <ksyscall.h>
#include <usercopy.h>

#define IOV_MAX		1024
#define CHUNK		256
#define MAX_RW_COUNT	0x7FFFF000UL	/* one transfer at most (Linux's INT_MAX & PAGE_MASK) */

static bool
is_console(uint64_t fd)
{
	return fd <= 2;
}

static int64_t
console_write_user(uint64_t ubuf, uint64_t n)
{
	char chunk[CHUNK];
	uint64_t done = 0;

	if (!n)
		return 0;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;

		/* A long write lets others run, and stops for a fatal signal. */
		if (proc_signal_pending())
			return done ? (int64_t)done : -ERESTARTSYS;
		if (copy_from_user(chunk, ubuf + done, k) < 0)
			return done ? (int64_t)done : -EFAULT;
		console_write(chunk, k);
		done += k;
		sched_cond_resched();
	}
	return (int64_t)done;
}

/* The rest of the last line typed, not yet read. */
static char line[CONSOLE_LINE_MAX + 1];
static size_t line_len, line_pos;

static int64_t
console_read_user(uint64_t ubuf, uint64_t n)
{
	if (!n)
		return 0;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (line_pos == line_len) {
		int len = console_readline(NULL, line, sizeof(line) - 1);

		if (len < 0)
			return -EINTR;		/* Ctrl-C; signals come in lab 6 */
		line[len++] = '\n';
		line_len = (size_t)len;
		line_pos = 0;
	}
	uint64_t k = line_len - line_pos < n ? line_len - line_pos : n;
	if (copy_to_user(ubuf, line + line_pos, k) < 0)
		return -EFAULT;
	line_pos += k;
	return (int64_t)k;
}

SYSCALL(write, 4)
{
	return is_console(a0) ? console_write_user(a1, a2) : -EBADF;
}

SYSCALL(read, 4)
{
	return is_console(a0) ? console_read_user(a1, a2) : -EBADF;
}

/*
 * Checks a user iovec array as Linux does before any transfer: every
 * entry readable (-EFAULT), no negative length (-EINVAL), every buffer
 * inside user space (-EFAULT).
 */
static int
check_iovecs(uint64_t uiov, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		struct iovec_abi iov;

		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return -EFAULT;
		if ((int64_t)iov.len < 0)
			return -EINVAL;
		if (iov.len && !user_range_ok(iov.base, iov.len))
			return -EFAULT;
	}
	return 0;
}

/* readv/writev: each iovec in turn, stopping at the first short transfer. */
static int64_t
vector_io(uint64_t fd, uint64_t uiov, uint64_t count, bool writing)
{
	int64_t total = 0;
	int r;

	if (!is_console(fd))
		return -EBADF;
	if (count > IOV_MAX)
		return -EINVAL;
	if ((r = check_iovecs(uiov, count)) < 0)
		return r;
	for (uint64_t i = 0; i < count; i++) {
		struct iovec_abi iov;

		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return total ? total : -EFAULT;
		int64_t n = writing ? console_write_user(iov.base, iov.len) :
				      console_read_user(iov.base, iov.len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.len)
			break;
	}
	return total;
}

SYSCALL(writev, 4)
{
	return vector_io(a0, a1, a2, true);
}

SYSCALL(readv, 4)
{
	return vector_io(a0, a1, a2, false);
}

SYSCALL(ioctl, 4)
{
	if (!is_console(a0))
		return -EBADF;
	switch (a1) {
	case TIOCGWINSZ: {
		struct winsize_abi ws = { 25, 80, 0, 0 };

		return copy_to_user(a2, &ws, sizeof(ws));
	}
	case TCGETS: {
		/* ICRNL; OPOST|ONLCR; B38400|CS8|CREAD; ISIG|ICANON|ECHO|ECHOE */
		struct termios_abi t = { 0x100, 0x5, 0xBF, 0x1B, 0, { 0 } };

		t.c_cc[0] = 3;		/* VINTR: Ctrl-C */
		t.c_cc[2] = 0x7F;	/* VERASE */
		t.c_cc[3] = 21;		/* VKILL: Ctrl-U */
		t.c_cc[4] = 4;		/* VEOF: Ctrl-D */
		return copy_to_user(a2, &t, sizeof(t));
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct termios_abi t;

		return copy_from_user(&t, a2, sizeof(t));	/* accepted, not applied */
	}
	case TIOCGPGRP: {
		int pgrp = proc_current()->pid;

		return copy_to_user(a2, &pgrp, sizeof(pgrp));
	}
	default:
		return -ENOTTY;
	}
}
