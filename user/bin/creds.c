/*
 * Credentials, as root gives them up: the set*id family's rules (setuid,
 * seteuid, setreuid, setresuid, the gid calls, setfsuid and setfsgid),
 * saved ids, supplementary groups (sorted, limits, EPERM), capabilities
 * after each uid change (dropped, kept with PR_SET_KEEPCAPS, restored on
 * a return to euid 0, fs ones moved by setfsuid), capget and capset
 * (version 3, their EPERM, EINVAL and a bad version's answer), prctl's
 * NO_NEW_PRIVS, KEEPCAPS and bounding set, the Uid/Gid/Groups lines of
 * /proc/self/status, and exec: of a set-user-ID and set-group-ID copy of
 * this program made in /tmp/creds (its ids, capabilities, AT_SECURE, and
 * none of it under NO_NEW_PRIVS), of a root program by root (all
 * capabilities) and by a kept-capabilities user (none). Each scenario
 * runs in a child that starts as root. The grader compares every line
 * with the same binary run as root on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NAME	"creds"
#define WORKDIR	"/tmp/creds"
#define SUID	WORKDIR "/suid"

#define CAP_V3		0x20080522
#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_FOWNER		3
#define CAP_KILL		5
#define CAP_SETGID		6
#define CAP_SETUID		7
#define CAP_SETPCAP		8
#define CAP_SYS_BOOT		22

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* check.h's expect, where a call's -1 stands for -errno (a macro does not expand itself). */
#define expect(got, ...) \
	expect(({ long got_ = (got); got_ == -1 ? -errno : got_; }), __VA_ARGS__)

/* Prints "creds: WHAT -> GOT", failing (with what was wanted) unless GOT is want. */
static void
expect_str(const char *got, const char *want, const char *what)
{
	if (strcmp(got, want))
		check(0, "%s -> %s, want %s", what, got, want);
	else
		check(1, "%s -> %s", what, got);
}

static void
caps(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		check(0, "capget -> %s", errname(errno));
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

/* The capabilities of a set this test looks at (the rest differ between hosts). */
static const char *
capnames(uint64_t set)
{
	static const struct { int cap; const char *name; } known[] = {
		{ CAP_CHOWN, "chown" }, { CAP_DAC_OVERRIDE, "dac_override" },
		{ CAP_FOWNER, "fowner" }, { CAP_KILL, "kill" }, { CAP_SETGID, "setgid" },
		{ CAP_SETUID, "setuid" }, { CAP_SETPCAP, "setpcap" },
		{ CAP_SYS_BOOT, "sys_boot" },
	};
	static char buf[4][160];
	static int next;
	char *b = buf[next++ % 4];

	b[0] = '\0';
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (set & (1ULL << known[i].cap))
			snprintf(b + strlen(b), 160 - strlen(b), "%s%s", b[0] ? "," : "",
				 known[i].name);
	return b[0] ? b : "none";
}

/* "uid R E S fs F gid R E S fs F" */
static const char *
ids(void)
{
	static char buf[128];
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	int fsu = setfsuid(-1), fsg = setfsgid(-1);
	snprintf(buf, sizeof(buf), "uid %u %u %u fs %d gid %u %u %u fs %d", r, e, s, fsu,
		 gr, ge, gs, fsg);
	return buf;
}

static void
show(const char *what, const char *want_ids, const char *want_eff, const char *want_prm)
{
	char w[160];
	uint64_t e, p, i;

	caps(&e, &p, &i);
	snprintf(w, sizeof(w), "%s: ids", what);
	expect_str(ids(), want_ids, w);
	snprintf(w, sizeof(w), "%s: effective", what);
	expect_str(capnames(e), want_eff, w);
	snprintf(w, sizeof(w), "%s: permitted", what);
	expect_str(capnames(p), want_prm, w);
}

/* The line of /proc/self/status that starts with key, without its newline; "(none)". */
static const char *
status_line(const char *key)
{
	static char line[128];
	FILE *f = fopen("/proc/self/status", "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, key, strlen(key));
	if (f)
		fclose(f);
	if (!found)
		return "(none)";
	line[strcspn(line, "\n")] = '\0';
	return line;
}

#define ALL	"chown,dac_override,fowner,kill,setgid,setuid,setpcap,sys_boot"

static void
t_groups(void)
{
	gid_t g[8] = { 30, 10, 20, 10 }, out[8];

	expect(setgroups(0, NULL), 0, "setgroups(0)");
	expect(getgroups(0, NULL), 0, "getgroups(0) with none");
	expect(setgroups(4, g), 0, "setgroups 30,10,20,10");
	expect(getgroups(0, NULL), 4, "getgroups(0)");
	expect(getgroups(3, out), -EINVAL, "getgroups(3) of 4");
	expect(getgroups(-1, out), -EINVAL, "getgroups(-1)");
	int n = getgroups(8, out);
	char buf[64] = "";
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%u", i ? "," : "", out[i]);
	expect_str(buf, "10,10,20,30", "getgroups: sorted");
	expect(syscall(SYS_setgroups, 65537, g), -EINVAL, "setgroups(65537)");
	expect(syscall(SYS_setgroups, 2, NULL), -EFAULT, "setgroups(2, NULL)");
	expect(getgroups(0, NULL), 4, "groups kept after the failures");
	/* The status file, as Linux writes it. */
	expect_str(status_line("Groups:"), "Groups:\t10 10 20 30 ", "/proc/self/status Groups");
	expect(setgroups(0, NULL), 0, "setgroups(0) again");
	expect(getgroups(0, NULL), 0, "no groups left");
}

static void
t_setuid(void)
{
	show("root", "uid 0 0 0 fs 0 gid 0 0 0 fs 0", ALL, ALL);
	expect(setuid(-1), -EINVAL, "setuid(-1)");
	expect(setuid(1000), 0, "setuid(1000) as root");
	show("after setuid", "uid 1000 1000 1000 fs 1000 gid 0 0 0 fs 0", "none", "none");
	expect(setuid(0), -EPERM, "setuid(0) back");
	expect(setuid(1000), 0, "setuid(1000) to itself");
	expect(setgid(0), 0, "setgid(0), its own gid");
	expect(setgid(5), -EPERM, "setgid(5)");
	expect(setgroups(0, NULL), -EPERM, "setgroups unprivileged");
	expect(seteuid(0), -EPERM, "seteuid(0)");
	expect(prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0), -EPERM, "PR_CAPBSET_DROP unprivileged");
}

static void
t_seteuid(void)
{
	expect(seteuid(1000), 0, "seteuid(1000)");
	show("euid 1000", "uid 0 1000 0 fs 1000 gid 0 0 0 fs 0", "none", ALL);
	expect(setuid(1000), -EPERM, "setuid(1000) with euid 1000 only");
	expect(open("/proc/self/status", O_RDONLY) >= 0, 1, "reading /proc/self/status");
	expect(seteuid(0), 0, "seteuid(0) back");
	show("euid 0 again", "uid 0 0 0 fs 0 gid 0 0 0 fs 0", ALL, ALL);
	expect(setresuid(1000, 2000, 3000), 0, "setresuid(1000, 2000, 3000)");
	expect_str(status_line("Uid:"), "Uid:\t1000\t2000\t3000\t2000", "/proc/self/status Uid");
}

static void
t_setreuid(void)
{
	expect(setreuid(1000, 2000), 0, "setreuid(1000, 2000)");
	show("setreuid", "uid 1000 2000 2000 fs 2000 gid 0 0 0 fs 0", "none", "none");
	expect(setreuid(-1, 1000), 0, "setreuid(-1, 1000): the real uid");
	expect_str(ids(), "uid 1000 1000 2000 fs 1000 gid 0 0 0 fs 0", "saved kept");
	expect(setreuid(-1, 2000), 0, "setreuid(-1, 2000): the saved uid");
	expect_str(ids(), "uid 1000 2000 2000 fs 2000 gid 0 0 0 fs 0", "saved follows");
	expect(setreuid(3000, -1), -EPERM, "setreuid(3000, -1)");
	expect(setreuid(2000, -1), 0, "setreuid(2000, -1): the effective uid");
	expect_str(ids(), "uid 2000 2000 2000 fs 2000 gid 0 0 0 fs 0", "all 2000");
	expect(setreuid(-1, 1000), -EPERM, "setreuid(-1, 1000) once 1000 is gone");
}

static void
t_setresuid(void)
{
	uid_t r, e, s;

	expect(setresuid(1000, 2000, 3000), 0, "setresuid(1000, 2000, 3000)");
	expect(getresuid(&r, &e, &s), 0, "getresuid");
	expect(r * 1000000 + e * 1000 + s, 1000u * 1000000 + 2000 * 1000 + 3000, "getresuid's three");
	expect(setresuid(3000, 1000, 2000), 0, "setresuid(3000, 1000, 2000): a permutation");
	expect(setresuid(-1, 4000, -1), -EPERM, "setresuid(-1, 4000, -1)");
	expect(setresuid(0, -1, -1), -EPERM, "setresuid(0, -1, -1)");
	expect(setresuid(-1, -1, -1), 0, "setresuid(-1, -1, -1)");
	expect_str(ids(), "uid 3000 1000 2000 fs 1000 gid 0 0 0 fs 0", "unchanged");
	expect(setfsuid(3000), 1000, "setfsuid(3000): the old fs uid");
	expect(setfsuid(5000), 3000, "setfsuid(5000) refused: the old fs uid");
	expect_str(ids(), "uid 3000 1000 2000 fs 3000 gid 0 0 0 fs 0", "fs uid 3000");
	expect(setresuid(-1, 1000, -1), 0, "setresuid(-1, 1000, -1) resets the fs uid");
	expect_str(ids(), "uid 3000 1000 2000 fs 1000 gid 0 0 0 fs 0", "fs uid follows");
}

static void
t_gids(void)
{
	expect(setgid(-1), -EINVAL, "setgid(-1)");
	expect(setresgid(10, 20, 30), 0, "setresgid(10, 20, 30)");
	expect(setregid(-1, 30), 0, "setregid(-1, 30)");
	expect_str(ids(), "uid 0 0 0 fs 0 gid 10 30 30 fs 30", "gids");
	expect(setresuid(1000, 1000, 1000), 0, "setresuid to 1000");
	expect(setgid(20), -EPERM, "setgid(20): gone");
	expect(setgid(10), 0, "setgid(10): the real gid");
	expect_str(ids(), "uid 1000 1000 1000 fs 1000 gid 10 10 30 fs 10", "setgid unprivileged");
	expect(setregid(30, -1), -EPERM, "setregid(30, -1): the saved gid is not enough");
	expect(setresgid(30, 30, 10), 0, "setresgid(30, 30, 10)");
	expect(setfsgid(99), 30, "setfsgid(99) refused");
	expect(setfsgid(10), 30, "setfsgid(10)");
	expect_str(ids(), "uid 1000 1000 1000 fs 1000 gid 30 30 10 fs 10", "fs gid 10");
}

static void
t_keepcaps(void)
{
	expect(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0, "PR_GET_KEEPCAPS");
	expect(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), -EINVAL, "PR_SET_KEEPCAPS 2");
	expect(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), 0, "PR_SET_KEEPCAPS 1");
	expect(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1, "PR_GET_KEEPCAPS");
	expect(setresuid(1000, 1000, 1000), 0, "setresuid to 1000 keeping caps");
	show("kept", "uid 1000 1000 1000 fs 1000 gid 0 0 0 fs 0", "none", ALL);
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2] = { { 1u << CAP_SETUID, 1u << CAP_SETUID | 1u << CAP_KILL, 0 } };
	expect(syscall(SYS_capset, &h, d), 0, "capset effective setuid, permitted setuid,kill");
	show("capset", "uid 1000 1000 1000 fs 1000 gid 0 0 0 fs 0", "setuid", "kill,setuid");
	d[0].permitted |= 1u << CAP_CHOWN;
	expect(syscall(SYS_capset, &h, d), -EPERM, "capset raising permitted");
	d[0].permitted = 1u << CAP_SETUID;
	d[0].effective = 1u << CAP_KILL;
	expect(syscall(SYS_capset, &h, d), -EPERM, "capset effective beyond permitted");
	expect(setuid(2000), 0, "setuid(2000) with CAP_SETUID");
	show("setuid with cap", "uid 2000 2000 2000 fs 2000 gid 0 0 0 fs 0", "setuid", "kill,setuid");
	expect(setuid(0), 0, "setuid(0) with CAP_SETUID");
	show("back to root", "uid 0 0 0 fs 0 gid 0 0 0 fs 0", "kill,setuid", "kill,setuid");
}

static void
t_capset(void)
{
	struct cap_header h = { 0x12345, 0 };
	struct cap_data d[2];

	expect(syscall(SYS_capget, &h, d), -EINVAL, "capget bad version");
	expect(h.version, CAP_V3, "the version it asks for");
	h.version = 0x12345;
	expect(syscall(SYS_capget, &h, NULL), 0, "capget bad version, no data");
	h.version = CAP_V3;
	h.pid = -1;
	expect(syscall(SYS_capget, &h, d), -EINVAL, "capget pid -1");
	h.pid = 0x3fff0000;
	expect(syscall(SYS_capget, &h, d), -ESRCH, "capget of nobody");
	h.pid = getppid();
	expect(syscall(SYS_capset, &h, d), -EPERM, "capset of another process");
	h.pid = 0;
	expect(syscall(SYS_capset, &h, NULL), -EFAULT, "capset NULL data");
	expect(syscall(SYS_capget, &h, d), 0, "capget");
	d[0].permitted &= ~(1u << CAP_KILL);
	d[0].effective &= ~(1u << CAP_KILL);
	expect(syscall(SYS_capset, &h, d), 0, "capset dropping kill");
	d[0].permitted |= 1u << CAP_KILL;
	expect(syscall(SYS_capset, &h, d), -EPERM, "capset taking kill back");
	d[0].inheritable = 1u << CAP_CHOWN;
	d[0].permitted &= ~(1u << CAP_KILL);
	expect(syscall(SYS_capset, &h, d), 0, "capset inheritable chown");
	uint64_t e, p, i;
	caps(&e, &p, &i);
	expect_str(capnames(i), "chown", "inheritable");
	expect_str(capnames(p), "chown,dac_override,fowner,setgid,setuid,setpcap,sys_boot",
		   "permitted without kill");
	expect(prctl(PR_CAPBSET_READ, CAP_SYS_BOOT, 0, 0, 0), 1, "PR_CAPBSET_READ sys_boot");
	expect(prctl(PR_CAPBSET_READ, 41, 0, 0, 0), -EINVAL, "PR_CAPBSET_READ 41");
	expect(prctl(PR_CAPBSET_READ, -1, 0, 0, 0), -EINVAL, "PR_CAPBSET_READ -1");
	expect(prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0), 0, "PR_CAPBSET_DROP sys_boot");
	expect(prctl(PR_CAPBSET_READ, CAP_SYS_BOOT, 0, 0, 0), 0, "PR_CAPBSET_READ sys_boot");
	expect(prctl(PR_CAPBSET_DROP, 41, 0, 0, 0), -EINVAL, "PR_CAPBSET_DROP 41");
}

static void
t_fsuid(void)
{
	expect(setfsuid(1000), 0, "setfsuid(1000) as root");
	show("fs uid 1000", "uid 0 0 0 fs 1000 gid 0 0 0 fs 0", "kill,setgid,setuid,setpcap,sys_boot",
	     ALL);
	int fd = open(WORKDIR "/fsfile", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	struct stat st = { 0 };
	expect(fd >= 0, 1, "creating a file as fs uid 1000");
	fstat(fd, &st);
	close(fd);
	expect(st.st_uid, 1000, "its owner");
	expect(chown(WORKDIR "/fsfile", 0, 0), -EPERM, "chown without the fs capabilities");
	expect(setfsuid(0), 1000, "setfsuid(0)");
	show("fs uid 0", "uid 0 0 0 fs 0 gid 0 0 0 fs 0", ALL, ALL);
	expect(chown(WORKDIR "/fsfile", 0, 0), 0, "chown back");
	unlink(WORKDIR "/fsfile");
}

static void
t_nnp(void)
{
	expect(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0, "PR_GET_NO_NEW_PRIVS");
	expect(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), -EINVAL, "PR_SET_NO_NEW_PRIVS 2");
	expect(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), -EINVAL, "PR_SET_NO_NEW_PRIVS 1, 1");
	expect(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), -EINVAL, "PR_GET_NO_NEW_PRIVS 1");
	expect(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "PR_SET_NO_NEW_PRIVS 1");
	pid_t pid = spawn();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 7 : 0);
	int st = 0;
	waitpid(pid, &st, 0);
	expect(WEXITSTATUS(st), 7, "a child inherits it");
	expect(prctl(1234, 0, 0, 0, 0), -EINVAL, "prctl 1234");
}

/* Runs SUID (or path) with "report", as the ids set up by set; its lines are its own. */
static void
run_report(const char *what, const char *path, void (*set)(void))
{
	pid_t pid = spawn();

	if (pid == 0) {
		set();
		printf(NAME ": exec %s\n", what);
		fflush(stdout);
		execl(path, path, "report", (char *)NULL);
		check(0, "exec %s -> %s", path, errname(errno));
		_exit(1);
	}
	if (pid < 0 || strcmp(reap(pid), "exit 0"))
		check(0, "exec %s: the program failed", what);
}

static void
as_user(void)
{
	if (setgroups(0, NULL) || setresgid(100, 100, 100) || setresuid(500, 500, 500))
		check(0, "dropping to 500: %s", errname(errno));
}

static void
as_user_nnp(void)
{
	as_user();
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void
as_root(void)
{
}

static void
as_keepcaps(void)
{
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setresuid(500, 500, 500))
		check(0, "dropping to 500: %s", errname(errno));
}

static int
make_copy(uid_t uid, gid_t gid, mode_t mode)
{
	char buf[8192];
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		in = open("/bin/" NAME, O_RDONLY);
	unlink(SUID);
	out = open(SUID, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	close(out);
	if (chown(SUID, uid, gid) < 0 || chmod(SUID, mode) < 0)
		return -1;
	return 0;
}

static void
t_exec(void)
{
	expect(make_copy(1000, 2000, 06755), 0, "a set-user-ID 1000, set-group-ID 2000 copy");
	run_report("set-id copy as 500", SUID, as_user);
	run_report("set-id copy as 500 with NO_NEW_PRIVS", SUID, as_user_nnp);
	run_report("set-id copy as root", SUID, as_root);
	expect(make_copy(0, 0, 04755), 0, "a set-user-ID root copy");
	run_report("set-user-ID root copy as 500", SUID, as_user);
	expect(make_copy(0, 0, 02755), 0, "a set-group-ID root copy");
	run_report("set-group-ID root copy as 500", SUID, as_user);
	expect(make_copy(0, 0, 0755), 0, "a plain copy");
	run_report("plain copy as root", SUID, as_root);
	run_report("plain copy, capabilities kept", SUID, as_keepcaps);
	unlink(SUID);
}

/* What the program sees after an exec. */
static int
report(void)
{
	uint64_t e, p, i;

	caps(&e, &p, &i);
	printf(NAME ": report %s\n", ids());
	printf(NAME ": report effective %s permitted %s\n", capnames(e), capnames(p));
	printf(NAME ": report AT_SECURE %lu AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu\n",
	       getauxval(AT_SECURE), getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
	       getauxval(AT_EGID));
	printf(NAME ": report keepcaps %d no_new_privs %d\n", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0),
	       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	return 0;
}

int
main(int argc, char **argv)
{
	int st;

	check_init(NAME);
	mount_missing("proc", "/proc", "/proc/self");	/* NexaOS's init has none yet */
	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report();
	mkdir("/tmp", 01777);
	mkdir(WORKDIR, 0777);
	chmod(WORKDIR, 0777);		/* fs uid 1000 creates a file here */
	setgroups(0, NULL);		/* Linux's root may come with some */
	check_child("groups", t_groups);
	check_child("setuid", t_setuid);
	check_child("seteuid", t_seteuid);
	check_child("setreuid", t_setreuid);
	check_child("setresuid", t_setresuid);
	check_child("gids", t_gids);
	check_child("keepcaps", t_keepcaps);
	check_child("capset", t_capset);
	check_child("fsuid", t_fsuid);
	check_child("nnp", t_nnp);
	check_child("exec", t_exec);
	/* As pid 1, orphans come back to us: none should, but reap them all. */
	while (wait(&st) > 0 || errno == EINTR)
		;
	rmdir(WORKDIR);
	return check_done();
}
