/*
 * Pipes as Linux keeps them: EOF once the last writer is gone, EPIPE and
 * SIGPIPE once the last reader is, O_NONBLOCK's EAGAIN, a capacity of
 * 65536 bytes, writes of PIPE_BUF bytes from 4 processes never mixed, a
 * 16 MiB transfer with every byte checked, FIONREAD, pipe2's flags, and
 * bad buffers (EFAULT, and the data stays in the pipe).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME		"pipes"
#define CAPACITY	65536		/* Linux's default pipe size */
#define WRITERS		4		/* processes writing PIPE_BUF records */
#define RECORDS		64		/* records per writer */
#define TRANSFER	(16 << 20)	/* bytes in the big transfer */

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ	1032
#endif

/* A bad pointer the compiler cannot see through (and warn about). */
static volatile uintptr_t bad_addr = 1;

static void
end_of_file(void)
{
	char buf[64];
	int p[2], extra;
	pid_t pid;

	pipe(p);
	pid = spawn();
	if (pid == 0) {
		close(p[0]);
		write(p[1], "hello", 5);
		_exit(0);
	}
	close(p[1]);
	expect(res(read(p[0], buf, sizeof(buf))), 5, "read what the child wrote");
	expect(res(read(p[0], buf, sizeof(buf))), 0, "read after the only writer exited (EOF)");
	expect_status(pid, "exit 0", "the writer");
	close(p[0]);

	/* A writer that comes late: read returns what there is. */
	pipe(p);
	pid = spawn();
	if (pid == 0) {
		close(p[0]);
		sleep_ms(50);
		write(p[1], "late", 4);
		sleep_ms(50);
		_exit(0);
	}
	close(p[1]);
	expect(res(read(p[0], buf, sizeof(buf))), 4, "blocking read of a late write of 4");
	expect(res(read(p[0], buf, sizeof(buf))), 0, "blocking read until the writer exits");
	reap(pid);
	close(p[0]);

	/* Two writers: EOF only when both are closed. */
	pipe(p);
	extra = dup(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	close(p[1]);
	expect(res(read(p[0], buf, sizeof(buf))), -EAGAIN, "read with one of two writers closed");
	close(extra);
	expect(res(read(p[0], buf, sizeof(buf))), 0, "read with both closed");
	close(p[0]);
}

/*
 * A write with no reader, in a child each time (SIGPIPE may kill it): the
 * child's exit code says what write returned, 0 for EPIPE.
 */
static pid_t
write_to_broken(int fd, int how)
{
	sigset_t pipe_set;
	pid_t pid = spawn();

	if (pid != 0)
		return pid;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (how == 1)
		signal(SIGPIPE, SIG_IGN);
	if (how == 2)
		sigprocmask(SIG_BLOCK, &pipe_set, NULL);
	if (write(fd, "x", 1) < 0 && errno == EPIPE)
		_exit(write(fd, "", 0) == 0 ? 0 : 2);
	_exit(1);
}

static void
broken_pipes(void)
{
	int p[2];
	pid_t pid;

	pipe(p);
	close(p[0]);
	expect_status(write_to_broken(p[1], 0), "signal SIGPIPE", "a write with no reader");
	expect_status(write_to_broken(p[1], 1), "exit 0",
		      "a write with no reader, SIGPIPE ignored (EPIPE, then 0 for 0 bytes)");
	expect_status(write_to_broken(p[1], 2), "exit 0",
		      "a write with no reader, SIGPIPE blocked (EPIPE, then 0 for 0 bytes)");
	close(p[1]);

	/* The reader closes while the writer waits for room. */
	pipe(p);
	pid = spawn();
	if (pid == 0) {
		static char big[2 * CAPACITY];
		sigset_t pipe_set;

		close(p[0]);
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		sigprocmask(SIG_BLOCK, &pipe_set, NULL);
		/* It returns what it wrote, 65536 bytes: exit 5. */
		ssize_t r = write(p[1], big, sizeof(big));

		_exit(r == CAPACITY ? 5 : r < 0 && errno == EPIPE ? 3 : 4);
	}
	close(p[1]);
	/* Close only once the pipe is full: the writer is waiting then. */
	for (int n = 0, i = 0; n < CAPACITY && i < 1000; i++) {
		ioctl(p[0], FIONREAD, &n);
		if (n < CAPACITY)
			sleep_ms(10);
	}
	close(p[0]);
	expect_status(pid, "exit 5", "a writer blocked in a full pipe when the reader closes");
}

static void
nonblocking(void)
{
	static char buf[2 * CAPACITY];
	long total = 0, n;
	int p[2];

	expect(res(pipe2(p, O_NONBLOCK)), 0, "pipe2 O_NONBLOCK");
	expect(res(read(p[0], buf, 10)), -EAGAIN, "read from the empty pipe");
	expect(res(fcntl(p[1], F_GETPIPE_SZ)), CAPACITY, "F_GETPIPE_SZ");
	while ((n = write(p[1], buf, 4096)) > 0)
		total += n;
	expect(res(n), -EAGAIN, "write of 4096 until it fails");
	expect(total, CAPACITY, "bytes the pipe took");
	expect(res(write(p[1], buf, 1)), -EAGAIN, "write of 1 byte to the full pipe");
	{
		int avail = -1;

		expect(res(ioctl(p[0], FIONREAD, &avail)), 0, "FIONREAD");
		expect(avail, CAPACITY, "FIONREAD of the full pipe");
	}
	expect(res(read(p[0], buf, 4096)), 4096, "read 4096");
	expect(res(write(p[1], buf, 8192)), 4096, "write of 8192 with 4096 free (partial)");
	expect(res(read(p[0], buf, sizeof(buf))), CAPACITY, "read all");
	expect(res(read(p[0], buf, sizeof(buf))), -EAGAIN, "read from the emptied pipe");
	close(p[0]);
	close(p[1]);
}

static void
ioctls_and_flags(void)
{
	int p[2], n = -1;
	struct stat st;

	pipe(p);
	expect(res(ioctl(p[0], FIONREAD, &n)), 0, "FIONREAD");
	expect(n, 0, "FIONREAD of an empty pipe");
	write(p[1], "0123456789", 10);
	ioctl(p[0], FIONREAD, &n);
	expect(n, 10, "FIONREAD after writing 10");
	expect(res(fstat(p[0], &st)), 0, "fstat of the read end");
	expect(S_ISFIFO(st.st_mode), 1, "S_ISFIFO");
	expect(res(read(p[0], &n, 0)), 0, "read of 0 bytes");
	close(p[0]);
	close(p[1]);

	expect(res(pipe2(p, O_CLOEXEC)), 0, "pipe2 O_CLOEXEC");
	expect(res(fcntl(p[0], F_GETFD)) + res(fcntl(p[1], F_GETFD)), 2, "FD_CLOEXEC on both ends");
	expect(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0, "O_NONBLOCK on the read end");
	close(p[0]);
	close(p[1]);
	expect(res(pipe2(p, O_NONBLOCK)), 0, "pipe2 O_NONBLOCK");
	expect(!!(fcntl(p[0], F_GETFL) & O_NONBLOCK) + !!(fcntl(p[1], F_GETFL) & O_NONBLOCK), 2,
	       "O_NONBLOCK on both ends");
	expect(res(fcntl(p[0], F_GETFD)), 0, "FD_CLOEXEC on the read end");
	close(p[0]);
	close(p[1]);
	expect(res(pipe2(p, O_APPEND)), -EINVAL, "pipe2 O_APPEND");
	expect(res(pipe2(p, 1)), -EINVAL, "pipe2 flag 1");
}

static void
bad_buffers(void)
{
	char buf[16] = { 0 };
	int p[2], n = -1, fd;

	expect(res(pipe((int *)bad_addr)), -EFAULT, "pipe((int *)1)");
	fd = dup(0);
	check(fcntl(fd + 1, F_GETFD) < 0 && fcntl(fd + 2, F_GETFD) < 0, "the failed pipe left no fds behind");
	close(fd);
	pipe(p);
	write(p[1], "abc", 3);
	expect(res(read(p[0], (void *)bad_addr, 3)), -EFAULT, "read into (void *)1");
	ioctl(p[0], FIONREAD, &n);
	expect(n, 3, "FIONREAD after it (nothing lost)");
	expect(res(read(p[0], buf, sizeof(buf))), 3, "read into a good buffer");
	check(!memcmp(buf, "abc", 3), "it gives abc");
	expect(res(write(p[1], (void *)bad_addr, 3)), -EFAULT, "write from (void *)1");
	ioctl(p[0], FIONREAD, &n);
	expect(n, 0, "FIONREAD after it (nothing written)");
	close(p[0]);
	close(p[1]);
}

/* Each writer sends RECORDS records of PIPE_BUF bytes: its id, then a count. */
static void
atomic_writes(void)
{
	static unsigned char rec[PIPE_BUF];
	int p[2], next[WRITERS] = { 0 }, mixed = 0, order = 0, records = 0;
	pid_t pids[WRITERS];
	size_t have = 0;
	ssize_t n;

	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = spawn();
		if (pids[w] == 0) {
			close(p[0]);
			for (int r = 0; r < RECORDS; r++) {
				memset(rec, 'A' + w, sizeof(rec));
				rec[1] = (unsigned char)r;
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			}
			_exit(0);
		}
	}
	close(p[1]);
	/* Reads may cut records anywhere: collect PIPE_BUF bytes, then judge. */
	while ((n = read(p[0], rec + have, sizeof(rec) - have)) > 0) {
		have += n;
		if (have < sizeof(rec))
			continue;
		int w = rec[0] - 'A', whole = w >= 0 && w < WRITERS;

		for (size_t i = 2; whole && i < sizeof(rec); i++)
			whole = rec[i] == rec[0];
		mixed += !whole;
		if (whole)
			order += rec[1] != next[w]++;
		records++;
		have = 0;
	}
	expect(records, WRITERS * RECORDS, "records read from 4 writers");
	expect(mixed, 0, "records mixed from two writers");
	expect(order, 0, "records out of order within a writer");
	for (int w = 0; w < WRITERS; w++)
		expect_status(pids[w], "exit 0", "writer");
	close(p[0]);
}

static unsigned char
pattern(long i)
{
	return (unsigned char)(i ^ (i >> 8) ^ (i >> 16) ^ (i >> 24));
}

/* 16 MiB in writes of odd sizes (and one of 1 MiB), read in 7777-byte pieces. */
static void
transfer(void)
{
	static unsigned char buf[1 << 20];
	static const long sizes[] = { 1, 4095, 4097, 65536, 1 << 20, 333, 100000 };
	long total = 0, bad = 0, i;
	ssize_t n;
	int p[2];
	pid_t pid;

	pipe(p);
	pid = spawn();
	if (pid == 0) {
		long sent = 0;

		close(p[0]);
		for (int k = 0; sent < TRANSFER; k++) {
			long len = sizes[k % 7];

			if (len > TRANSFER - sent)
				len = TRANSFER - sent;
			for (i = 0; i < len; i++)
				buf[i] = pattern(sent + i);
			if (write(p[1], buf, len) != len)
				_exit(1);
			sent += len;
		}
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, 7777)) > 0) {
		for (i = 0; i < n; i++)
			bad += buf[i] != pattern(total + i);
		total += n;
	}
	expect(total, TRANSFER, "bytes of the 16 MiB transfer");
	expect(bad, 0, "wrong bytes");
	expect_status(pid, "exit 0", "the sender");
	close(p[0]);
}

int
main(void)
{
	check_init(NAME);
	end_of_file();
	broken_pipes();
	nonblocking();
	ioctls_and_flags();
	bad_buffers();
	atomic_writes();
	transfer();
	return check_done();
}
