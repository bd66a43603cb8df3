/*
 * Regular files as Linux keeps them: offsets and lseek, holes, truncation,
 * O_APPEND, O_EXCL, O_TRUNC, pread/pwrite, readv/writev, sendfile, stat,
 * unlink of an open file, rename, hard links, fsync, and a 4 MiB file read
 * back in odd-sized pieces. Works in /tmp/files; every line is compared
 * with the same program's output on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define NAME	"files"
#define DIR	"/tmp/" NAME
#define BIG	(4 << 20)	/* bytes in the large file */

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
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case EFBIG: return "EFBIG";
	case ESPIPE: return "ESPIPE";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
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
vfail(const char *fmt, va_list ap)
{
	failed++;
	if (!first_failure[0])
		vsnprintf(first_failure, sizeof(first_failure), fmt, ap);
}

/* Prints "files: WHAT -> RESULT" (a number or an errno name). */
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
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s", what);
}

/* Prints "files: WHAT -> 0MODE" (octal). */
static void
expect_mode(unsigned int got, unsigned int want, const char *what)
{
	if (got == want) {
		printf(NAME ": %s -> 0%o\n", what, got);
		return;
	}
	printf(NAME ": %s -> 0%o, want 0%o: FAIL\n", what, got, want);
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s", what);
}

/* Prints "files: WHAT", with ": FAIL" appended unless ok. */
static void
check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf(NAME ": ");
	vprintf(fmt, ap);
	printf(ok ? "\n" : ": FAIL\n");
	va_end(ap);
	if (!ok) {
		va_start(ap, fmt);
		vfail(fmt, ap);
		va_end(ap);
	}
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf: nothing of an earlier run may be left over. */
static void
rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The whole file at path as a string (up to 255 bytes), "" if unreadable. */
static const char *
contents(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

static long
size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -errno : (long)st.st_size;
}

/* Reads n bytes at off; 1 if they are all zero. */
static int
zeros_at(int fd, off_t off, size_t n)
{
	static char buf[16384];
	size_t i;

	if (n > sizeof(buf) || pread(fd, buf, n, off) != (ssize_t)n)
		return 0;
	for (i = 0; i < n; i++)
		if (buf[i])
			return 0;
	return 1;
}

static void
offsets(void)
{
	char buf[64] = { 0 };
	int fd = open("a", O_CREAT | O_RDWR | O_TRUNC, 0644);

	check(fd >= 0, "open a O_CREAT|O_RDWR|O_TRUNC");
	expect(res(write(fd, "hello world\n", 12)), 12, "write 12 bytes");
	expect(res(lseek(fd, 0, SEEK_CUR)), 12, "lseek 0 SEEK_CUR");
	expect(res(read(fd, buf, sizeof(buf))), 0, "read at end of file");
	expect(res(lseek(fd, 0, SEEK_SET)), 0, "lseek 0 SEEK_SET");
	expect(res(read(fd, buf, 5)), 5, "read 5");
	check(!memcmp(buf, "hello", 5), "read 5 gives \"hello\"");
	expect(res(lseek(fd, 1, SEEK_CUR)), 6, "lseek 1 SEEK_CUR");
	expect(res(read(fd, buf, 5)), 5, "read 5 again");
	check(!memcmp(buf, "world", 5), "read 5 gives \"world\"");
	expect(res(lseek(fd, -6, SEEK_END)), 6, "lseek -6 SEEK_END");
	expect(res(lseek(fd, 0, SEEK_END)), 12, "lseek 0 SEEK_END");
	expect(res(lseek(fd, -1, SEEK_SET)), -EINVAL, "lseek -1 SEEK_SET");
	expect(res(lseek(fd, -100, SEEK_CUR)), -EINVAL, "lseek -100 SEEK_CUR");
	expect(res(lseek(fd, -13, SEEK_END)), -EINVAL, "lseek -13 SEEK_END");
	expect(res(lseek(fd, 0, 7)), -EINVAL, "lseek whence 7");
	expect(res(lseek(fd, 0, SEEK_CUR)), 12, "offset unchanged by the failed lseeks");
	expect(res(lseek(fd, 100, SEEK_SET)), 100, "lseek 100 SEEK_SET (beyond the end)");
	expect(res(read(fd, buf, 10)), 0, "read beyond the end");
	expect(size_of(fd), 12, "st_size after seeking beyond the end");
	expect(res(write(fd, "X", 1)), 1, "write 1 byte at 100");
	expect(size_of(fd), 101, "st_size after writing at 100");
	check(zeros_at(fd, 12, 88), "the gap 12..99 reads as zeros");
	expect(res(lseek(fd, (1 << 20) + 5, SEEK_SET)), (1 << 20) + 5, "lseek 1 MiB + 5");
	expect(res(write(fd, "end", 3)), 3, "write 3 bytes at 1 MiB + 5");
	expect(size_of(fd), (1 << 20) + 8, "st_size of the file with a hole");
	check(zeros_at(fd, 101, 8000) && zeros_at(fd, 512 * 1024, 8192) &&
	      zeros_at(fd, (1 << 20) + 5 - 4096, 4096), "the hole reads as zeros");
	expect(res(pread(fd, buf, 10, (1 << 20) + 3)), 5, "pread across the end");
	check(!memcmp(buf, "\0\0end", 5), "pread across the end gives the last bytes");
	expect(res(write(fd, "", 0)), 0, "write 0 bytes");
	close(fd);
}

static void
truncation(void)
{
	char buf[64] = { 0 };
	int fd = open("t", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int rd;

	expect(res(write(fd, "0123456789abcdef", 16)), 16, "write 16 bytes to t");
	expect(res(ftruncate(fd, 5)), 0, "ftruncate 5");
	expect(size_of(fd), 5, "st_size after ftruncate 5");
	expect(res(lseek(fd, 0, SEEK_CUR)), 16, "ftruncate leaves the offset");
	expect(res(pread(fd, buf, sizeof(buf), 0)), 5, "pread all after shrinking");
	expect(res(ftruncate(fd, 10)), 0, "ftruncate 10");
	expect(res(pread(fd, buf, sizeof(buf), 0)), 10, "pread all after growing");
	check(!memcmp(buf, "01234\0\0\0\0\0", 10), "the cut data is gone: zeros when regrown");
	expect(res(truncate("t", 3)), 0, "truncate t 3");
	expect(size_of(fd), 3, "st_size after truncate 3");
	expect(res(truncate("t", 8192 + 7)), 0, "truncate t 8199");
	check(zeros_at(fd, 3, 8196), "grown by truncate: zeros");
	expect(res(ftruncate(fd, -1)), -EINVAL, "ftruncate -1");
	expect(res(truncate("missing", 0)), -ENOENT, "truncate missing");
	expect(res(truncate(".", 0)), -EISDIR, "truncate .");
	rd = open("t", O_RDONLY);
	expect(res(ftruncate(rd, 0)), -EINVAL, "ftruncate of an O_RDONLY fd");
	close(rd);
	expect(res(ftruncate(-1, 0)), -EBADF, "ftruncate -1 fd");
	/* O_TRUNC truncates even with O_RDONLY on Linux. */
	rd = open("t", O_RDONLY | O_TRUNC);
	expect(size_of(rd), 0, "st_size after open O_RDONLY|O_TRUNC");
	close(rd);
	expect(res(write(fd, "abc", 3)), 3, "write 3 at the old offset 16");
	expect(size_of(fd), 19, "st_size after writing past the truncated end");
	close(fd);
}

static void
append(void)
{
	int fd = open("b", O_CREAT | O_WRONLY | O_TRUNC | O_APPEND, 0644);
	int dupfd = dup(fd), plain;

	expect(res(write(fd, "abc", 3)), 3, "O_APPEND write abc");
	expect(res(lseek(fd, 0, SEEK_SET)), 0, "O_APPEND lseek 0");
	expect(res(write(fd, "def", 3)), 3, "O_APPEND write def after lseek 0");
	expect(res(lseek(fd, 0, SEEK_CUR)), 6, "O_APPEND offset after the write");
	expect(res(write(dupfd, "ghi", 3)), 3, "write ghi through a dup");
	plain = open("b", O_WRONLY);
	expect(res(write(plain, "X", 1)), 1, "write X at 0 through a plain open");
	expect(res(write(fd, "jkl", 3)), 3, "O_APPEND write jkl");
	check(!strcmp(contents("b"), "Xbcdefghijkl"), "b holds \"Xbcdefghijkl\"");
	/* Linux's documented quirk: pwrite on O_APPEND appends. */
	expect(res(pwrite(fd, "P", 1, 0)), 1, "pwrite P at 0 on O_APPEND");
	check(!strcmp(contents("b"), "XbcdefghijklP"), "pwrite on O_APPEND appended");
	expect(res(fcntl(plain, F_SETFL, O_APPEND)), 0, "F_SETFL O_APPEND on the plain fd");
	expect(res(lseek(plain, 0, SEEK_SET)), 0, "lseek 0 on it");
	expect(res(write(plain, "Q", 1)), 1, "write Q on it");
	check(!strcmp(contents("b"), "XbcdefghijklPQ"), "F_SETFL O_APPEND appends");
	close(plain);
	close(dupfd);
	close(fd);
}

static void
open_flags(void)
{
	struct stat st;
	int fd;

	fd = open("a", O_CREAT | O_EXCL | O_RDWR, 0644);
	expect(res(fd), -EEXIST, "open a O_CREAT|O_EXCL (exists)");
	fd = open("c", O_CREAT | O_EXCL | O_RDWR, 0644);
	check(fd >= 0, "open c O_CREAT|O_EXCL (new)");
	close(fd);
	fd = open("a", O_EXCL | O_RDONLY);
	check(fd >= 0, "open a O_EXCL without O_CREAT (ignored)");
	close(fd);
	fd = open("a", O_WRONLY | O_TRUNC);
	expect(size_of(fd), 0, "st_size after open O_WRONLY|O_TRUNC");
	close(fd);
	expect(res(open("nosuch", O_RDONLY)), -ENOENT, "open nosuch O_RDONLY");
	fd = open("m", O_CREAT | O_WRONLY, 0777);
	expect(res(fstat(fd, &st)), 0, "fstat m");
	expect_mode(st.st_mode & 07777, 0755, "mode of O_CREAT 0777 under umask 022");
	expect(S_ISREG(st.st_mode), 1, "S_ISREG");
	expect(st.st_nlink, 1, "st_nlink");
	expect(st.st_size, 0, "st_size");
	expect(res(fchmod(fd, 0600)), 0, "fchmod 0600");
	expect(res(stat("m", &st)), 0, "stat m");
	expect_mode(st.st_mode & 07777, 0600, "mode after fchmod");
	expect(res(chmod("m", 04751)), 0, "chmod 04751");
	expect(res(stat("m", &st)), 0, "stat m");
	expect_mode(st.st_mode & 07777, 04751, "mode after chmod");
	close(fd);
	fd = open("m", O_RDONLY);
	expect(res(write(fd, "x", 1)), -EBADF, "write on an O_RDONLY fd");
	close(fd);
	fd = open("m", O_WRONLY);
	expect(res(read(fd, &st, 1)), -EBADF, "read on an O_WRONLY fd");
	close(fd);
	fd = open(".", O_RDONLY);
	expect(res(read(fd, &st, 1)), -EISDIR, "read on a directory fd");
	expect(res(write(fd, "x", 1)), -EBADF, "write on a directory fd");
	close(fd);
	expect(res(read(-1, &st, 1)), -EBADF, "read on fd -1");
	fd = creat("cr", 0644);
	check(fd >= 0, "creat cr");
	close(fd);
}

static void
positional(void)
{
	char buf[16] = { 0 };
	int p[2];
	int fd = open("p", O_CREAT | O_RDWR | O_TRUNC, 0644);

	expect(res(write(fd, "0123456789", 10)), 10, "write 0123456789");
	expect(res(lseek(fd, 2, SEEK_SET)), 2, "lseek 2");
	expect(res(pread(fd, buf, 3, 5)), 3, "pread 3 at 5");
	check(!memcmp(buf, "567", 3), "pread gives \"567\"");
	expect(res(pwrite(fd, "AB", 2, 8)), 2, "pwrite AB at 8");
	expect(res(lseek(fd, 0, SEEK_CUR)), 2, "offset still 2");
	check(!strcmp(contents("p"), "01234567AB"), "p holds \"01234567AB\"");
	expect(res(pwrite(fd, "Z", 1, 20)), 1, "pwrite Z at 20");
	expect(size_of(fd), 21, "st_size after pwrite at 20");
	expect(res(pread(fd, buf, 4, 100)), 0, "pread beyond the end");
	expect(res(pread(fd, buf, 4, -1)), -EINVAL, "pread at -1");
	expect(res(pwrite(fd, buf, 4, -1)), -EINVAL, "pwrite at -1");
	pipe(p);
	expect(res(pread(p[0], buf, 1, 0)), -ESPIPE, "pread on a pipe");
	expect(res(pwrite(p[1], buf, 1, 0)), -ESPIPE, "pwrite on a pipe");
	expect(res(lseek(p[0], 0, SEEK_CUR)), -ESPIPE, "lseek on a pipe");
	expect(res(fsync(p[1])), -EINVAL, "fsync on a pipe");
	close(p[0]);
	close(p[1]);
	expect(res(fsync(fd)), 0, "fsync");
	expect(res(fdatasync(fd)), 0, "fdatasync");
	close(fd);
}

static void
vectors(void)
{
	char a[4], b[10], c[8];
	struct iovec w[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	struct iovec r[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec pr[2] = { { c, 3 }, { c + 3, 3 } };
	int fd = open("v", O_CREAT | O_RDWR | O_TRUNC, 0644);

	expect(res(writev(fd, w, 3)), 6, "writev ab,,cdef");
	expect(res(lseek(fd, 0, SEEK_SET)), 0, "lseek 0");
	expect(res(readv(fd, r, 2)), 6, "readv into 4+10");
	check(!memcmp(a, "abcd", 4) && !memcmp(b, "ef", 2), "readv filled abcd then ef");
	expect(res(readv(fd, r, 0)), 0, "readv of 0 vectors");
	expect(res(readv(fd, r, -1)), -EINVAL, "readv of -1 vectors");
	expect(res(writev(fd, w, 1025)), -EINVAL, "writev of 1025 vectors");
	expect(res(pwritev(fd, w, 3, 2)), 6, "pwritev at 2");
	expect(res(preadv(fd, pr, 2, 1)), 6, "preadv at 1");
	check(!memcmp(c, "babcde", 6), "preadv gives babcde");
	expect(res(lseek(fd, 0, SEEK_CUR)), 6, "offset unchanged by pwritev/preadv");
	close(fd);
}

static void
copy_with_sendfile(void)
{
	static char buf[100000];
	off_t off;
	int in, out, i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 7 + i / 251);
	in = open("s", O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(in, buf, sizeof(buf));
	lseek(in, 0, SEEK_SET);
	out = open("d", O_CREAT | O_RDWR | O_TRUNC, 0644);
	expect(res(sendfile(out, in, NULL, sizeof(buf))), (long)sizeof(buf), "sendfile 100000 bytes");
	expect(res(lseek(in, 0, SEEK_CUR)), (long)sizeof(buf), "sendfile moved the input offset");
	expect(res(sendfile(out, in, NULL, 10)), 0, "sendfile at the end of the input");
	memset(buf, 0, sizeof(buf));
	check(pread(out, buf, sizeof(buf), 0) == sizeof(buf), "read the copy back");
	for (i = 0; i < (int)sizeof(buf) && buf[i] == (char)(i * 7 + i / 251); i++)
		;
	check(i == (int)sizeof(buf), "the copy is exact");
	off = 10;
	expect(res(sendfile(out, in, &off, 20)), 20, "sendfile 20 from offset 10");
	expect(off, 30, "the offset argument moved to 30");
	expect(res(lseek(in, 0, SEEK_CUR)), (long)sizeof(buf), "the input offset did not move");
	expect(size_of(out), (long)sizeof(buf) + 20, "the output grew by 20");
	close(in);
	close(out);
}

static void
names(void)
{
	struct stat st, st2;
	char buf[16] = { 0 };
	int fd, old;

	fd = open("u", O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(fd, "data", 4);
	expect(res(unlink("u")), 0, "unlink u while open");
	expect(res(stat("u", &st)), -ENOENT, "stat u");
	expect(res(fstat(fd, &st)), 0, "fstat the unlinked file");
	expect(st.st_nlink, 0, "its st_nlink");
	expect(res(write(fd, "more", 4)), 4, "write to the unlinked file");
	expect(res(pread(fd, buf, sizeof(buf), 0)), 8, "pread the unlinked file");
	check(!memcmp(buf, "datamore", 8), "it holds datamore");
	close(fd);

	fd = open("x", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "new", 3);
	close(fd);
	fd = open("y", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "old", 3);
	close(fd);
	old = open("y", O_RDONLY);
	expect(res(rename("x", "y")), 0, "rename x over y");
	check(!strcmp(contents("y"), "new"), "y holds new");
	expect(res(access("x", F_OK)), -ENOENT, "access x");
	expect(res(read(old, buf, sizeof(buf))), 3, "read the replaced y through an old fd");
	check(!memcmp(buf, "old", 3), "it still holds old");
	expect(res(fstat(old, &st)), 0, "fstat the replaced y");
	expect(st.st_nlink, 0, "its st_nlink");
	close(old);
	expect(res(rename("y", "y")), 0, "rename y to itself");
	expect(res(rename("nosuch", "z")), -ENOENT, "rename nosuch");

	expect(res(link("y", "y2")), 0, "link y y2");
	expect(res(stat("y", &st)), 0, "stat y");
	expect(st.st_nlink, 2, "st_nlink of y");
	expect(res(stat("y2", &st2)), 0, "stat y2");
	check(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, "y and y2 are one inode");
	expect(res(link("y", "y3")), 0, "link y y3");
	expect(res(link("y", "y2")), -EEXIST, "link y y2 again");
	expect(res(link("nosuch", "y4")), -ENOENT, "link nosuch");
	expect(res(stat("y3", &st)), 0, "stat y3");
	expect(st.st_nlink, 3, "st_nlink of y3");
	/* Two names of one inode: rename does nothing and succeeds. */
	expect(res(rename("y", "y2")), 0, "rename y over its own link y2");
	expect(res(access("y", F_OK)), 0, "y still exists");
	expect(res(unlink("y")), 0, "unlink y");
	expect(res(stat("y2", &st)), 0, "stat y2");
	expect(st.st_nlink, 2, "st_nlink of y2");
	check(!strcmp(contents("y3"), "new"), "y3 holds new");
}

/* 4 MiB of a pattern, written in 64 KiB pieces, read in 3000-byte ones. */
static void
large(void)
{
	static unsigned int chunk[16384];
	static unsigned char rbuf[3000];
	unsigned int word = 0;
	long total = 0, bad = -1;
	int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ssize_t n;
	int i;

	for (total = 0; total < BIG; total += sizeof(chunk)) {
		for (i = 0; i < 16384; i++, word++)
			chunk[i] = word * 2654435761u;
		if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
			break;
	}
	expect(total, BIG, "wrote 4 MiB");
	expect(size_of(fd), BIG, "st_size of big");
	lseek(fd, 0, SEEK_SET);
	total = 0;
	while ((n = read(fd, rbuf, sizeof(rbuf))) > 0) {
		for (i = 0; i < n && bad < 0; i++) {
			long at = total + i;
			unsigned int w = (unsigned int)(at / 4) * 2654435761u;

			if (rbuf[i] != ((w >> (8 * (at % 4))) & 0xff))
				bad = at;
		}
		total += n;
	}
	expect(total, BIG, "read 4 MiB back");
	check(bad < 0, "the pattern reads back exactly");
	close(fd);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	rm_tree(DIR);
	if (mkdir(DIR, 0755) < 0 || chdir(DIR) < 0) {
		printf(NAME ": FAIL cannot make %s: %s\n", DIR, errname(errno));
		return 1;
	}
	offsets();
	truncation();
	append();
	open_flags();
	positional();
	vectors();
	copy_with_sendfile();
	names();
	large();
	chdir("/");
	rm_tree(DIR);
	if (failed) {
		printf(NAME ": FAIL %d checks, the first: %s\n", failed, first_failure);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
