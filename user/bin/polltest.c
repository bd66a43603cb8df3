/*
 * poll, ppoll, select and pselect6 on pipes as Linux answers them: readable
 * after a write, POLLHUP once the writer is gone, POLLERR on a write end
 * whose reader is gone, POLLNVAL for a closed fd, a zero timeout returns at
 * once, a 50 ms one waits at least that long, a sleeping poll wakes when
 * another process writes or closes, and the errors (EINVAL, EBADF, EFAULT).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME	"polltest"
#define SHORT	50		/* ms: the timeout that must elapse */

/* A bad pointer the compiler cannot see through (and warn about). */
static volatile uintptr_t bad_addr = 1;

/* revents by name, "POLLIN|POLLHUP", or "0". */
static const char *
events_str(int ev)
{
	static const struct { int bit; const char *name; } names[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" },
		{ POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" },
		{ POLLRDNORM, "POLLRDNORM" }, { POLLWRNORM, "POLLWRNORM" },
	};
	static char buf[128];

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev & names[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "|" : "", names[i].name);
	if (ev & ~0x1ff)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "|0x%x", ev & ~0x1ff);
	return buf[0] ? buf : "0";
}

/* poll one fd for events, timeout 0: "polltest: WHAT: n=N revents=EV". */
static void
expect_poll(int fd, short events, int want_n, const char *want_ev, const char *what)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, 0);
	const char *ev = events_str(p.revents);

	if (n < 0) {
		expect(-errno, want_n, "%s", what);
		return;
	}
	check(n == want_n && !strcmp(ev, want_ev), "%s: n=%d revents=%s", what, n, ev);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
pipe_states(void)
{
	static char buf[65536];
	int p[2];

	pipe(p);
	expect_poll(p[0], POLLIN, 0, "0", "poll an empty pipe's read end for POLLIN");
	expect_poll(p[1], POLLOUT, 1, "POLLOUT", "poll its write end for POLLOUT");
	expect_poll(p[1], POLLIN, 0, "0", "poll its write end for POLLIN");
	write(p[1], "abc", 3);
	expect_poll(p[0], POLLIN, 1, "POLLIN", "poll the read end after a write");
	expect_poll(p[0], POLLIN | POLLRDNORM, 1, "POLLIN|POLLRDNORM", "poll it for POLLIN|POLLRDNORM");
	expect_poll(p[0], POLLOUT, 0, "0", "poll the read end for POLLOUT");
	expect_poll(p[0], 0, 0, "0", "poll the read end for no events");
	close(p[1]);
	expect_poll(p[0], POLLIN, 1, "POLLIN|POLLHUP", "poll the read end with data, writer closed");
	expect_poll(p[0], 0, 1, "POLLHUP", "poll it for no events (POLLHUP all the same)");
	read(p[0], buf, sizeof(buf));
	expect_poll(p[0], POLLIN, 1, "POLLHUP", "poll the drained read end, writer closed");
	close(p[0]);

	pipe(p);
	close(p[0]);
	expect_poll(p[1], POLLOUT, 1, "POLLOUT|POLLERR", "poll a write end whose reader closed");
	expect_poll(p[1], 0, 1, "POLLERR", "poll it for no events (POLLERR all the same)");
	close(p[1]);
	expect_poll(p[1], POLLIN, 1, "POLLNVAL", "poll a closed fd");
	expect_poll(-1, POLLIN, 0, "0", "poll fd -1 (ignored)");

	pipe2(p, O_NONBLOCK);
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	expect_poll(p[1], POLLOUT, 0, "0", "poll the write end of a full pipe");
	read(p[0], buf, 4096);
	expect_poll(p[1], POLLOUT, 1, "POLLOUT", "poll it after reading 4096");
	close(p[0]);
	close(p[1]);

	{
		int fd = open("/bin/" NAME, O_RDONLY);

		expect_poll(fd, POLLIN | POLLOUT, 1, "POLLIN|POLLOUT", "poll a regular file");
		close(fd);
	}
}

static void
several(void)
{
	struct pollfd fds[4];
	int a[2], b[2], c[2];

	pipe(a);
	pipe(b);
	pipe(c);
	write(b[1], "x", 1);
	close(c[1]);
	fds[0] = (struct pollfd){ a[0], POLLIN, 0x7ff };
	fds[1] = (struct pollfd){ b[0], POLLIN, 0 };
	fds[2] = (struct pollfd){ c[0], POLLIN, 0 };
	fds[3] = (struct pollfd){ a[1], POLLOUT, 0 };
	expect(res(poll(fds, 4, 0)), 3, "poll 4 fds: empty, data, hung up, writable");
	check(fds[0].revents == 0, "revents of the empty one: %s", events_str(fds[0].revents));
	check(fds[1].revents == POLLIN, "revents of the one with data: %s", events_str(fds[1].revents));
	check(fds[2].revents == POLLHUP, "revents of the hung up one: %s", events_str(fds[2].revents));
	check(fds[3].revents == POLLOUT, "revents of the writable one: %s", events_str(fds[3].revents));
	fds[1].fd = b[0];
	fds[2].fd = b[0];
	expect(res(poll(fds + 1, 2, 0)), 2, "poll the same fd twice");
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(c[0]);
}

static void
timeouts(void)
{
	struct timespec t0, ts = { 0, SHORT * 1000000L };
	struct pollfd pfd;
	struct timeval tv;
	fd_set rd;
	int p[2];
	long ms;

	pipe(p);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect(res(poll(&pfd, 1, 0)), 0, "poll with timeout 0");
	ms = ms_since(&t0);
	check(ms < SHORT, "it returned at once");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect(res(poll(&pfd, 1, SHORT)), 0, "poll with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect(res(poll(NULL, 0, SHORT)), 0, "poll of no fds with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect(res(ppoll(&pfd, 1, &ts, NULL)), 0, "ppoll with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");

	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 0 };
	expect(res(select(p[0] + 1, &rd, NULL, NULL, &tv)), 0, "select with timeout 0");
	check(!FD_ISSET(p[0], &rd), "the read set is cleared");
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, SHORT * 1000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* musl's select() passes a copy of tv: the system call, to see it change. */
	expect(res(syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv)), 0, "select with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");
	check(tv.tv_sec == 0 && tv.tv_usec == 0, "select set the timeout left to 0");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tv = (struct timeval){ 0, SHORT * 1000 };
	expect(res(select(0, NULL, NULL, NULL, &tv)), 0, "select of nothing with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");
	FD_SET(p[0], &rd);
	ts = (struct timespec){ 0, SHORT * 1000000L };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect(res(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL)), 0, "pselect with timeout 50 ms");
	check(ms_since(&t0) >= SHORT, "it took at least 50 ms");
	close(p[0]);
	close(p[1]);
}

static void
selects(void)
{
	fd_set rd, wr, ex;
	struct timeval tv = { 0, 0 };
	struct timespec ts = { 0, 0 };
	int p[2], closed;

	pipe(p);
	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &rd);
	FD_SET(p[0], &wr);
	FD_SET(p[1], &wr);
	FD_SET(p[0], &ex);
	expect(res(select(p[1] + 1, &rd, &wr, &ex, &tv)), 2, "select a pipe's two ends for reading and writing");
	check(FD_ISSET(p[0], &rd) && !FD_ISSET(p[1], &rd), "readable: the read end only");
	check(FD_ISSET(p[1], &wr) && !FD_ISSET(p[0], &wr), "writable: the write end only");
	check(!FD_ISSET(p[0], &ex), "no exceptions");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	expect(res(select(p[0], &rd, NULL, NULL, &tv)), 0, "select with nfds not covering the fd");
	expect(res(select(-1, &rd, NULL, NULL, &tv)), -EINVAL, "select with nfds -1");
	tv.tv_usec = -1;
	expect(res(select(1, NULL, NULL, NULL, &tv)), -EINVAL, "select with tv_usec -1");
	tv.tv_usec = 0;
	closed = p[1] + 1;
	close(closed);
	FD_ZERO(&rd);
	FD_SET(closed, &rd);
	expect(res(select(closed + 1, &rd, NULL, NULL, &tv)), -EBADF, "select a closed fd");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	expect(res(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL)), 1,
	       "pselect6 with data, no sigmask");
	expect(res(select(p[0] + 1, (fd_set *)bad_addr, NULL, NULL, &tv)), -EFAULT, "select with (fd_set *)1");
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	read(p[0], &closed, 1);
	expect(res(select(p[0] + 1, &rd, NULL, NULL, &tv)), 1, "select the drained read end, writer closed");
	close(p[0]);
}

static void
errors(void)
{
	struct rlimit old, rl;
	struct pollfd *many = calloc(65, sizeof(*many));
	int p[2];

	for (int i = 0; i < 65; i++)
		many[i].fd = -1;
	pipe(p);
	expect(res(poll((struct pollfd *)bad_addr, 1, 0)), -EFAULT, "poll of (struct pollfd *)1");
	expect(res(poll(many, 65, 0)), 0, "poll of 65 fds, all -1");
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	expect(res(poll(many, 64, 0)), 0, "poll of 64 fds at RLIMIT_NOFILE 64");
	expect(res(poll(many, 65, 0)), -EINVAL, "poll of 65 fds at RLIMIT_NOFILE 64");
	setrlimit(RLIMIT_NOFILE, &old);
	{
		struct timespec bad = { 0, 1000000000L };
		struct pollfd pfd = { p[0], POLLIN, 0 };

		expect(res(ppoll(&pfd, 1, &bad, NULL)), -EINVAL, "ppoll with tv_nsec 10^9");
	}
	close(p[0]);
	close(p[1]);
	free(many);
}

/*
 * A sleeping poll must wake when another process writes, or exits. The
 * child keeps its write end open until the parent closes q (when it has
 * seen the write), so that POLLHUP cannot come too.
 */
static void
wakeups(void)
{
	struct pollfd pfd;
	struct timeval tv;
	fd_set rd;
	int p[2], q[2], st;
	char c;
	pid_t pid;

	for (int round = 0; round < 3; round++) {
		pipe(p);
		pipe(q);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			close(q[1]);
			sleep_ms(SHORT);
			if (round != 1)
				write(p[1], "x", 1);
			read(q[0], &c, 1);
			_exit(0);
		}
		close(p[1]);
		close(q[0]);
		pfd = (struct pollfd){ p[0], POLLIN, 0 };
		switch (round) {
		case 0:
			expect(res(poll(&pfd, 1, -1)), 1, "poll forever, woken by a child's write");
			check(pfd.revents == POLLIN, "revents %s", events_str(pfd.revents));
			break;
		case 1:
			close(q[1]);
			expect(res(poll(&pfd, 1, 10000)), 1, "poll 10 s, woken by the child's exit");
			check(pfd.revents == POLLHUP, "revents %s", events_str(pfd.revents));
			break;
		case 2:
			FD_ZERO(&rd);
			FD_SET(p[0], &rd);
			tv = (struct timeval){ 10, 0 };
			expect(res(syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv)), 1,
			       "select 10 s, woken by a child's write");
			check(tv.tv_sec < 10, "the timeout left went down");
			break;
		}
		close(q[1]);
		waitpid(pid, &st, 0);
		close(p[0]);
	}
}

int
main(void)
{
	check_init(NAME);
	pipe_states();
	several();
	timeouts();
	selects();
	errors();
	wakeups();
	return check_done();
}
