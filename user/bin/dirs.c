/*
 * Directories as Linux keeps them: a tree 64 deep, a directory of 10,000
 * names listed by getdents64 (every name once, while unlinking too), rename
 * of files and directories across directories (".." follows), st_nlink,
 * chdir/getcwd/fchdir round trips through ".." and symbolic links, and the
 * *at calls (openat, mkdirat, unlinkat, renameat2) on directory fds.
 * Works in /tmp/dirs. Listings are sorted: the order getdents64 returns
 * differs between file systems.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define NAME	"dirs"
#define DIR	"/tmp/" NAME
#define DEPTH	64		/* levels of the deep tree */
#define MANY	10000		/* names in the big directory */

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#endif

/* What getdents64 fills in: Linux's struct linux_dirent64. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Prints "dirs: WHAT -> STRING"; a failure unless it is want. */
static void
expect_str(const char *got, const char *want, const char *what)
{
	if (!strcmp(got, want)) {
		printf(NAME ": %s -> %s\n", what, got);
		return;
	}
	printf(NAME ": %s -> %s, want %s: FAIL\n", what, got, want);
	note_failure(what);
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

static long
sys_getdents64(int fd, void *buf, size_t n)
{
	return syscall(SYS_getdents64, fd, buf, n);
}

static const char *
cwd(void)
{
	static char buf[4096];

	if (!getcwd(buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "%s", errname(errno));
	return buf;
}

static long
nlink_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -errno : (long)st.st_nlink;
}

static int
touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "NAME/ NAME ..." for dir, sorted, "/" after directories: "." and ".." too. */
static const char *
listing(const char *dir)
{
	static char out[512];
	char buf[1024], *names[32];
	int fd = open(dir, O_RDONLY | O_DIRECTORY), n = 0, i;
	long len, off;

	out[0] = 0;
	while (fd >= 0 && (len = sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len && n < 32; n++) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			names[n] = malloc(strlen(d->d_name) + 2);
			sprintf(names[n], "%s%s", d->d_name,
				d->d_type == DT_DIR ? "/" : d->d_type == DT_LNK ? "@" : "");
			off += d->d_reclen;
		}
	}
	if (fd >= 0)
		close(fd);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	return out;
}

static void
deep_tree(void)
{
	char path[DEPTH * 3 + 16] = "deep";
	int i, ok = 1;

	expect(res(mkdir("deep", 0777)), 0, "mkdir deep");
	for (i = 0; i < DEPTH && ok; i++) {
		strcat(path, "/d");
		ok = mkdir(path, 0777) == 0;
	}
	check(ok, "mkdir 64 levels under deep");
	expect(res(touch(strcat(path, "/leaf"))), 0, "create a file at the bottom");
	expect(res(rmdir("deep")), -ENOTEMPTY, "rmdir deep");
	expect(res(chdir("deep/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d")), 0, "chdir 16 levels down");
	expect_str(cwd(), DIR "/deep/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d", "getcwd");
	expect(res(chdir("../../../../../../../../../../../../../../../..")), 0, "chdir 16 levels up");
	expect_str(cwd(), DIR "/deep", "getcwd");
	expect(res(chdir("..")), 0, "chdir ..");
	expect(res(unlink(path)), 0, "unlink the file at the bottom");
	path[strlen(path) - strlen("/leaf")] = 0;
	for (i = 0; i < DEPTH && ok; i++) {
		ok = rmdir(path) == 0;
		path[strlen(path) - 2] = 0;
	}
	check(ok, "rmdir 64 levels from the bottom up");
	expect(res(rmdir("deep")), 0, "rmdir deep");
}

/* Lists "many" with getdents64; each of f00000..f09999 must come once. */
static void
big_directory(void)
{
	static char seen[MANY], gone[MANY];
	char name[32], buf[4096];
	long len, off, dots = 0, strangers = 0, twice = 0, badtype = 0, missed = 0;
	int fd, i, total = 0, ok = 1;

	expect(res(mkdir("many", 0755)), 0, "mkdir many");
	for (i = 0; i < MANY && ok; i++) {
		snprintf(name, sizeof(name), "many/f%05d", i);
		ok = touch(name) == 0;
	}
	check(ok, "create 10000 files in many");
	fd = open("many", O_RDONLY | O_DIRECTORY);
	for (int pass = 0; pass < 2; pass++) {
		memset(seen, 0, sizeof(seen));
		while ((len = sys_getdents64(fd, buf, sizeof(buf))) > 0) {
			for (off = 0; off < len; off += ((struct linux_dirent64 *)(buf + off))->d_reclen) {
				struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
				char *end;

				if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
					dots++;
					badtype += d->d_type != DT_DIR;
					continue;
				}
				i = d->d_name[0] == 'f' ? (int)strtol(d->d_name + 1, &end, 10) : -1;
				if (i < 0 || i >= MANY || *end || strlen(d->d_name) != 6) {
					strangers++;
					continue;
				}
				badtype += d->d_type != DT_REG;
				twice += seen[i]++ != 0;
				total++;
			}
		}
		expect(len, 0, "getdents64 pass %d ends with 0", pass + 1);
		expect(total, MANY, "getdents64 pass %d: names", pass + 1);
		/* The second pass after rewinding with lseek. */
		expect(res(lseek(fd, 0, SEEK_SET)), 0, "lseek the directory back to 0");
		total = 0;
	}
	expect(dots, 4, "\".\" and \"..\" in the two passes");
	expect(strangers, 0, "names that were never created");
	expect(twice, 0, "names listed twice");
	expect(badtype, 0, "entries with a wrong d_type");
	expect(res(sys_getdents64(fd, buf, 8)), -EINVAL, "getdents64 with an 8-byte buffer");

	/*
	 * Like rm -r: unlink each name once seen, and one not seen yet. A name
	 * unlinked before it was reached may be listed or not; any other
	 * must be listed exactly once.
	 */
	memset(seen, 0, sizeof(seen));
	twice = 0;
	total = 0;
	while ((len = sys_getdents64(fd, buf, 1024)) > 0) {
		for (off = 0; off < len; off += ((struct linux_dirent64 *)(buf + off))->d_reclen) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			if (d->d_name[0] != 'f')
				continue;
			i = atoi(d->d_name + 1);
			twice += seen[i]++ != 0;
			if (!gone[i]) {
				snprintf(name, sizeof(name), "many/%s", d->d_name);
				unlink(name);
				gone[i] = 1;
			}
			int ahead = (i * 7 + 5003) % MANY;

			if (!gone[ahead] && !seen[ahead]) {
				snprintf(name, sizeof(name), "many/f%05d", ahead);
				unlink(name);
				gone[ahead] = 2;
			}
		}
	}
	for (i = 0; i < MANY; i++) {
		missed += gone[i] != 2 && !seen[i];
		if (gone[i] == 0) {
			snprintf(name, sizeof(name), "many/f%05d", i);
			unlink(name);
		}
	}
	expect(len, 0, "listing while unlinking ends with 0");
	expect(twice, 0, "names listed twice while unlinking");
	expect(missed, 0, "names missed while unlinking");
	close(fd);
	expect(res(rmdir("many")), 0, "rmdir many (empty now)");
}

static void
renames(void)
{
	struct stat st, sub, b;
	int fd;

	mkdir("a", 0777);
	mkdir("b", 0777);
	fd = open("a/f", O_CREAT | O_WRONLY, 0644);
	write(fd, "x", 1);
	close(fd);
	expect(res(rename("a/f", "b/g")), 0, "rename a/f b/g");
	expect(res(access("a/f", F_OK)), -ENOENT, "access a/f");
	expect(res(stat("b/g", &st)), 0, "stat b/g");
	expect(st.st_size, 1, "st_size of b/g");
	expect(nlink_of("a"), 2, "st_nlink of a");
	expect(res(mkdir("a/sub", 0777)), 0, "mkdir a/sub");
	expect(res(mkdir("a/sub/inner", 0777)), 0, "mkdir a/sub/inner");
	expect(nlink_of("a"), 3, "st_nlink of a with one subdirectory");
	expect(nlink_of("b"), 2, "st_nlink of b");
	expect(res(chdir("a/sub")), 0, "chdir a/sub");
	expect(res(rename(DIR "/a/sub", DIR "/b/sub2")), 0, "rename a/sub b/sub2 (our cwd)");
	expect_str(cwd(), DIR "/b/sub2", "getcwd after the rename");
	expect(res(stat("..", &st)), 0, "stat ..");
	expect(res(stat(DIR "/b", &b)), 0, "stat b");
	check(st.st_ino == b.st_ino && st.st_dev == b.st_dev, "\"..\" of the moved directory is b");
	expect(res(stat("inner/../..", &st)), 0, "stat inner/../..");
	check(st.st_ino == b.st_ino, "inner/../.. is b");
	expect(res(chdir(DIR)), 0, "chdir " DIR);
	expect(nlink_of("a"), 2, "st_nlink of a after the move");
	expect(nlink_of("b"), 3, "st_nlink of b after the move");
	expect(res(stat("b/sub2", &sub)), 0, "stat b/sub2");
	expect(sub.st_nlink, 3, "st_nlink of b/sub2");
	expect(res(rename("b/sub2", "b/sub2/inner/x")), -EINVAL, "rename b/sub2 into itself");
	expect(res(rename("b", "b/sub2/inner/x")), -EINVAL, "rename b into its grandchild");
	expect(res(mkdir("b", 0777)), -EEXIST, "mkdir b (exists)");
	expect(res(mkdir("b/g", 0777)), -EEXIST, "mkdir b/g (a file)");
	expect(res(rmdir("b")), -ENOTEMPTY, "rmdir b");
	expect(res(rmdir("b/g")), -ENOTDIR, "rmdir b/g (a file)");
	expect(res(unlink("b/sub2")), -EISDIR, "unlink b/sub2 (a directory)");
	expect(res(rename("b/sub2", "a/empty")), 0, "rename b/sub2 a/empty");
	expect(res(mkdir("a/e2", 0777)), 0, "mkdir a/e2");
	expect(res(rename("a/e2", "a/empty")), -ENOTEMPTY, "rename a/e2 over a/empty (not empty)");
	expect(res(rmdir("a/empty/inner")), 0, "rmdir a/empty/inner");
	expect(res(rename("a/e2", "a/empty")), 0, "rename a/e2 over a/empty (empty now)");
	expect(nlink_of("a"), 3, "st_nlink of a");
	expect_str(listing("a"), "../ ./ empty/", "ls a");
	expect_str(listing("b"), "../ ./ g", "ls b");
}

static void
cwd_walks(void)
{
	int fd, file;

	expect(res(mkdir("c", 0777)), 0, "mkdir c");
	expect(res(mkdir("c/d", 0777)), 0, "mkdir c/d");
	expect(res(symlink("c/d", "ln")), 0, "symlink ln -> c/d");
	expect(res(symlink(DIR "/c", "c/d/up")), 0, "symlink c/d/up -> " DIR "/c");
	expect(res(chdir("c/./d/../d")), 0, "chdir c/./d/../d");
	expect_str(cwd(), DIR "/c/d", "getcwd");
	expect(res(chdir(DIR "/ln")), 0, "chdir ln");
	expect_str(cwd(), DIR "/c/d", "getcwd (the link resolved)");
	expect(res(chdir("up/d/up")), 0, "chdir up/d/up");
	expect_str(cwd(), DIR "/c", "getcwd");
	expect(res(chdir("../ln/..")), 0, "chdir ../ln/..");
	expect_str(cwd(), DIR "/c", "getcwd (.. of the link's target)");
	expect(res(chdir("/..")), 0, "chdir /..");
	expect_str(cwd(), "/", "getcwd");
	expect(res(chdir("/../../tmp/../tmp/" NAME)), 0, "chdir /../../tmp/../tmp/" NAME);
	expect_str(cwd(), DIR, "getcwd");
	expect(res(chdir("ln/up/../../..")), 0, "chdir ln/up/../../..");
	expect_str(cwd(), "/", "getcwd");
	fd = open(DIR "/c/d", O_RDONLY | O_DIRECTORY);
	expect(res(fchdir(fd)), 0, "fchdir to c/d");
	expect_str(cwd(), DIR "/c/d", "getcwd");
	close(fd);
	fd = open(DIR "/c", O_PATH);
	expect(res(fchdir(fd)), 0, "fchdir to an O_PATH fd of c");
	expect_str(cwd(), DIR "/c", "getcwd");
	close(fd);
	touch("file");
	file = open("file", O_RDONLY);
	expect(res(fchdir(file)), -ENOTDIR, "fchdir to a file");
	close(file);
	expect(res(fchdir(-1)), -EBADF, "fchdir -1");
	expect(res(chdir("file")), -ENOTDIR, "chdir file");
	expect(res(chdir("nosuch")), -ENOENT, "chdir nosuch");
	expect(res(chdir("")), -ENOENT, "chdir \"\"");
	expect_str(cwd(), DIR "/c", "getcwd after the failures");
	{
		char small[8];

		expect(res(syscall(SYS_getcwd, small, sizeof(small))), -ERANGE, "getcwd into 8 bytes");
		expect(res(syscall(SYS_getcwd, small, 0)), -ERANGE, "getcwd into 0 bytes");
		expect(res(syscall(SYS_getcwd, NULL, 100)), -EFAULT, "getcwd into NULL");
		expect(res(syscall(SYS_getcwd, small, strlen(DIR "/c"))), -ERANGE,
		       "getcwd into a buffer one byte short");
	}
	{
		char exact[64];

		expect(res(syscall(SYS_getcwd, exact, strlen(DIR "/c") + 1)), (long)strlen(DIR "/c") + 1,
		       "getcwd into a buffer of the exact size");
	}
	/* A removed cwd: getcwd says ENOENT, nothing can be created there. */
	expect(res(mkdir("gone", 0777)), 0, "mkdir gone");
	expect(res(chdir("gone")), 0, "chdir gone");
	expect(res(rmdir(DIR "/c/gone")), 0, "rmdir our cwd");
	expect_str(cwd(), "ENOENT", "getcwd in a removed directory");
	expect(res(open("f", O_CREAT | O_WRONLY, 0644)), -ENOENT, "create a file in it");
	expect(res(mkdir("d", 0777)), -ENOENT, "mkdir in it");
	{
		char buf[1024];
		int fd = open(".", O_RDONLY | O_DIRECTORY);

		expect(res(sys_getdents64(fd, buf, sizeof(buf))), -ENOENT, "getdents64 of it");
		close(fd);
	}
	expect(res(chdir("..")), 0, "chdir .. from it");
	expect_str(cwd(), DIR "/c", "getcwd");
	expect(res(chdir(DIR)), 0, "chdir " DIR);
}

static void
nlinks(void)
{
	expect(res(mkdir("n", 0777)), 0, "mkdir n");
	expect(nlink_of("n"), 2, "st_nlink of an empty directory");
	mkdir("n/1", 0777);
	mkdir("n/2", 0777);
	mkdir("n/3", 0777);
	expect(nlink_of("n"), 5, "st_nlink with 3 subdirectories");
	touch("n/file");
	symlink("1", "n/link");
	expect(nlink_of("n"), 5, "st_nlink with a file and a symlink too");
	rmdir("n/2");
	expect(nlink_of("n"), 4, "st_nlink after rmdir of one");
	expect(nlink_of("n/1"), 2, "st_nlink of n/1");
	expect(nlink_of("n/link"), 2, "st_nlink through a symlink to n/1");
	expect_str(listing("n"), "../ ./ 1/ 3/ file link@", "ls n");
	{
		struct stat st;

		umask(022);
		mkdir("n/m", 0777);
		stat("n/m", &st);
		expect(S_ISDIR(st.st_mode), 1, "S_ISDIR of n/m");
		check((st.st_mode & 07777) == 0755, "mode of mkdir 0777 under umask 022 is 0755");
	}
}

static void
at_calls(void)
{
	struct stat st;
	char buf[64];
	int dfd, fd, sub;

	expect(res(mkdir("at", 0777)), 0, "mkdir at");
	dfd = open("at", O_RDONLY | O_DIRECTORY);
	check(dfd >= 0, "open at O_DIRECTORY");
	expect(res(mkdirat(dfd, "m", 0777)), 0, "mkdirat at m");
	fd = openat(dfd, "m/f", O_CREAT | O_WRONLY, 0644);
	check(fd >= 0, "openat at m/f O_CREAT");
	close(fd);
	expect(res(fstatat(dfd, "m/f", &st, 0)), 0, "fstatat at m/f");
	sub = openat(dfd, "m", O_RDONLY | O_DIRECTORY);
	expect(res(fstatat(sub, "f", &st, 0)), 0, "fstatat m f");
	expect(res(fstatat(sub, "../m/f", &st, 0)), 0, "fstatat m ../m/f");
	expect(res(fstatat(sub, DIR "/at/m/f", &st, 0)), 0, "fstatat m with an absolute path");
	expect(res(unlinkat(dfd, "m", 0)), -EISDIR, "unlinkat at m 0");
	expect(res(unlinkat(dfd, "m", AT_REMOVEDIR)), -ENOTEMPTY, "unlinkat at m AT_REMOVEDIR");
	expect(res(unlinkat(dfd, "m/f", AT_REMOVEDIR)), -ENOTDIR, "unlinkat at m/f AT_REMOVEDIR");
	expect(res(unlinkat(dfd, "m/f", 0x100)), -EINVAL, "unlinkat with flag 0x100");
	expect(res(unlinkat(dfd, "m/f", 0)), 0, "unlinkat at m/f 0");
	expect(res(fstatat(sub, "f", &st, 0)), -ENOENT, "fstatat m f after the unlink");
	expect(res(unlinkat(dfd, "m", AT_REMOVEDIR)), 0, "unlinkat at m AT_REMOVEDIR");
	/* sub's directory is gone: nothing can be made in it. */
	expect(res(openat(sub, "g", O_CREAT | O_WRONLY, 0644)), -ENOENT, "openat O_CREAT in the removed m");
	expect(res(mkdirat(sub, "g", 0777)), -ENOENT, "mkdirat in the removed m");
	close(sub);

	fd = openat(dfd, "one", O_CREAT | O_WRONLY, 0644);
	write(fd, "1", 1);
	close(fd);
	fd = openat(dfd, "two", O_CREAT | O_WRONLY, 0644);
	write(fd, "22", 2);
	close(fd);
	mkdirat(dfd, "dir", 0777);
	expect(res(syscall(SYS_renameat2, dfd, "one", dfd, "two", RENAME_NOREPLACE)), -EEXIST,
	       "renameat2 one two RENAME_NOREPLACE");
	expect(res(syscall(SYS_renameat2, dfd, "one", AT_FDCWD, "at/three", RENAME_NOREPLACE)), 0,
	       "renameat2 one at/three RENAME_NOREPLACE");
	expect(res(syscall(SYS_renameat2, dfd, "three", dfd, "two", RENAME_EXCHANGE)), 0,
	       "renameat2 three two RENAME_EXCHANGE");
	expect(res(fstatat(dfd, "two", &st, 0)), 0, "fstatat two");
	expect(st.st_size, 1, "st_size of two (was three's)");
	expect(res(fstatat(dfd, "three", &st, 0)), 0, "fstatat three");
	expect(st.st_size, 2, "st_size of three (was two's)");
	expect(res(syscall(SYS_renameat2, dfd, "two", dfd, "dir", RENAME_EXCHANGE)), 0,
	       "renameat2 two dir RENAME_EXCHANGE (file and directory)");
	expect(res(fstatat(dfd, "two", &st, 0)), 0, "fstatat two");
	expect(S_ISDIR(st.st_mode), 1, "two is the directory now");
	expect(res(fstatat(dfd, "dir", &st, 0)), 0, "fstatat dir");
	expect(S_ISREG(st.st_mode), 1, "dir is the file now");
	expect(res(syscall(SYS_renameat2, dfd, "two", dfd, "nosuch", RENAME_EXCHANGE)), -ENOENT,
	       "renameat2 two nosuch RENAME_EXCHANGE");
	expect(res(syscall(SYS_renameat2, dfd, "two", dfd, "x", RENAME_EXCHANGE | RENAME_NOREPLACE)),
	       -EINVAL, "renameat2 RENAME_EXCHANGE|RENAME_NOREPLACE");
	expect(res(syscall(SYS_renameat2, dfd, "two", dfd, "x", 0x80)), -EINVAL,
	       "renameat2 with flag 0x80");
	expect(res(renameat(dfd, "three", dfd, "two")), -EISDIR, "renameat three over two (a directory)");
	expect(res(renameat(dfd, "two", dfd, "three")), -ENOTDIR, "renameat two over three (a file)");
	expect(res(mkdirat(AT_FDCWD, "at/two/x", 0777)), 0, "mkdirat AT_FDCWD at/two/x");
	expect_str(listing("at"), "../ ./ dir three two/", "ls at");
	expect_str(listing("at/two"), "../ ./ x/", "ls at/two");
	fd = openat(dfd, "three", O_RDONLY);
	expect(res(read(fd, buf, sizeof(buf))), 2, "read three");
	close(fd);
	close(dfd);
}

int
main(void)
{
	check_init(NAME);
	umask(022);
	rm_tree(DIR);
	if (mkdir(DIR, 0755) < 0 || chdir(DIR) < 0) {
		printf(NAME ": FAIL cannot make %s: %s\n", DIR, errname(errno));
		return 1;
	}
	deep_tree();
	big_directory();
	renames();
	cwd_walks();
	nlinks();
	at_calls();
	chdir("/");
	rm_tree(DIR);
	return check_done();
}
