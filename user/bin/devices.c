/*
 * The memory devices as Linux has them: /dev/null, /dev/zero (read, and
 * mmap private and shared), /dev/full, /dev/random and /dev/urandom, the
 * getrandom system call and its flags, /dev/tty without a controlling
 * terminal, and a device node made with mknod in /tmp. Mounts devtmpfs on
 * /dev if /dev/null is missing (and unmounts it at the end).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NAME	"devices"
#define DIR	"/tmp/" NAME
#define MIB	(1 << 20)

#ifndef GRND_INSECURE
#define GRND_INSECURE	0x0004
#endif

/* A bad pointer the compiler cannot see through (and warn about). */
static volatile uintptr_t bad_addr = 1;

static int
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* "devices: stat PATH -> char 1:3 0666": the type, numbers and mode. */
static void
expect_node(const char *path, unsigned maj, unsigned min)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		expect(-errno, 0, "stat %s", path);
		return;
	}
	check(S_ISCHR(st.st_mode) && major(st.st_rdev) == maj && minor(st.st_rdev) == min &&
	      (st.st_mode & 0777) == 0666, "stat %s -> %s %u:%u 0%o", path,
	      S_ISCHR(st.st_mode) ? "char" : "not-char", major(st.st_rdev), minor(st.st_rdev),
	      st.st_mode & 0777);
}

static void
nodes(void)
{
	expect_node("/dev/null", 1, 3);
	expect_node("/dev/zero", 1, 5);
	expect_node("/dev/full", 1, 7);
	expect_node("/dev/random", 1, 8);
	expect_node("/dev/urandom", 1, 9);
	expect_node("/dev/tty", 5, 0);
	expect(res(open("/dev/nosuch", O_RDONLY)), -ENOENT, "open /dev/nosuch");
}

static void
null_device(void)
{
	char buf[16];
	int fd = open("/dev/null", O_RDWR);

	check(fd >= 0, "open /dev/null O_RDWR");
	expect(res(read(fd, buf, sizeof(buf))), 0, "read /dev/null");
	expect(res(write(fd, "0123456789", 10)), 10, "write 10 bytes to /dev/null");
	expect(res(write(fd, (void *)bad_addr, 10)), 10, "write from (void *)1 to /dev/null (never read)");
	expect(res(lseek(fd, 100, SEEK_SET)), 0, "lseek /dev/null 100 SEEK_SET");
	expect(res(lseek(fd, 0, SEEK_END)), 0, "lseek /dev/null 0 SEEK_END");
	expect(res(pread(fd, buf, sizeof(buf), 1000)), 0, "pread /dev/null at 1000");
	expect(res(ftruncate(fd, 0)), -EINVAL, "ftruncate /dev/null");
	{
		struct pollfd p = { fd, POLLIN | POLLOUT, 0 };

		expect(res(poll(&p, 1, 0)), 1, "poll /dev/null");
		check(p.revents == (POLLIN | POLLOUT), "poll /dev/null: readable and writable");
	}
	close(fd);
	fd = open("/dev/null", O_WRONLY | O_TRUNC);
	check(fd >= 0, "open /dev/null O_WRONLY|O_TRUNC");
	close(fd);
}

static void
zero_device(void)
{
	static unsigned char buf[MIB];
	int fd = open("/dev/zero", O_RDWR), st;
	unsigned char *priv, *shared;
	pid_t pid;

	memset(buf, 0xaa, sizeof(buf));
	expect(res(read(fd, buf, sizeof(buf))), MIB, "read 1 MiB of /dev/zero");
	check(all_zero(buf, sizeof(buf)), "all zeros");
	expect(res(write(fd, buf, 100)), 100, "write 100 bytes to /dev/zero");
	expect(res(read(fd, (void *)bad_addr, 10)), -EFAULT, "read /dev/zero into (void *)1");
	expect(res(lseek(fd, 12345, SEEK_SET)), 0, "lseek /dev/zero");

	priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(priv != MAP_FAILED, "mmap /dev/zero MAP_PRIVATE");
	if (priv != MAP_FAILED) {
		check(all_zero(priv, 8192), "it reads as zeros");
		priv[5000] = 7;
		check(priv[5000] == 7, "and takes a write");
	}
	shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(shared != MAP_FAILED, "mmap /dev/zero MAP_SHARED");
	if (shared != MAP_FAILED) {
		check(all_zero(shared, 8192), "it reads as zeros");
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			shared[100] = 42;
			if (priv != MAP_FAILED)
				priv[100] = 42;
			_exit(0);
		}
		waitpid(pid, &st, 0);
		expect(shared[100], 42, "a child's write to the shared mapping, seen by the parent");
		if (priv != MAP_FAILED)
			expect(priv[100], 0, "a child's write to the private one, not seen");
		munmap(shared, 8192);
	}
	if (priv != MAP_FAILED)
		munmap(priv, 8192);
	{
		unsigned char *again = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

		check(again != MAP_FAILED && all_zero(again, 4096),
		      "a new shared mapping of /dev/zero is zeros again");
		if (again != MAP_FAILED)
			munmap(again, 4096);
	}
	close(fd);
}

static void
full_device(void)
{
	unsigned char buf[64];
	int fd = open("/dev/full", O_RDWR);

	check(fd >= 0, "open /dev/full O_RDWR");
	expect(res(write(fd, "x", 1)), -ENOSPC, "write to /dev/full");
	memset(buf, 1, sizeof(buf));
	expect(res(read(fd, buf, sizeof(buf))), 64, "read 64 bytes of /dev/full");
	check(all_zero(buf, sizeof(buf)), "all zeros");
	expect(res(lseek(fd, 10, SEEK_SET)), 0, "lseek /dev/full");
	close(fd);
}

static long
count_ones(const unsigned char *p, size_t n)
{
	long ones = 0;

	for (size_t i = 0; i < n; i++)
		ones += __builtin_popcount(p[i]);
	return ones;
}

static void
random_devices(void)
{
	static unsigned char big[MIB];
	unsigned char a[64], b[64];
	int fd = open("/dev/urandom", O_RDONLY);
	long ones;

	expect(res(read(fd, a, sizeof(a))), 64, "read 64 bytes of /dev/urandom");
	expect(res(read(fd, b, sizeof(b))), 64, "read 64 more");
	check(memcmp(a, b, sizeof(a)) != 0, "the two reads differ");
	expect(res(read(fd, big, sizeof(big))), MIB, "read 1 MiB of /dev/urandom");
	ones = count_ones(big, sizeof(big));
	check(ones > 8 * MIB / 2 - 40000 && ones < 8 * MIB / 2 + 40000, "about half its bits are ones");
	expect(res(write(fd, "seed", 4)), -EBADF, "write to an O_RDONLY /dev/urandom");
	close(fd);
	fd = open("/dev/urandom", O_WRONLY);
	expect(res(write(fd, "seed", 4)), 4, "write 4 bytes to /dev/urandom (mixed in)");
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	expect(res(read(fd, a, 32)), 32, "read 32 bytes of /dev/random");
	close(fd);

	expect(res(getrandom(a, sizeof(a), 0)), 64, "getrandom 64 0");
	expect(res(getrandom(b, sizeof(b), 0)), 64, "getrandom 64 0 again");
	check(memcmp(a, b, sizeof(a)) != 0, "the two differ");
	expect(res(getrandom(a, sizeof(a), GRND_NONBLOCK)), 64, "getrandom GRND_NONBLOCK");
	expect(res(getrandom(a, sizeof(a), GRND_RANDOM)), 64, "getrandom GRND_RANDOM");
	expect(res(getrandom(a, sizeof(a), GRND_INSECURE)), 64, "getrandom GRND_INSECURE");
	expect(res(getrandom(a, sizeof(a), GRND_RANDOM | GRND_INSECURE)), -EINVAL,
	       "getrandom GRND_RANDOM|GRND_INSECURE");
	expect(res(getrandom(a, sizeof(a), 0x100)), -EINVAL, "getrandom flags 0x100");
	expect(res(getrandom((void *)bad_addr, 16, 0)), -EFAULT, "getrandom into (void *)1");
	expect(res(getrandom(a, 0, 0)), 0, "getrandom 0 bytes");
	expect(res(getrandom(big, sizeof(big), 0)), MIB, "getrandom 1 MiB");
	ones = count_ones(big, sizeof(big));
	check(ones > 8 * MIB / 2 - 40000 && ones < 8 * MIB / 2 + 40000, "about half its bits are ones");
}

/* /dev/tty in a new session, which has no controlling terminal. */
static void
no_tty(void)
{
	int st = 0, fd;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* The exit code is open's errno, 0 if it worked. */
		if (setsid() < 0)
			_exit(errno);
		fd = open("/dev/tty", O_RDWR);
		_exit(fd >= 0 ? 0 : errno);
	}
	waitpid(pid, &st, 0);
	expect(WIFEXITED(st) ? -WEXITSTATUS(st) : -1000, -ENXIO,
	       "open /dev/tty in a new session (no controlling terminal)");
}

static void
made_node(void)
{
	char path[] = DIR "/mynull";
	int fd;

	mkdir(DIR, 0755);
	unlink(path);
	expect(res(mknod(path, S_IFCHR | 0666, makedev(1, 3))), 0, "mknod " DIR "/mynull c 1 3");
	fd = open(path, O_RDWR);
	check(fd >= 0, "open it");
	expect(res(write(fd, "abc", 3)), 3, "write 3 bytes to it");
	expect(res(read(fd, path, 1)), 0, "read it (EOF, like /dev/null)");
	close(fd);
	unlink(DIR "/mynull");
	rmdir(DIR);
}

int
main(void)
{
	int mounted = 0;

	check_init(NAME);
	if (access("/dev/null", F_OK) < 0) {
		if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0 && errno != EBUSY) {
			printf(NAME ": FAIL mount devtmpfs on /dev: %s\n", errname(errno));
			return 1;
		}
		mounted = 1;
	}
	nodes();
	null_device();
	zero_device();
	full_device();
	random_devices();
	no_tty();
	made_node();
	if (mounted)
		umount2("/dev", MNT_DETACH);
	return check_done();
}
