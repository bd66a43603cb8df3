/*
 * The file system calls with random and hostile arguments: paths made of
 * a few names, "..", "//", long and over-long components, links and
 * loops; bad pointers, huge sizes, random flags; descriptors of files,
 * directories, pipes, devices and procfs. Each worker runs in a
 * directory of its own, chrooted there (with /proc and two devices), in
 * a process of its own; chroot itself is not fuzzed (a chroot below the
 * current directory lets ".." out, on Linux as here). Afterwards every mount it left is removed, the
 * tree deleted, and the kernel must have given back its memory and its
 * open files.
 *
 *   vfsfuzz               2 workers, 20000 calls in all
 *   vfsfuzz CALLS PROCS   CALLS calls from PROCS workers at once
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOP		"/tmp/vfsfuzz"
#define SLACK		(256LL << 10)	/* memory a cache may keep */
#define MAX_PROCS	16

/* The calls, all of which return without waiting long once tamed. */
static const long calls[] = {
	SYS_open, SYS_openat, SYS_creat, SYS_close, SYS_read, SYS_write, SYS_pread64,
	SYS_pwrite64, SYS_lseek, SYS_readv, SYS_writev, SYS_getdents64, SYS_stat, SYS_lstat,
	SYS_fstat, SYS_newfstatat, SYS_statx, SYS_access, SYS_faccessat, SYS_faccessat2,
	SYS_mkdir, SYS_mkdirat, SYS_rmdir, SYS_unlink, SYS_unlinkat, SYS_rename,
	SYS_renameat, SYS_renameat2, SYS_link, SYS_linkat, SYS_symlink, SYS_symlinkat,
	SYS_readlink, SYS_readlinkat, SYS_chdir, SYS_fchdir, SYS_getcwd, SYS_truncate,
	SYS_ftruncate, SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_utimensat, SYS_dup,
	SYS_dup2, SYS_dup3, SYS_fcntl, SYS_ioctl, SYS_pipe2, SYS_poll, SYS_ppoll,
	SYS_select, SYS_pselect6, SYS_mknod, SYS_mknodat, SYS_mount, SYS_umount2,
	SYS_statfs, SYS_fstatfs, SYS_sendfile, SYS_mmap, SYS_fsync,
	SYS_fdatasync, SYS_getrandom, SYS_umask, SYS_close_range, SYS_chown, SYS_fchown,
	SYS_lchown, SYS_fchownat, SYS_sync, SYS_flock,
};

static char longname[300], longpath[5000];

/* A path: mostly short relative names, sometimes something nasty. */
static const char *
path(void)
{
	static const char *const names[] = {
		"a", "b", "c", "a/b", "a/b/c", "b/../a", "./c", "a//b/", "l", "l/x", "loop",
		"d/", "..", "../..", "/", "/a", "/proc/self/fd/0", "/proc/self", "/null",
		"/zero", "", ".", "a/./b/../../c", "p", "/proc/1/status", "/proc/meminfo",
	};
	switch (rand() % 16) {
	case 0:
		return longname;
	case 1:
		return longpath;
	case 2:
		return (const char *)(uintptr_t)(rand() % 2 ? 1 : 0xffffffff80100000UL);
	default:
		return names[rand() % (sizeof(names) / sizeof(names[0]))];
	}
}

static uint64_t
value(void)
{
	static const uint64_t odd[] = {
		0, 1, 2, 3, 4, 8, 64, 4095, 4096, 65536, 0x7fffffffe000, 0x800000000000,
		0xffffffff80100000, UINT64_MAX, UINT64_MAX / 2, 1UL << 40, (uint64_t)-100,
	};
	switch (rand() % 4) {
	case 0:
		return odd[rand() % (sizeof(odd) / sizeof(odd[0]))];
	case 1:
		return (uint64_t)rand() % 16;	/* descriptors, small flags */
	case 2:
		return (uint64_t)rand() % 0x1000;	/* modes */
	default:
		return (uint64_t)rand() << 33 | (uint64_t)rand();
	}
}

/* Raw syscalls: a fuzzed call must not trip over libc's own state. */
static long
raw_syscall(long nr, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3], r8 __asm__("r8") = a[4],
		 r9 __asm__("r9") = a[5];
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static char buffer[65536];
static const struct timespec zero_ts;
static const struct timeval zero_tv;

/* Arguments that make sense often enough for the calls to reach deep. */
static void
shape(long nr, uint64_t a[6])
{
	int p0 = nr == SYS_openat || nr == SYS_mkdirat || nr == SYS_unlinkat ||
		 nr == SYS_renameat || nr == SYS_renameat2 || nr == SYS_linkat ||
		 nr == SYS_readlinkat || nr == SYS_fchmodat || nr == SYS_newfstatat ||
		 nr == SYS_faccessat || nr == SYS_faccessat2 || nr == SYS_mknodat ||
		 nr == SYS_statx || nr == SYS_utimensat || nr == SYS_fchownat;

	if (rand() % 4) {
		if (p0) {
			a[0] = rand() % 2 ? (uint64_t)AT_FDCWD : (uint64_t)(rand() % 12);
			a[1] = (uint64_t)path();
		} else if (nr != SYS_read && nr != SYS_write && nr != SYS_close &&
			   nr != SYS_mmap) {
			a[0] = (uint64_t)path();
		}
		if (nr == SYS_rename || nr == SYS_link || nr == SYS_symlink)
			a[1] = (uint64_t)path();
		if (nr == SYS_renameat || nr == SYS_renameat2 || nr == SYS_linkat)
			a[3] = (uint64_t)path();
		if (nr == SYS_symlinkat)
			a[2] = (uint64_t)path();
	}
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_getdents64: case SYS_getrandom:
		a[0] = nr == SYS_getrandom ? (uint64_t)buffer : (uint64_t)(rand() % 16);
		if (rand() % 4) {
			a[nr == SYS_getrandom ? 0 : 1] = (uint64_t)buffer;
			a[nr == SYS_getrandom ? 1 : 2] = (uint64_t)(rand() % sizeof(buffer));
		}
		if (nr == SYS_getrandom)
			a[2] &= 7;
		break;
	case SYS_poll: case SYS_ppoll:
		a[2] = nr == SYS_poll ? 0 : (uint64_t)&zero_ts;	/* return at once */
		break;
	case SYS_select: case SYS_pselect6:
		a[4] = nr == SYS_select ? (uint64_t)&zero_tv : (uint64_t)&zero_ts;
		break;
	case SYS_mount:
		a[1] = (uint64_t)(rand() % 2 ? "m" : "a/b");	/* inside the worker's tree */
		a[2] = (uint64_t)(rand() % 2 ? "tmpfs" : rand() % 2 ? "proc" : "bogus");
		break;
	case SYS_umount2:
		a[1] &= 0xF;
		break;
	case SYS_flock:
		a[1] |= LOCK_NB;
		break;
	case SYS_fcntl:
		if (a[1] == F_SETLKW || a[1] == F_OFD_SETLKW)
			a[1] = F_GETFD;
		break;
	case SYS_ioctl:
		if (a[1] == TIOCSCTTY || a[1] == TIOCSTI)
			a[1] = 0;
		break;
	case SYS_mmap:
		a[0] = 0;
		a[1] = (uint64_t)(rand() % 16) << 12;
		a[3] = rand() % 2 ? MAP_SHARED : MAP_PRIVATE;
		a[4] = (uint64_t)(rand() % 12);
		a[5] = (uint64_t)(rand() % 4) << 12;
		break;
	}
	/* Reads and writes of the console would wait for a user or make noise. */
	if ((nr == SYS_read || nr == SYS_readv || nr == SYS_pread64 || nr == SYS_write ||
	     nr == SYS_writev || nr == SYS_sendfile || nr == SYS_ioctl) && a[0] < 3)
		a[0] += 3;
	if (nr == SYS_sendfile && a[1] < 3)
		a[1] += 3;
}

static void
setup_worker(int id)
{
	char dir[64];

	snprintf(dir, sizeof(dir), TOP "/%d", id);
	mkdir(dir, 0755);
	if (chdir(dir) < 0)
		_exit(2);
	mkdir("proc", 0555);
	mount("proc", "proc", "proc", 0, NULL);
	mknod("null", S_IFCHR | 0666, makedev(1, 3));
	mknod("zero", S_IFCHR | 0666, makedev(1, 5));
	if (chroot(".") < 0)
		_exit(3);
	/* Nothing of ours reaches the console, not even through /proc/self/fd/0. */
	int null = open("/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
	/* Something to work on: files, a directory, links, a loop, a pipe. */
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	close(open("c", O_CREAT | O_WRONLY, 0644));
	symlink("a/b", "l");
	symlink("loop", "loop");
	mkfifo("p", 0644);
	int fds[2];
	pipe2(fds, O_NONBLOCK);
	open("/null", O_RDWR);
	open("a", O_RDONLY | O_DIRECTORY);
	open("/proc/self/status", O_RDONLY);
}

static int trace = -1;		/* vfsfuzz CALLS PROCS trace: each call on this fd */
static long only[96];		/* vfsfuzz CALLS PROCS only:NR,NR...: just these calls */
static int nonly;

static void
worker(int id, long n)
{
	srand((unsigned)id * 7919 + 1);
	setup_worker(id);
	for (long i = 0; i < n; i++) {
		long nr = calls[rand() % (sizeof(calls) / sizeof(calls[0]))];
		uint64_t a[6];

		if (nonly)
			nr = only[rand() % nonly];

		for (int k = 0; k < 6; k++)
			a[k] = value();
		shape(nr, a);
		if (trace >= 0)
			dprintf(trace, "vfsfuzz: %d.%ld: %ld(%lx, %lx, %lx, %lx)\n", id, i, nr,
				(long)a[0], (long)a[1], (long)a[2], (long)a[3]);
		raw_syscall(nr, a);
	}
	_exit(0);
}

/* Undoes /proc/mounts' escapes in place: \ooo is the byte ooo (a space in a name is \040). */
static void
unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Lifts every mount below TOP, deepest first: the workers may have stacked some. */
static void
unmount_all(void)
{
	static char line[8192], deepest[4096];

	for (int progress = 1; progress;) {
		FILE *m = fopen("/proc/mounts", "r");

		if (!m)
			return;
		progress = 0;
		deepest[0] = '\0';
		while (fgets(line, sizeof(line), m)) {
			char *where = strchr(line, ' ');

			if (!where)
				continue;
			*strchrnul(++where, ' ') = '\0';
			unescape(where);
			if (!strncmp(where, TOP "/", strlen(TOP "/")) && strlen(where) > strlen(deepest))
				strcpy(deepest, where);
		}
		fclose(m);
		if (*deepest && umount2(deepest, MNT_DETACH) == 0)
			progress = 1;
	}
}

/*
 * Waits for the workers; after `seconds` the ones still blocked (reading
 * an empty pipe they made blocking again, say) are killed, and must die
 * within two seconds: a call that SIGKILL cannot end is a kernel bug.
 */
static int
reap_workers(pid_t *pids, int n, long seconds)
{
	int left = n;

	for (long tick = 0; left > 0; tick++) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		for (int i = 0; pid > 0 && i < n; i++) {
			if (pids[i] == pid) {
				pids[i] = 0;
				left--;
			}
		}
		if (pid > 0)
			continue;
		if (tick == seconds * 10) {
			for (int i = 0; i < n; i++) {
				if (pids[i]) {
					printf("vfsfuzz: worker %d blocked; killed\n", i);
					kill(pids[i], SIGKILL);
				}
			}
		}
		if (tick > seconds * 10 + 20)
			return 0;
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	return 1;
}

static long long
free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return (long long)si.freeram * si.mem_unit;
}

static long
files_open(void)
{
	FILE *f = fopen("/proc/sys/fs/file-nr", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

int
main(int argc, char **argv)
{
	long total = argc > 2 ? atol(argv[1]) : 20000;
	int procs = argc > 2 ? atoi(argv[2]) : 2, ok = 1;
	pid_t pids[MAX_PROCS];

	if (total < 1 || procs < 1 || procs > MAX_PROCS) {
		printf("vfsfuzz: FAIL usage: vfsfuzz [CALLS PROCS], PROCS 1-%d\n", MAX_PROCS);
		return 1;
	}
	if (argc > 3 && !strcmp(argv[3], "trace"))
		trace = dup2(1, 200);
	if (argc > 3 && !strncmp(argv[3], "only:", 5))
		for (char *s = argv[3] + 5; *s && nonly < 96; s = strchr(s, ',') ? strchr(s, ',') + 1 : "")
			only[nonly++] = atol(s);
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	memset(longname, 'n', sizeof(longname) - 1);
	for (size_t i = 0; i + 2 < sizeof(longpath); i += 2)
		memcpy(longpath + i, "a/", 2);
	mkdir("/tmp", 01777);
	mkdir(TOP, 0755);
	long long before = free_ram();
	long files_before = files_open();
	fflush(stdout);
	for (int i = 0; i < procs; i++)
		if ((pids[i] = fork()) == 0)
			worker(i, total / procs);
	for (int i = 0; i < procs; i++) {
		if (pids[i] < 0) {
			printf("vfsfuzz: FAIL a worker could not start\n");
			return 1;
		}
	}
	if (!reap_workers(pids, procs, 2 + total / 2000)) {
		printf("vfsfuzz: FAIL a worker blocked in the kernel did not die of SIGKILL\n");
		return 1;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("vfsfuzz: %ld calls from %d workers, the kernel carried on\n", total, procs);
	unmount_all();
	pid_t rm = fork();
	if (rm == 0) {
		execl("/bin/rm", "rm", "-rf", TOP, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(rm, &st, 0);
	struct stat sb;
	if (!WIFEXITED(st) || WEXITSTATUS(st) || stat(TOP, &sb) == 0) {
		printf("vfsfuzz: FAIL the workers' tree could not be removed (rm: %#x)\n", st);
		fflush(stdout);
		if (fork() == 0) {
			execl("/bin/ls", "ls", "-laR", TOP, (char *)NULL);
			_exit(127);
		}
		wait(NULL);
		if (fork() == 0) {
			execl("/bin/cat", "cat", "/proc/mounts", (char *)NULL);
			_exit(127);
		}
		wait(NULL);
		ok = 0;
	}
	if (files_before >= 0 && files_open() > files_before) {
		printf("vfsfuzz: FAIL %ld open files not released\n", files_open() - files_before);
		ok = 0;
	} else {
		printf("vfsfuzz: open files released\n");
	}
	long long lost = before - free_ram();
	if (lost > SLACK) {
		printf("vfsfuzz: FAIL %lld bytes of memory not returned\n", lost);
		fflush(stdout);
		if (fork() == 0) {
			execl("/bin/sh", "sh", "-c", "cat /proc/mounts; grep -E 'MemFree|Shmem|Slab' /proc/meminfo",
			      (char *)NULL);
			_exit(127);
		}
		wait(NULL);
		ok = 0;
	} else {
		printf("vfsfuzz: memory returned\n");
	}
	printf(ok ? "vfsfuzz: ok\n" : "vfsfuzz: FAIL\n");
	return !ok;
}
