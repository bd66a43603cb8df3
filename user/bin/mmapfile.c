/*
 * mmap of a tmpfs file as Linux does it: MAP_PRIVATE copies on write and
 * its writes reach neither the file nor other mappings; MAP_SHARED writes
 * reach read(), other mappings and a forked child; write() shows through
 * a mapping; beyond the end of the file SIGBUS (in a child), the rest of
 * the last page zeros; truncation while mapped; and the refusals (EACCES,
 * EINVAL, ENODEV). Works in /tmp/mmapfile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NAME	"mmapfile"
#define DIR	"/tmp/" NAME
#define PAGE	4096
#define BIG	(4 << 20)	/* bytes of the large shared mapping */

/* Prints "mmapfile: WHAT -> 'c'": a byte, as a character when printable. */
static void
expect_byte(int got, int want, const char *what)
{
	char g[16], w[16];

	snprintf(g, sizeof(g), got >= 33 && got < 127 ? "'%c'" : "%d", got);
	snprintf(w, sizeof(w), want >= 33 && want < 127 ? "'%c'" : "%d", want);
	if (got == want) {
		printf(NAME ": %s -> %s\n", what, g);
		return;
	}
	printf(NAME ": %s -> %s, want %s: FAIL\n", what, g, w);
	note_failure(what);
}

static int
file_byte(int fd, off_t off)
{
	unsigned char c;

	return pread(fd, &c, 1, off) == 1 ? c : -1;
}

static long
size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -errno : (long)st.st_size;
}

/* A file of n bytes: byte i is 'a' + i % 26. */
static int
make_file(const char *path, long n)
{
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	char *buf = malloc(n);

	for (long i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	write(fd, buf, n);
	free(buf);
	return fd;
}

static char *
map(int fd, size_t len, int prot, int flags, off_t off)
{
	char *p = mmap(NULL, len, prot, flags, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

/* mmap's result for expect(): 0, or -errno. */
static long
map_res(int fd, size_t len, int prot, int flags, off_t off)
{
	char *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

/* Touches p (write or read) in a child; how it ended: "exit 0", "SIGBUS"... */
static const char *
touch(volatile char *p, int write)
{
	static char buf[32];
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else
		snprintf(buf, sizeof(buf), "%s", WTERMSIG(st) == SIGBUS ? "SIGBUS" :
			 WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "another signal");
	return buf;
}

static void
expect_touch(volatile char *p, int write, const char *want, const char *what)
{
	const char *got = touch(p, write);

	check(!strcmp(got, want), "%s: %s", what, got);
}

static void
private_maps(void)
{
	int fd = make_file("p", 2 * PAGE);
	char *a = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	char *b = map(fd, 2 * PAGE, PROT_READ, MAP_PRIVATE, 0);
	char *s = map(fd, 2 * PAGE, PROT_READ, MAP_SHARED, 0);

	check(a && b && s, "mmap p twice MAP_PRIVATE, once MAP_SHARED");
	if (!a || !b || !s)
		return;
	expect_byte(a[0], 'a', "private a[0]");
	a[0] = 'X';
	expect_byte(a[0], 'X', "private a[0] after writing X");
	expect_byte(file_byte(fd, 0), 'a', "the file's byte 0 (read)");
	expect_byte(b[0], 'a', "the other private mapping's byte 0");
	expect_byte(s[0], 'a', "the shared mapping's byte 0");
	/* A page not yet written follows the file (Linux maps the page cache). */
	expect_byte(a[PAGE + 1], 'a' + (PAGE + 1) % 26, "private a[4097] (read, not written)");
	pwrite(fd, "Z", 1, PAGE + 1);
	expect_byte(a[PAGE + 1], 'Z', "private a[4097] after pwrite Z to the file");
	pwrite(fd, "Y", 1, 0);
	expect_byte(a[0], 'X', "private a[0] after pwrite Y (its copy stays)");
	expect_byte(b[0], 'Y', "the other private mapping's byte 0 after pwrite Y");
	expect(res(madvise(a, PAGE, MADV_DONTNEED)), 0, "madvise MADV_DONTNEED on the private page");
	expect_byte(a[0], 'Y', "private a[0] after it (the file's again)");
	munmap(a, 2 * PAGE);
	munmap(b, 2 * PAGE);
	munmap(s, 2 * PAGE);
	/* MAP_PRIVATE with PROT_WRITE needs only a readable fd. */
	close(fd);
	fd = open("p", O_RDONLY);
	expect(map_res(fd, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0), 0,
	       "mmap O_RDONLY fd MAP_PRIVATE PROT_WRITE");
	close(fd);
}

static void
shared_maps(void)
{
	int fd = make_file("s", 2 * PAGE), st;
	char *a = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	char *b = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	char *off = map(fd, PAGE, PROT_READ, MAP_SHARED, PAGE);
	pid_t pid;

	check(a && b && off, "mmap s twice MAP_SHARED, and its second page alone");
	if (!a || !b || !off)
		return;
	a[10] = 'S';
	expect_byte(file_byte(fd, 10), 'S', "the file's byte 10 after a[10] = S");
	expect_byte(b[10], 'S', "the second mapping's byte 10");
	pwrite(fd, "W", 1, 30);
	expect_byte(a[30], 'W', "a[30] after pwrite W");
	a[PAGE + 5] = 'O';
	expect_byte(off[5], 'O', "the second page's mapping, byte 5");
	expect_byte(off[0], 'a' + PAGE % 26, "its byte 0 (file offset 4096)");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		a[20] = 'C';
		_exit(0);
	}
	waitpid(pid, &st, 0);
	expect_byte(a[20], 'C', "a[20] after a child wrote C");
	expect_byte(file_byte(fd, 20), 'C', "the file's byte 20");
	expect(res(msync(a, 2 * PAGE, MS_SYNC)), 0, "msync MS_SYNC");
	expect(res(msync(a, 2 * PAGE, MS_SYNC | MS_ASYNC)), -EINVAL, "msync MS_SYNC|MS_ASYNC");
	close(fd);
	a[40] = 'K';
	fd = open("s", O_RDONLY);
	expect_byte(file_byte(fd, 40), 'K', "a write after closing the fd reaches the file");
	munmap(a, 2 * PAGE);
	munmap(b, 2 * PAGE);
	munmap(off, PAGE);
	expect_byte(file_byte(fd, 10), 'S', "byte 10 after munmap");
	/* An unlinked file stays mapped. */
	a = map(fd, PAGE, PROT_READ, MAP_SHARED, 0);
	unlink("s");
	expect_byte(a ? a[10] : -1, 'S', "byte 10 of the unlinked file's mapping");
	if (a)
		munmap(a, PAGE);
	close(fd);
}

static void
past_the_end(void)
{
	int fd = make_file("e", 5000);
	char *p = map(fd, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	int zero = 1;

	check(p != NULL, "mmap 3 pages of a 5000-byte file");
	if (!p)
		return;
	expect_byte(p[4999], 'a' + 4999 % 26, "p[4999], the last byte");
	for (int i = 5000; i < 2 * PAGE; i++)
		zero &= p[i] == 0;
	check(zero, "p[5000..8191], the rest of the last page, read as zeros");
	p[6000] = 'Q';
	expect(size_of(fd), 5000, "st_size after writing p[6000]");
	expect_touch(p + 2 * PAGE, 0, "SIGBUS", "read p[8192], a page past the end");
	expect_touch(p + 2 * PAGE, 1, "SIGBUS", "write p[8192]");
	expect(res(ftruncate(fd, 3 * PAGE)), 0, "ftruncate to 3 pages");
	expect_touch(p + 2 * PAGE, 0, "exit 0", "read p[8192] now");
	expect_byte(p[2 * PAGE + 1], 0, "p[8193]");
	expect(res(ftruncate(fd, 100)), 0, "ftruncate to 100 bytes");
	expect_touch(p + PAGE, 0, "SIGBUS", "read p[4096] after shrinking");
	expect_byte(p[99], 'a' + 99 % 26, "p[99]");
	expect_byte(p[100], 0, "p[100] (cut off: zeros)");
	munmap(p, 3 * PAGE);
	p = map(fd, PAGE, PROT_READ, MAP_SHARED, 10 * PAGE);
	check(p != NULL, "mmap at an offset past the end");
	if (p) {
		expect_touch(p, 0, "SIGBUS", "read it");
		munmap(p, PAGE);
	}
	close(fd);
}

static void
refusals(void)
{
	int rw = make_file("r", PAGE), wr = open("r", O_WRONLY), rd = open("r", O_RDONLY);
	int dir = open(".", O_RDONLY), p[2];
	char *m;

	pipe(p);
	expect(map_res(wr, PAGE, PROT_READ, MAP_SHARED, 0), -EACCES, "mmap an O_WRONLY fd");
	expect(map_res(wr, PAGE, PROT_WRITE, MAP_SHARED, 0), -EACCES, "mmap an O_WRONLY fd PROT_WRITE");
	expect(map_res(rd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0), -EACCES,
	       "mmap an O_RDONLY fd MAP_SHARED PROT_WRITE");
	expect(map_res(rw, PAGE, PROT_READ, MAP_SHARED, 100), -EINVAL, "mmap at offset 100");
	expect(map_res(rw, 0, PROT_READ, MAP_SHARED, 0), -EINVAL, "mmap of 0 bytes");
	expect(map_res(rw, PAGE, PROT_READ, MAP_SHARED_VALIDATE, 0), 0, "mmap MAP_SHARED_VALIDATE");
	expect(map_res(rw, PAGE, PROT_READ, 0, 0), -EINVAL, "mmap with neither");
	expect(map_res(dir, PAGE, PROT_READ, MAP_SHARED, 0), -ENODEV, "mmap a directory");
	expect(map_res(p[0], PAGE, PROT_READ, MAP_SHARED, 0), -ENODEV, "mmap a pipe");
	expect(map_res(-1, PAGE, PROT_READ, MAP_SHARED, 0), -EBADF, "mmap fd -1");
	m = map(rd, PAGE, PROT_READ, MAP_SHARED, 0);
	expect(m ? res(mprotect(m, PAGE, PROT_READ | PROT_WRITE)) : -ENOMEM, -EACCES,
	       "mprotect PROT_WRITE on a MAP_SHARED map of an O_RDONLY fd");
	if (m) {
		expect_touch(m, 1, "SIGSEGV", "write to it");
		expect_byte(file_byte(rd, 0), 'a', "the file's byte 0 after it");
		munmap(m, PAGE);
	}
	m = map(rd, PAGE, PROT_READ, MAP_PRIVATE, 0);
	expect(m ? res(mprotect(m, PAGE, PROT_READ | PROT_WRITE)) : -ENOMEM, 0,
	       "mprotect PROT_WRITE on a MAP_PRIVATE one");
	if (m)
		munmap(m, PAGE);
	m = map(rw, PAGE, PROT_READ, MAP_SHARED, 0);
	if (m) {
		expect_touch(m, 1, "SIGSEGV", "write to a PROT_READ shared mapping");
		munmap(m, PAGE);
	}
	close(p[0]);
	close(p[1]);
	close(dir);
	close(rw);
	close(wr);
	close(rd);
}

/* 4 MiB through a shared mapping, read back with read(). */
static void
large(void)
{
	static unsigned int buf[1024];
	int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	unsigned int *p;
	long bad = 0;

	ftruncate(fd, BIG);
	p = (unsigned int *)map(fd, BIG, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	check(p != NULL, "mmap a 4 MiB file MAP_SHARED");
	if (!p)
		return;
	for (unsigned int i = 0; i < BIG / 4; i++)
		p[i] = i * 2654435761u;
	munmap(p, BIG);
	for (unsigned int i = 0; i < BIG / 4; i += 1024) {
		if (read(fd, buf, sizeof(buf)) != sizeof(buf)) {
			bad++;
			break;
		}
		for (unsigned int j = 0; j < 1024; j++)
			bad += buf[j] != (i + j) * 2654435761u;
	}
	expect(bad, 0, "words of 4 MiB written by mmap that read() sees wrong");
	close(fd);
}

static int
rm_all(void)
{
	static const char *const names[] = { "p", "s", "e", "r", "big" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	return 0;
}

int
main(void)
{
	check_init(NAME);
	umask(022);
	if (chdir(DIR) == 0)
		rm_all();
	chdir("/");
	rmdir(DIR);
	if (mkdir(DIR, 0755) < 0 || chdir(DIR) < 0) {
		printf(NAME ": FAIL cannot make %s: %s\n", DIR, errname(errno));
		return 1;
	}
	private_maps();
	shared_maps();
	past_the_end();
	refusals();
	large();
	rm_all();
	chdir("/");
	rmdir(DIR);
	return check_done();
}
