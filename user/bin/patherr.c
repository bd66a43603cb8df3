/*
 * The errno table of path walking: one line "patherr: CALL PATH -> ERRNO"
 * (or "-> 0") per case, in a fixed order, each checked against the value
 * Linux gives. Empty paths, missing components, files used as directories,
 * trailing slashes, symbolic links (loops, the 40-link limit, dangling
 * links, O_NOFOLLOW), long names and paths, "." and ".." as last
 * components, renames that cannot be, the *at calls' dirfd and flags, and
 * bad pointers. Works in /tmp/patherr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NAME	"patherr"
#define DIR	"/tmp/" NAME
#define PAGE	4096
#define NOFD	999		/* a descriptor number nobody opened */

static int failed;
static char first_failure[200];
/* A bad pointer the compiler cannot see through (and warn about). */
static volatile uintptr_t bad_addr = 1;

static const char *
errname(int e)
{
	static char other[16];

	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EXDEV: return "EXDEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ELOOP: return "ELOOP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* One case: "patherr: CALL PATH -> RESULT"; a failure unless got == want. */
static void
t(const char *call, const char *path, long got, long want)
{
	char g[32], w[32];

	snprintf(g, sizeof(g), "%ld", got);
	snprintf(w, sizeof(w), "%ld", want);
	if (got == want) {
		printf(NAME ": %s %s -> %s\n", call, path, got < 0 ? errname(-got) : g);
		return;
	}
	printf(NAME ": %s %s -> %s, want %s: FAIL\n", call, path,
	       got < 0 ? errname(-got) : g, want < 0 ? errname(-want) : w);
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s %s", call, path);
}

/* 0, or -errno: the results t() compares. */
static long
res(long r)
{
	return r < 0 ? -errno : 0;
}

/* A value, or -errno: for calls that return a length. */
static long
val(long r)
{
	return r < 0 ? -errno : r;
}

/* An fd is closed at once: only whether the call worked matters. */
static long
fd_res(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static long
open_res(const char *path, int flags)
{
	return fd_res(open(path, flags, 0644));
}

static long
stat_res(const char *path)
{
	struct stat st;

	return res(stat(path, &st));
}

static long
lstat_res(const char *path)
{
	struct stat st;

	return res(lstat(path, &st));
}

/* "patherr: lstat (type) PATH -> d" (or f, l, an errno): what lstat sees. */
static void
t_type(const char *path, char want)
{
	struct stat st;
	char got[16] = "?";

	if (lstat(path, &st) < 0)
		snprintf(got, sizeof(got), "%s", errname(errno));
	else
		got[0] = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : '?';
	if (got[0] == want && !got[1]) {
		printf(NAME ": lstat (type) %s -> %s\n", path, got);
		return;
	}
	printf(NAME ": lstat (type) %s -> %s, want %c: FAIL\n", path, got, want);
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "lstat (type) %s", path);
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

static void
touch(const char *path)
{
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

/* The fixture: files, directories and links every case below can use. */
static void
setup(void)
{
	char name[8], to[8];
	int i;

	touch("file");
	mkdir("dir", 0755);
	mkdir("empty", 0755);
	mkdir("full", 0755);
	touch("full/x");
	symlink("file", "lfile");
	symlink("dir", "ldir");
	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	symlink("self", "self");
	symlink("made-by-link", "dangling");
	symlink("never", "dangling2");
	symlink("nosuchdir/x", "dangling3");
	/* l0 -> file, l1 -> l0, ..., l40 -> l39: opening lN follows N+1 links. */
	symlink("file", "l0");
	for (i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(to, sizeof(to), "l%d", i - 1);
		symlink(to, name);
	}
}

static void
empty_and_missing(void)
{
	t("open", "\"\"", open_res("", O_RDONLY), -ENOENT);
	t("stat", "\"\"", stat_res(""), -ENOENT);
	t("lstat", "\"\"", lstat_res(""), -ENOENT);
	t("mkdir", "\"\"", res(mkdir("", 0755)), -ENOENT);
	t("rmdir", "\"\"", res(rmdir("")), -ENOENT);
	t("unlink", "\"\"", res(unlink("")), -ENOENT);
	t("rename", "\"\" x", res(rename("", "x")), -ENOENT);
	t("rename", "file \"\"", res(rename("file", "")), -ENOENT);
	t("link", "file \"\"", res(link("file", "")), -ENOENT);
	t("symlink", "file \"\"", res(symlink("file", "")), -ENOENT);
	t("symlink", "\"\" x", res(symlink("", "x")), -ENOENT);
	t("readlink", "\"\"", res(readlink("", (char[8]){ 0 }, 8)), -ENOENT);
	t("open", "nosuch", open_res("nosuch", O_RDONLY), -ENOENT);
	t("open", "nosuch/x", open_res("nosuch/x", O_RDONLY), -ENOENT);
	t("open O_CREAT", "nosuch/x", open_res("nosuch/x", O_CREAT | O_WRONLY), -ENOENT);
	t("open", "/nosuch/x", open_res("/nosuch/x", O_RDONLY), -ENOENT);
	t("mkdir", "nosuch/x", res(mkdir("nosuch/x", 0755)), -ENOENT);
	t("stat", "nosuch/../file", stat_res("nosuch/../file"), -ENOENT);
	t("stat", "dir/../file", stat_res("dir/../file"), 0);
	t("stat", "/../" NAME "/../" NAME "/file", stat_res("/../" NAME "/../" NAME "/file"), -ENOENT);
	t("stat", "/../tmp/" NAME "/file", stat_res("/../tmp/" NAME "/file"), 0);
	t("stat", "//tmp///" NAME "//file", stat_res("//tmp///" NAME "//file"), 0);
}

static void
file_as_dir(void)
{
	t("open", "file/x", open_res("file/x", O_RDONLY), -ENOTDIR);
	t("open O_CREAT", "file/x", open_res("file/x", O_CREAT | O_WRONLY), -ENOTDIR);
	t("open", "file/", open_res("file/", O_RDONLY), -ENOTDIR);
	t("open", "file/.", open_res("file/.", O_RDONLY), -ENOTDIR);
	t("open", "file/..", open_res("file/..", O_RDONLY), -ENOTDIR);
	t("stat", "file/", stat_res("file/"), -ENOTDIR);
	t("stat", "file/../file", stat_res("file/../file"), -ENOTDIR);
	t("lstat", "file/", lstat_res("file/"), -ENOTDIR);
	t("stat", "lfile/", stat_res("lfile/"), -ENOTDIR);
	t("mkdir", "file/x", res(mkdir("file/x", 0755)), -ENOTDIR);
	t("stat", DIR "/file/x", stat_res(DIR "/file/x"), -ENOTDIR);
	t("chdir", "file", res(chdir("file")), -ENOTDIR);
}

static void
trailing_slashes(void)
{
	t("open", "dir/", open_res("dir/", O_RDONLY), 0);
	t("open", "dir//", open_res("dir//", O_RDONLY), 0);
	t("open", "dir/.", open_res("dir/.", O_RDONLY), 0);
	t("open O_CREAT", "new/", open_res("new/", O_CREAT | O_WRONLY), -EISDIR);
	t("stat", "new", stat_res("new"), -ENOENT);
	t("open O_CREAT", "dir/", open_res("dir/", O_CREAT | O_RDONLY), -EISDIR);
	t("open O_CREAT", "file/", open_res("file/", O_CREAT | O_WRONLY), -EISDIR);
	t("stat", "dir/", stat_res("dir/"), 0);
	t("stat", "ldir/", stat_res("ldir/"), 0);
	t_type("ldir", 'l');
	t_type("ldir/", 'd');
	t("mkdir", "new/", res(mkdir("new/", 0755)), 0);
	t("mkdir", "new2//", res(mkdir("new2//", 0755)), 0);
	t("mkdir", "file/", res(mkdir("file/", 0755)), -EEXIST);
	t("mkdir", "dir/", res(mkdir("dir/", 0755)), -EEXIST);
	t("rmdir", "new/", res(rmdir("new/")), 0);
	t("rmdir", "new2//", res(rmdir("new2//")), 0);
	t("rmdir", "file/", res(rmdir("file/")), -ENOTDIR);
	t("rmdir", "ldir/", res(rmdir("ldir/")), -ENOTDIR);
	t("unlink", "file/", res(unlink("file/")), -ENOTDIR);
	t("unlink", "dir/", res(unlink("dir/")), -EISDIR);
	t("unlink", "ldir/", res(unlink("ldir/")), -ENOTDIR);
	t("unlink", "lfile/", res(unlink("lfile/")), -ENOTDIR);
	t("unlink", "nosuch/", res(unlink("nosuch/")), -ENOENT);
	t("rename", "file/ x", res(rename("file/", "x")), -ENOTDIR);
	t("rename", "file x/", res(rename("file", "x/")), -ENOTDIR);
	t("rename", "dir/ dir2/", res(rename("dir/", "dir2/")), 0);
	t("rename", "dir2 dir/", res(rename("dir2", "dir/")), 0);
	t("rename", "ldir/ x", res(rename("ldir/", "x")), -ENOTDIR);
	t("link", "file/ x", res(link("file/", "x")), -ENOTDIR);
	t("link", "file x/", res(link("file", "x/")), -ENOENT);
	t("link", "dir/ x", res(link("dir/", "x")), -EPERM);
	t("symlink", "file x/", res(symlink("file", "x/")), -ENOENT);
	t("symlink", "file dir/", res(symlink("file", "dir/")), -EEXIST);
	t("symlink", "dir/ sl", res(symlink("dir/", "sl")), 0);
	t("stat", "sl", stat_res("sl"), 0);
	t("unlink", "sl", res(unlink("sl")), 0);
}

static void
symlinks(void)
{
	char buf[64];
	int fd;

	t("open", "loop1", open_res("loop1", O_RDONLY), -ELOOP);
	t("stat", "loop1", stat_res("loop1"), -ELOOP);
	t("lstat", "loop1", lstat_res("loop1"), 0);
	t("open", "self/x", open_res("self/x", O_RDONLY), -ELOOP);
	t("mkdir", "self/x", res(mkdir("self/x", 0755)), -ELOOP);
	t("open (40 links)", "l39", open_res("l39", O_RDONLY), 0);
	t("open (41 links)", "l40", open_res("l40", O_RDONLY), -ELOOP);
	t("stat (40 links)", "l39", stat_res("l39"), 0);
	t("stat (41 links)", "l40", stat_res("l40"), -ELOOP);
	t("lstat", "l40", lstat_res("l40"), 0);
	t("readlink", "l40", val(readlink("l40", buf, sizeof(buf))), 3);
	t("readlink", "file", res(readlink("file", buf, sizeof(buf))), -EINVAL);
	/* musl's readlink() hides bufsiz 0: the system call itself. */
	t("readlink (bufsiz 0)", "l40", res(syscall(SYS_readlink, "l40", buf, 0)), -EINVAL);
	t("readlink (bufsiz 2)", "l40", val(readlink("l40", buf, 2)), 2);
	t("open", "dangling", open_res("dangling", O_RDONLY), -ENOENT);
	t("stat", "dangling", stat_res("dangling"), -ENOENT);
	t("open O_CREAT", "dangling", open_res("dangling", O_CREAT | O_WRONLY), 0);
	t_type("made-by-link", 'f');
	t("open O_CREAT|O_EXCL", "dangling2", open_res("dangling2", O_CREAT | O_EXCL | O_WRONLY), -EEXIST);
	t("stat", "never", stat_res("never"), -ENOENT);
	t("open O_CREAT", "dangling3", open_res("dangling3", O_CREAT | O_WRONLY), -ENOENT);
	t("mkdir", "dangling2", res(mkdir("dangling2", 0755)), -EEXIST);
	t("symlink", "x dangling2", res(symlink("x", "dangling2")), -EEXIST);
	t("open O_NOFOLLOW", "lfile", open_res("lfile", O_RDONLY | O_NOFOLLOW), -ELOOP);
	t("open O_NOFOLLOW", "ldir", open_res("ldir", O_RDONLY | O_NOFOLLOW), -ELOOP);
	t("open O_NOFOLLOW", "ldir/", open_res("ldir/", O_RDONLY | O_NOFOLLOW), 0);
	t("open O_NOFOLLOW|O_DIRECTORY", "ldir", open_res("ldir", O_RDONLY | O_NOFOLLOW | O_DIRECTORY), -ENOTDIR);
	t("open O_NOFOLLOW", "ldir/../file", open_res("ldir/../file", O_RDONLY | O_NOFOLLOW), 0);
	t("open O_NOFOLLOW|O_PATH", "lfile", open_res("lfile", O_PATH | O_NOFOLLOW), 0);
	t("open O_NOFOLLOW|O_CREAT", "dangling2",
	  open_res("dangling2", O_CREAT | O_WRONLY | O_NOFOLLOW), -ELOOP);
	t("open O_DIRECTORY", "file", open_res("file", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	t("open O_DIRECTORY", "lfile", open_res("lfile", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	t("open O_DIRECTORY", "ldir", open_res("ldir", O_RDONLY | O_DIRECTORY), 0);
	t("open O_WRONLY", "dir", open_res("dir", O_WRONLY), -EISDIR);
	t("open O_RDWR", "dir", open_res("dir", O_RDWR), -EISDIR);
	t("open O_WRONLY|O_CREAT", "dir", open_res("dir", O_WRONLY | O_CREAT), -EISDIR);
	t("open O_RDONLY|O_CREAT", "dir", open_res("dir", O_RDONLY | O_CREAT), -EISDIR);
	t("open O_WRONLY", "ldir", open_res("ldir", O_WRONLY), -EISDIR);
	t("open O_CREAT", ".", open_res(".", O_CREAT | O_RDONLY), -EISDIR);
	t("open O_CREAT", "dir/.", open_res("dir/.", O_CREAT | O_RDONLY), -EISDIR);
	t("open O_CREAT", "dir/..", open_res("dir/..", O_CREAT | O_RDONLY), -EISDIR);
	t("stat", "ldir/../file", stat_res("ldir/../file"), 0);
	t("mkdir", "ldir/new", res(mkdir("ldir/new", 0755)), 0);
	t("stat", "dir/new", stat_res("dir/new"), 0);
	t("open O_CREAT", "ldir/f", open_res("ldir/f", O_CREAT | O_WRONLY), 0);
	t("stat", "dir/f", stat_res("dir/f"), 0);
	t("unlink", "ldir/f", res(unlink("ldir/f")), 0);
	t("stat", "dir/f", stat_res("dir/f"), -ENOENT);
	t("rmdir", "dir/new", res(rmdir("dir/new")), 0);
	t("rename", "lfile lfile2", res(rename("lfile", "lfile2")), 0);
	t_type("lfile2", 'l');
	t("rename", "lfile2 lfile", res(rename("lfile2", "lfile")), 0);
	t("chdir", "loop1", res(chdir("loop1")), -ELOOP);
	fd = open("lfile", O_PATH | O_NOFOLLOW);
	t("readlinkat (O_PATH link fd)", "\"\"", val(readlinkat(fd, "", buf, sizeof(buf))), 4);
	close(fd);
}

static void
long_names(void)
{
	char name[300], *path = malloc(8192);
	size_t n;

	memset(name, 'a', 255);
	name[255] = 0;
	t("open O_CREAT", "<255 bytes>", open_res(name, O_CREAT | O_WRONLY), 0);
	t("stat", "<255 bytes>", stat_res(name), 0);
	t("unlink", "<255 bytes>", res(unlink(name)), 0);
	t("mkdir", "<255 bytes>", res(mkdir(name, 0755)), 0);
	t("rmdir", "<255 bytes>", res(rmdir(name)), 0);
	strcat(name, "b");
	t("open O_CREAT", "<256 bytes>", open_res(name, O_CREAT | O_WRONLY), -ENAMETOOLONG);
	t("stat", "<256 bytes>", stat_res(name), -ENAMETOOLONG);
	t("mkdir", "<256 bytes>", res(mkdir(name, 0755)), -ENAMETOOLONG);
	t("symlink", "file <256 bytes>", res(symlink("file", name)), -ENAMETOOLONG);
	snprintf(path, 8192, "%s/x", name);
	t("stat", "<256 bytes>/x", stat_res(path), -ENAMETOOLONG);
	snprintf(path, 8192, "nosuch/%s", name);
	t("stat", "nosuch/<256 bytes>", stat_res(path), -ENOENT);
	snprintf(path, 8192, "file/%s", name);
	t("stat", "file/<256 bytes>", stat_res(path), -ENOTDIR);

	/* PATH_MAX (4096) counts the NUL: 4095 bytes are the most. */
	n = 4095 - strlen(DIR "/file");
	memset(path, '/', n);
	strcpy(path + n, DIR "/file");
	t("stat", "<4095 bytes>", stat_res(path), 0);
	t("open", "<4095 bytes>", open_res(path, O_RDONLY), 0);
	memmove(path + 1, path, strlen(path) + 1);
	t("stat", "<4096 bytes>", stat_res(path), -ENAMETOOLONG);
	t("open", "<4096 bytes>", open_res(path, O_RDONLY), -ENAMETOOLONG);
	t("mkdir", "<4096 bytes>", res(mkdir(path, 0755)), -ENAMETOOLONG);
	memset(path, '/', 8000);
	strcpy(path + 8000, "file");
	t("stat", "<8004 bytes>", stat_res(path), -ENAMETOOLONG);
	free(path);
}

static void
dots(void)
{
	t("mkdir", ".", res(mkdir(".", 0755)), -EEXIST);
	t("mkdir", "..", res(mkdir("..", 0755)), -EEXIST);
	t("mkdir", "dir/.", res(mkdir("dir/.", 0755)), -EEXIST);
	t("mkdir", "dir/..", res(mkdir("dir/..", 0755)), -EEXIST);
	t("mkdir", "/", res(mkdir("/", 0755)), -EEXIST);
	t("rmdir", ".", res(rmdir(".")), -EINVAL);
	t("rmdir", "..", res(rmdir("..")), -ENOTEMPTY);
	t("rmdir", "empty/.", res(rmdir("empty/.")), -EINVAL);
	t("rmdir", "empty/..", res(rmdir("empty/..")), -ENOTEMPTY);
	t("rmdir", "/", res(rmdir("/")), -EBUSY);
	t("unlink", ".", res(unlink(".")), -EISDIR);
	t("unlink", "..", res(unlink("..")), -EISDIR);
	t("unlink", "dir/.", res(unlink("dir/.")), -EISDIR);
	t("unlink", "/", res(unlink("/")), -EISDIR);
	t("rename", ". x", res(rename(".", "x")), -EBUSY);
	t("rename", ".. x", res(rename("..", "x")), -EBUSY);
	t("rename", "empty/. x", res(rename("empty/.", "x")), -EBUSY);
	t("rename", "empty .", res(rename("empty", ".")), -EBUSY);
	t("rename", "empty ..", res(rename("empty", "..")), -EBUSY);
	t("rename", "file dir/.", res(rename("file", "dir/.")), -EBUSY);
	t("rename", "/ /x", res(rename("/", "/x")), -EBUSY);
	t("link", ". x", res(link(".", "x")), -EPERM);
	t("link", "file .", res(link("file", ".")), -EEXIST);
	t("link", "file dir/..", res(link("file", "dir/..")), -EEXIST);
	t("symlink", "file .", res(symlink("file", ".")), -EEXIST);
	t("stat", "empty/./../empty/.", stat_res("empty/./../empty/."), 0);
}

static void
bad_renames(void)
{
	mkdir("r", 0755);
	mkdir("r/sub", 0755);
	mkdir("r/sub/deeper", 0755);
	mkdir("r/full", 0755);
	touch("r/full/x");
	mkdir("r/e", 0755);
	touch("r/f");
	t("rename", "r r/sub/x", res(rename("r", "r/sub/x")), -EINVAL);
	t("rename", "r r/sub/deeper", res(rename("r", "r/sub/deeper")), -EINVAL);
	t("rename", "r/sub r/sub/deeper/x", res(rename("r/sub", "r/sub/deeper/x")), -EINVAL);
	t("rename", "r/sub/deeper r/sub", res(rename("r/sub/deeper", "r/sub")), -ENOTEMPTY);
	t("rename", "r/f r/e", res(rename("r/f", "r/e")), -EISDIR);
	t("rename", "r/e r/f", res(rename("r/e", "r/f")), -ENOTDIR);
	t("rename", "r/e r/full", res(rename("r/e", "r/full")), -ENOTEMPTY);
	t("rename", "r/e r/e", res(rename("r/e", "r/e")), 0);
	t("rename", "r/e r/e/", res(rename("r/e", "r/e/")), 0);
	t("rename", "r/full r/e", res(rename("r/full", "r/e")), 0);
	t("stat", "r/e/x", stat_res("r/e/x"), 0);
	t("stat", "r/full", stat_res("r/full"), -ENOENT);
	t("rename", "r/e/x r/f/x", res(rename("r/e/x", "r/f/x")), -ENOTDIR);
	t("rename", "r/nosuch r/x", res(rename("r/nosuch", "r/x")), -ENOENT);
	t("rename", "r/f r/nosuch/x", res(rename("r/f", "r/nosuch/x")), -ENOENT);
	t("link", "r r/link", res(link("r", "r/link")), -EPERM);
	t("link", "ldir r/link", res(link("ldir", "r/link")), 0);
	t_type("r/link", 'l');
	t("link", "r/f r/e/x", res(link("r/f", "r/e/x")), -EEXIST);
	t("link", "r/f r/nosuch/x", res(link("r/f", "r/nosuch/x")), -ENOENT);
}

static void
at_calls(void)
{
	struct stat st;
	char buf[64];
	int file = open("file", O_RDONLY), dir = open("dir", O_RDONLY | O_DIRECTORY);
	int link_fd = open("lfile", O_PATH | O_NOFOLLOW);

	t("openat NOFD", "file", fd_res(openat(NOFD, "file", O_RDONLY)), -EBADF);
	t("openat NOFD", DIR "/file", fd_res(openat(NOFD, DIR "/file", O_RDONLY)), 0);
	t("openat -1", "file", fd_res(openat(-1, "file", O_RDONLY)), -EBADF);
	t("openat file-fd", "x", fd_res(openat(file, "x", O_RDONLY)), -ENOTDIR);
	t("openat file-fd", "\"\"", fd_res(openat(file, "", O_RDONLY)), -ENOENT);
	t("openat dir-fd", "..", fd_res(openat(dir, "..", O_RDONLY)), 0);
	t("openat dir-fd", "../file", fd_res(openat(dir, "../file", O_RDONLY)), 0);
	t("mkdirat file-fd", "x", res(mkdirat(file, "x", 0755)), -ENOTDIR);
	t("mkdirat NOFD", "x", res(mkdirat(NOFD, "x", 0755)), -EBADF);
	t("unlinkat NOFD", "x", res(unlinkat(NOFD, "x", 0)), -EBADF);
	t("unlinkat flags 0x1", "file", res(unlinkat(AT_FDCWD, "file", 1)), -EINVAL);
	t("renameat NOFD", "x file", res(renameat(NOFD, "x", AT_FDCWD, "file")), -EBADF);
	t("renameat file-fd", "x file", res(renameat(AT_FDCWD, "file", file, "x")), -ENOTDIR);
	t("fstatat file-fd AT_EMPTY_PATH", "\"\"", res(fstatat(file, "", &st, AT_EMPTY_PATH)), 0);
	t("fstatat AT_FDCWD AT_EMPTY_PATH", "\"\"", res(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH)), 0);
	t("fstatat NOFD AT_EMPTY_PATH", "\"\"", res(fstatat(NOFD, "", &st, AT_EMPTY_PATH)), -EBADF);
	t("fstatat file-fd 0", "\"\"", res(fstatat(file, "", &st, 0)), -ENOENT);
	t("fstatat flags 0x8000", "file", res(fstatat(AT_FDCWD, "file", &st, 0x8000)), -EINVAL);
	t("fstatat AT_SYMLINK_NOFOLLOW (is link)", "lfile",
	  res(fstatat(AT_FDCWD, "lfile", &st, AT_SYMLINK_NOFOLLOW)) ?: S_ISLNK(st.st_mode), 1);
	t("fstatat O_PATH link-fd AT_EMPTY_PATH (is link)", "\"\"",
	  res(fstatat(link_fd, "", &st, AT_EMPTY_PATH)) ?: S_ISLNK(st.st_mode), 1);
	t("faccessat AT_SYMLINK_NOFOLLOW", "dangling2",
	  res(faccessat(AT_FDCWD, "dangling2", F_OK, AT_SYMLINK_NOFOLLOW)), 0);
	t("faccessat", "dangling2", res(faccessat(AT_FDCWD, "dangling2", F_OK, 0)), -ENOENT);
	t("linkat AT_EMPTY_PATH file-fd", "linked",
	  res(linkat(file, "", AT_FDCWD, "linked", AT_EMPTY_PATH)), 0);
	t_type("linked", 'f');
	t("linkat", "lfile hl", res(linkat(AT_FDCWD, "lfile", AT_FDCWD, "hl", 0)), 0);
	t_type("hl", 'l');
	t("linkat AT_SYMLINK_FOLLOW", "lfile hl2",
	  res(linkat(AT_FDCWD, "lfile", AT_FDCWD, "hl2", AT_SYMLINK_FOLLOW)), 0);
	t_type("hl2", 'f');
	t("linkat flags 0x1", "file hl3", res(linkat(AT_FDCWD, "file", AT_FDCWD, "hl3", 1)), -EINVAL);
	t("symlinkat file-fd", "file x", res(symlinkat("file", file, "x")), -ENOTDIR);
	t("readlinkat dir-fd", "../lfile", val(readlinkat(dir, "../lfile", buf, sizeof(buf))), 4);
	t("fchdir", "O_PATH link-fd", res(fchdir(link_fd)), -ENOTDIR);
	close(file);
	close(dir);
	close(link_fd);
}

static void
bad_pointers(void)
{
	char *bad = (char *)bad_addr, *page, *tail;
	struct stat st;

	t("open", "(char *)1", open_res(bad, O_RDONLY), -EFAULT);
	t("open O_CREAT", "(char *)1", open_res(bad, O_CREAT | O_WRONLY), -EFAULT);
	t("stat", "(char *)1", stat_res(bad), -EFAULT);
	t("mkdir", "(char *)1", res(mkdir(bad, 0755)), -EFAULT);
	t("unlink", "(char *)1", res(unlink(bad)), -EFAULT);
	t("rename", "file (char *)1", res(rename("file", bad)), -EFAULT);
	t("rename", "(char *)1 x", res(rename(bad, "x")), -EFAULT);
	t("link", "file (char *)1", res(link("file", bad)), -EFAULT);
	t("symlink", "(char *)1 x", res(symlink(bad, "x")), -EFAULT);
	t("chdir", "(char *)1", res(chdir(bad)), -EFAULT);
	/* musl's stat() copies into the buffer itself: the system call. */
	t("stat into (struct stat *)1", "file", res(syscall(SYS_stat, "file", bad)), -EFAULT);
	t("readlink into (char *)1", "lfile", res(readlink("lfile", bad, 10)), -EFAULT);
	t("fstatat AT_EMPTY_PATH", "(char *)1", res(fstatat(AT_FDCWD, bad, &st, AT_EMPTY_PATH)), -EFAULT);

	/* Strings that run into an unmapped page. */
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + PAGE, PAGE);
	memset(page, 'a', PAGE);
	tail = page + PAGE - 100;
	t("open", "<100 bytes, no NUL, then an unmapped page>", open_res(tail, O_RDONLY), -EFAULT);
	t("stat", "<100 bytes, no NUL, then an unmapped page>", stat_res(tail), -EFAULT);
	t("mkdir", "<100 bytes, no NUL, then an unmapped page>", res(mkdir(tail, 0755)), -EFAULT);
	t("stat", "<4096 bytes, no NUL, then an unmapped page>", stat_res(page), -ENAMETOOLONG);
	memset(page, '/', PAGE);
	t("stat", "<4096 slashes, no NUL, then an unmapped page>", stat_res(page), -ENAMETOOLONG);
	munmap(page, PAGE);
	{
		char *huge = malloc(1 << 20);

		memset(huge, 'a', (1 << 20) - 1);
		huge[(1 << 20) - 1] = 0;
		t("stat", "<1 MiB name>", stat_res(huge), -ENAMETOOLONG);
		free(huge);
	}
}

static void
root_dotdot(void)
{
	struct stat root, up, tmp;

	stat("/", &root);
	stat("/..", &up);
	t("stat", "/.. is /", up.st_ino == root.st_ino && up.st_dev == root.st_dev, 1);
	stat("/../../..", &up);
	t("stat", "/../../.. is /", up.st_ino == root.st_ino && up.st_dev == root.st_dev, 1);
	stat("/tmp", &tmp);
	stat("/tmp/../tmp/..", &up);
	t("stat", "/tmp/../tmp/.. is /", up.st_ino == root.st_ino && tmp.st_ino != root.st_ino, 1);
	t("chdir", "/..", res(chdir("/..")), 0);
	t("stat", "tmp/" NAME "/file (from /..)", stat_res("tmp/" NAME "/file"), 0);
	t("chdir", DIR, res(chdir(DIR)), 0);
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
	setup();
	empty_and_missing();
	file_as_dir();
	trailing_slashes();
	symlinks();
	long_names();
	dots();
	bad_renames();
	at_calls();
	bad_pointers();
	root_dotdot();
	chdir("/");
	rm_tree(DIR);
	if (failed) {
		printf(NAME ": FAIL %d cases, the first: %s\n", failed, first_failure);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
