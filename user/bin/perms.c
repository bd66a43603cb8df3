/*
 * Permissions as an ordinary user meets them. Root makes files and
 * directories in /tmp/perms (sticky, world-writable), then children drop
 * to uid 1000 (gid 1000, group 50) and check: open for read, write and
 * O_TRUNC (owner, group -- also a group that has fewer rights than the
 * others -- and other bits), directory search and listing, creating and
 * removing names in a directory it may not write, the sticky bit (EPERM
 * for another's file, also for a second user), chmod (EPERM; S_ISGID
 * dropped for a group it is not in), chown and chgrp rules, utimensat
 * (EACCES, EPERM), exec without x, S_ISUID and S_ISGID cleared by its
 * write and truncate (not by root's), a set-group-ID directory's group,
 * the umask, access() with the real ids against AT_EACCESS, kill (EPERM,
 * SIGCONT in the session allowed), reboot (EPERM) and /proc of root's
 * process (environ and fd/ refused). The grader compares every line with
 * the same binary run as root on Linux.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NAME	"perms"
#define W	"/tmp/perms"

static pid_t sleeper;		/* root's process, for kill and /proc */

/* check.h's expect, where a call's -1 stands for -errno (a macro does not expand itself). */
#define expect(got, ...) \
	expect(({ long got_ = (got); got_ == -1 ? -errno : got_; }), __VA_ARGS__)

/* open(path, flags): 0 if it opened (closed again), else -1 and errno. */
static int
try_open(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static long
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long)(st.st_mode & 07777);
}

static long
gid_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long)st.st_gid;
}

static int
try_exec(const char *path)
{
	pid_t pid = spawn();
	int st;

	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(errno == EACCES ? 42 : 43);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 42) {
		errno = EACCES;
		return -1;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -2;
}

static void
make(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	if (fd < 0 || write(fd, "x", 1) != 1 || fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0)
		check(0, "making %s: %s", path, errname(errno));
	if (fd >= 0)
		close(fd);
}

static void
makedir(const char *path, mode_t mode, gid_t gid)
{
	if (mkdir(path, 0700) < 0 || chown(path, 0, gid) < 0 || chmod(path, mode) < 0)
		check(0, "making %s: %s", path, errname(errno));
}

/* A copy of /bin/true: something to run. */
static void
copy_true(const char *path, mode_t mode)
{
	char buf[8192];
	int in = open("/bin/true", O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	ssize_t n;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (in < 0 || out < 0 || chmod(path, mode) < 0)
		check(0, "copying /bin/true: %s", errname(errno));
	close(in);
	close(out);
}

static void
setup(void)
{
	mkdir("/tmp", 01777);
	mkdir(W, 0700);
	chmod(W, 01777);
	make(W "/secret", 0600, 0, 0);
	make(W "/public", 0644, 0, 0);
	make(W "/world", 0666, 0, 0);
	make(W "/grp", 0640, 0, 50);
	make(W "/grp2", 0604, 0, 50);
	make(W "/rootfile", 0666, 0, 0);
	make(W "/userfile", 0644, 1000, 60);
	make(W "/suid", 04777, 0, 0);
	make(W "/suid2", 04777, 0, 0);
	make(W "/sgid", 02777, 0, 0);
	make(W "/sgidnox", 02767, 0, 0);
	make(W "/sgidnox50", 02767, 0, 50);
	make(W "/rootsuid", 04755, 0, 0);
	copy_true(W "/run0744", 0744);
	copy_true(W "/noexec", 0644);
	makedir(W "/d700", 0700, 0);
	makedir(W "/d711", 0711, 0);
	makedir(W "/d755", 0755, 0);
	makedir(W "/sgdir", 02777, 50);
	make(W "/d700/f", 0644, 0, 0);
	make(W "/d711/f", 0644, 0, 0);
	make(W "/d755/f", 0644, 0, 0);
}

/* Root drops to these uids, gid 1000 and group 50 (each user_ check starts as 1000). */
static void
become(uid_t ruid, uid_t euid, uid_t uid_saved)
{
	gid_t groups[] = { 50 };

	if (setgroups(1, groups) < 0 || setresgid(1000, 1000, 1000) < 0 ||
	    setresuid(ruid, euid, uid_saved) < 0)
		check(0, "dropping privileges: %s", errname(errno));
}

static void
user_files(void)
{
	become(1000, 1000, 1000);
	expect(try_open(W "/secret", O_RDONLY), -EACCES, "read root's 0600 file");
	expect(try_open(W "/public", O_RDONLY), 0, "read root's 0644 file");
	expect(try_open(W "/public", O_WRONLY), -EACCES, "write root's 0644 file");
	expect(try_open(W "/public", O_RDONLY | O_TRUNC), -EACCES, "O_TRUNC root's 0644 file");
	expect(try_open(W "/world", O_RDWR), 0, "read and write root's 0666 file");
	expect(try_open(W "/grp", O_RDONLY), 0, "read a 0640 file of my group 50");
	expect(try_open(W "/grp", O_WRONLY), -EACCES, "write a 0640 file of my group");
	expect(try_open(W "/grp2", O_RDONLY), -EACCES, "read a 0604 file of my group: group bits rule");
	struct stat st;
	expect(stat(W "/d700/f", &st), -EACCES, "stat in root's 0700 directory");
	expect(try_open(W "/d700", O_RDONLY | O_DIRECTORY), -EACCES, "list root's 0700 directory");
	expect(stat(W "/d711/f", &st), 0, "stat in root's 0711 directory");
	expect(try_open(W "/d711", O_RDONLY | O_DIRECTORY), -EACCES, "list root's 0711 directory");
	expect(try_open(W "/d711/f", O_RDONLY), 0, "read a file in root's 0711 directory");
	expect(try_open(W "/d755", O_RDONLY | O_DIRECTORY), 0, "list root's 0755 directory");
	expect(try_open(W "/d755/new", O_CREAT | O_WRONLY), -EACCES, "create in root's 0755 directory");
	expect(unlink(W "/d755/f"), -EACCES, "unlink in root's 0755 directory");
	expect(mkdir(W "/d755/d", 0755), -EACCES, "mkdir in root's 0755 directory");
	expect(rmdir(W "/d755"), -EPERM, "rmdir root's directory in the sticky one");
	expect(rename(W "/d755/f", W "/moved"), -EACCES, "rename out of root's 0755 directory");
	expect(symlink("x", W "/d755/l"), -EACCES, "symlink in root's 0755 directory");
	expect(mkfifo(W "/d755/p", 0644), -EACCES, "mkfifo in root's 0755 directory");
	expect(try_exec(W "/run0744"), -EACCES, "exec root's 0744 program");
	expect(try_exec(W "/noexec"), -EACCES, "exec a 0644 file");
}

static void
user_sticky(void)
{
	become(1000, 1000, 1000);
	expect(unlink(W "/rootfile"), -EPERM, "unlink root's file in the sticky directory");
	expect(rename(W "/rootfile", W "/stolen"), -EPERM, "rename root's file in the sticky directory");
	expect(try_open(W "/mine", O_CREAT | O_WRONLY | O_EXCL), 0, "create my file there");
	expect(mode_of(W "/mine"), 0644, "its mode (umask 022)");
	expect(rename(W "/mine", W "/mine2"), 0, "rename my file");
	expect(rename(W "/mine2", W "/mine"), 0, "and back");
	expect(unlink(W "/mine"), 0, "unlink my file");
	expect(try_open(W "/mine", O_CREAT | O_WRONLY | O_EXCL), 0, "create it again");
	umask(027);
	expect(try_open(W "/masked", O_CREAT | O_WRONLY | O_EXCL), 0, "create with umask 027");
	expect(mode_of(W "/masked"), 0640, "its mode");
	umask(022);
}

static void
other_user(void)
{
	become(2000, 2000, 2000);
	expect(unlink(W "/mine"), -EPERM, "user 2000: unlink user 1000's file in the sticky directory");
	expect(try_open(W "/mine", O_WRONLY), -EACCES, "user 2000: write user 1000's 0644 file");
}

static void
user_attrs(void)
{
	become(1000, 1000, 1000);
	expect(chmod(W "/public", 0666), -EPERM, "chmod root's file");
	expect(chmod(W "/userfile", 02755), 0, "chmod 02755 my file of group 60");
	expect(mode_of(W "/userfile"), 0755, "S_ISGID dropped: not my group");
	expect(chmod(W "/mine", 02755), 0, "chmod 02755 my file of group 1000");
	expect(mode_of(W "/mine"), 02755, "S_ISGID kept");
	expect(chown(W "/mine", 0, -1), -EPERM, "chown my file to root");
	expect(chown(W "/mine", 1000, -1), 0, "chown my file to me");
	expect(chown(W "/mine", -1, 50), 0, "chgrp my file to my group 50");
	expect(gid_of(W "/mine"), 50, "its group");
	expect(chown(W "/mine", -1, 60), -EPERM, "chgrp my file to group 60");
	expect(chown(W "/public", 1000, -1), -EPERM, "chown root's file to me");
	expect(chown(W "/public", -1, 50), -EPERM, "chgrp root's file");
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };
	expect(utimensat(AT_FDCWD, W "/world", NULL, 0), 0, "utimensat now on root's 0666 file");
	expect(utimensat(AT_FDCWD, W "/world", ts, 0), -EPERM, "utimensat a time on root's 0666 file");
	expect(utimensat(AT_FDCWD, W "/public", NULL, 0), -EACCES, "utimensat now on root's 0644 file");
	expect(utimensat(AT_FDCWD, W "/mine", ts, 0), 0, "utimensat a time on my file");
}

static void
write_one(const char *path)
{
	int fd = open(path, O_WRONLY);

	expect(fd < 0 ? -1 : write(fd, "y", 1), 1, "write 1 byte to %s", path + sizeof(W));
	if (fd >= 0)
		close(fd);
}

static void
user_setid(void)
{
	become(1000, 1000, 1000);
	write_one(W "/suid");
	expect(mode_of(W "/suid"), 0777, "root's 04777 file after my write");
	expect(truncate(W "/suid2", 0), 0, "truncate root's 04777 file");
	expect(mode_of(W "/suid2"), 0777, "after my truncate");
	write_one(W "/sgid");
	expect(mode_of(W "/sgid"), 0777, "root's 02777 file after my write");
	write_one(W "/sgidnox");
	expect(mode_of(W "/sgidnox"), 0767, "root's 02767 file (no group x) after my write");
	write_one(W "/sgidnox50");
	expect(mode_of(W "/sgidnox50"), 02767, "the same of my group 50 after my write");
	expect(try_open(W "/sgdir/f", O_CREAT | O_WRONLY), 0, "create in a set-group-ID directory");
	expect(gid_of(W "/sgdir/f"), 50, "the file's group: the directory's");
	expect(mkdir(W "/sgdir/d", 0755), 0, "mkdir in it");
	expect(mode_of(W "/sgdir/d"), 02755, "the new directory is set-group-ID");
	expect(gid_of(W "/sgdir/d"), 50, "and of group 50");
}

static void
user_access(void)
{
	become(1000, 1000, 1000);
	expect(access(W "/world", W_OK), 0, "access W_OK root's 0666 file");
	expect(access(W "/public", W_OK), -EACCES, "access W_OK root's 0644 file");
	expect(access(W "/public", R_OK), 0, "access R_OK root's 0644 file");
	expect(access(W "/d700/f", F_OK), -EACCES, "access F_OK in root's 0700 directory");
}

/* Real uid 1000, effective root: access() answers for the real one. */
static void
setuid_access(void)
{
	become(1000, 0, 0);
	expect(access(W "/secret", R_OK), -EACCES, "ruid 1000 euid 0: access R_OK root's 0600 file");
	expect(faccessat(AT_FDCWD, W "/secret", R_OK, AT_EACCESS), 0, "faccessat AT_EACCESS");
	expect(try_open(W "/secret", O_RDONLY), 0, "open it");
	expect(access(W "/d700/f", R_OK), -EACCES, "access in root's 0700 directory");
	expect(faccessat(AT_FDCWD, W "/d700/f", R_OK, AT_EACCESS), 0, "the same with AT_EACCESS");
	expect(access(W "/run0744", X_OK), -EACCES, "access X_OK root's 0744 program");
	expect(faccessat(AT_FDCWD, W "/run0744", X_OK, AT_EACCESS), 0, "with AT_EACCESS");
}

static void
user_signals(void)
{
	pid_t mine;
	int st;

	become(1000, 1000, 1000);
	if ((mine = spawn()) == 0) {
		pause();
		_exit(0);
	}
	expect(kill(sleeper, 0), -EPERM, "kill 0 to root's process");
	expect(kill(sleeper, SIGTERM), -EPERM, "kill SIGTERM to root's process");
	expect(kill(-sleeper, SIGTERM), -EPERM, "kill SIGTERM to root's process group");
	expect(kill(sleeper, SIGCONT), 0, "kill SIGCONT to root's process in my session");
	expect(kill(mine, SIGTERM), 0, "kill SIGTERM to my child");
	waitpid(mine, &st, 0);
	expect(WIFSIGNALED(st) ? WTERMSIG(st) : -2, SIGTERM, "my child's end");
	expect(reboot(RB_AUTOBOOT), -EPERM, "reboot");
	expect(syscall(SYS_reboot, 1, 2, 3, 0), -EPERM, "reboot with bad magic");
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/environ", sleeper);
	expect(try_open(path, O_RDONLY), -EACCES, "/proc/<root's>/environ");
	snprintf(path, sizeof(path), "/proc/%d/fd", sleeper);
	expect(try_open(path, O_RDONLY | O_DIRECTORY), -EACCES, "/proc/<root's>/fd");
	snprintf(path, sizeof(path), "/proc/%d/status", sleeper);
	expect(try_open(path, O_RDONLY), 0, "/proc/<root's>/status");
	struct stat st2;
	snprintf(path, sizeof(path), "/proc/%d", sleeper);
	expect(stat(path, &st2) < 0 ? -1 : (long)st2.st_uid, 0, "/proc/<root's> owner");
}

static void
root_checks(void)
{
	expect(try_open(W "/secret", O_RDWR), 0, "root: read and write a 0600 file");
	expect(try_open(W "/d700/f", O_RDONLY), 0, "root: read in a 0700 directory");
	expect(try_exec(W "/run0744"), 0, "root: exec a 0744 program");
	expect(try_exec(W "/noexec"), -EACCES, "root: exec a 0644 file");
	expect(access(W "/noexec", X_OK), -EACCES, "root: access X_OK a 0644 file");
	write_one(W "/rootsuid");
	expect(mode_of(W "/rootsuid"), 04755, "root's write keeps S_ISUID");
	expect(chown(W "/rootsuid", 0, 0), 0, "root: chown");
	expect(mode_of(W "/rootsuid"), 0755, "chown drops S_ISUID");
}

static void
cleanup(void)
{
	static const char *const names[] = {
		"secret", "public", "world", "grp", "grp2", "rootfile", "userfile", "suid",
		"suid2", "sgid", "sgidnox", "sgidnox50", "rootsuid", "run0744", "noexec", "mine", "masked",
		"d700/f", "d711/f", "d755/f", "sgdir/f",
	};
	char path[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), W "/%s", names[i]);
		unlink(path);
	}
	rmdir(W "/sgdir/d");
	rmdir(W "/sgdir");
	rmdir(W "/d700");
	rmdir(W "/d711");
	rmdir(W "/d755");
	rmdir(W);
}

int
main(void)
{
	int st;

	check_init(NAME);
	check_octal = 1;		/* modes, mostly */
	mount_missing("proc", "/proc", "/proc/self");	/* NexaOS's init has none yet */
	umask(022);
	cleanup();
	setup();
	sleeper = fork();
	if (sleeper == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(sleeper, sleeper);
	root_checks();
	check_child("files", user_files);
	check_child("sticky", user_sticky);
	check_child("other user", other_user);
	check_child("attributes", user_attrs);
	check_child("set-id bits", user_setid);
	check_child("access", user_access);
	check_child("access with euid 0", setuid_access);
	check_child("signals", user_signals);
	kill(sleeper, SIGKILL);
	/* As pid 1, orphans come back to us: reap them all. */
	while (wait(&st) > 0 || errno == EINTR)
		;
	cleanup();
	return check_done();
}
