/*
 * Channels between users (NexaOS only, nothing to compare with Linux):
 * a channel's owner, group and mode work like a file's, checked by the
 * same function (r: receive, w: send; an empty channel answers EAGAIN to
 * a non-blocking receive that was allowed). Root makes channels of modes
 * 0600, 0622, 0644 and (as group 50) 0660; users 1000 (in group 50) and
 * 2000 try each; a user's own 0600 channel is refused to the other user
 * and to its owner's loss of nothing; only the owner or CAP_FOWNER
 * destroys; root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH is
 * refused too. Then reboot(2) as root: bad magic is EINVAL, Ctrl-Alt-Del
 * on and off are accepted, and without CAP_SYS_BOOT it is EPERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "nexa.h"

#define NAME	"chanperm"

static int c600, c622, c644, c660;

/* check.h's expect, where a call's -1 stands for -errno (a macro does not expand itself). */
#define expect(got, ...) \
	expect(({ long got_ = (got); got_ == -1 ? -errno : got_; }), __VA_ARGS__)

/* A non-blocking receive: EAGAIN (empty) means the caller was let in. */
static long
recv_nb(int id)
{
	char buf[CHAN_MSG_MAX];

	return chan_recv(id, buf, sizeof(buf), CHAN_NONBLOCK, NULL);
}

static void
become(uid_t uid, gid_t extra)
{
	gid_t groups[] = { extra };

	if (setgroups(extra ? 1 : 0, groups) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		check(0, "becoming %u: %s", uid, errname(errno));
}

static void
user1000(void)
{
	become(1000, 50);
	expect(chan_send(c600, "a", 1), -EACCES, "1000: send on root's 0600");
	expect(recv_nb(c600), -EACCES, "1000: receive on root's 0600");
	expect(chan_destroy(c600), -EPERM, "1000: destroy root's 0600");
	expect(chan_send(c622, "a", 1), 0, "1000: send on root's 0622");
	expect(recv_nb(c622), -EACCES, "1000: receive on root's 0622");
	expect(chan_send(c644, "a", 1), -EACCES, "1000: send on root's 0644");
	expect(recv_nb(c644), -EAGAIN, "1000: receive on root's 0644 (empty)");
	expect(chan_send(c660, "a", 1), 0, "1000: send on group 50's 0660");
	expect(recv_nb(c660), 1, "1000: receive it back");
	int mine = chan_create(0600);
	expect(mine >= 0, 1, "1000: create a 0600 channel");
	struct chan_stat st;
	expect(chan_stat(mine, &st), 0, "1000: stat it");
	expect(st.uid * 100000 + st.gid, 1000 * 100000 + 1000, "1000: its owner and group");
	expect(chan_send(mine, "b", 1), 0, "1000: send on mine");
	_exit(check_failed || mine < 0 ? 100 : mine);
}

static int mine;

static void
user2000(void)
{
	become(2000, 0);
	expect(chan_send(mine, "a", 1), -EACCES, "2000: send on 1000's 0600");
	expect(recv_nb(mine), -EACCES, "2000: receive on 1000's 0600");
	expect(chan_destroy(mine), -EPERM, "2000: destroy 1000's");
	expect(chan_send(c660, "a", 1), -EACCES, "2000: send on group 50's 0660");
	expect(chan_send(c622, "a", 1), 0, "2000: send on root's 0622");
	_exit(check_failed ? 1 : 0);
}

static void
user1000_again(void)
{
	become(1000, 50);
	expect(recv_nb(mine), 1, "1000: receive on mine");
	expect(chan_destroy(mine), 0, "1000: destroy mine");
	_exit(check_failed ? 100 : chan_create(0600));
}

/* Runs fn (which _exits) in a child; its exit status. */
static int
child(void (*fn)(void))
{
	pid_t pid = spawn();
	int st;

	if (pid == 0)
		fn();
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 100;
	return WEXITSTATUS(st);
}

static void
root_without_dac(void)
{
	struct { uint32_t version; int pid; } h = { 0x20080522, 0 };
	struct { uint32_t e, p, i; } d[2] = { { 0, 0, 0 } };

	/* Everything but the DAC overrides, kept as root. */
	d[0].e = d[0].p = ~((1u << 1) | (1u << 2));
	d[1].e = d[1].p = 0x1ff;
	expect(syscall(SYS_capset, &h, d), 0, "root: capset without dac_override, dac_read_search");
	int c = chan_create(0);
	expect(c >= 0, 1, "root: create a 0000 channel");
	expect(chan_send(c, "a", 1), -EACCES, "root: send on its own 0000 channel");
	expect(recv_nb(c), -EACCES, "root: receive on it");
	expect(chan_destroy(c), 0, "root: destroy it (owner)");
	d[0].e = d[0].p = 0;
	d[1].e = d[1].p = 0;
	expect(syscall(SYS_capset, &h, d), 0, "root: capset to nothing");
	expect(reboot(RB_ENABLE_CAD), -EPERM, "root without sys_boot: reboot CAD_ON");
	_exit(check_failed ? 1 : 0);
}

int
main(void)
{
	int st;

	check_init(NAME);
	setgroups(0, NULL);
	c600 = chan_create(0600);
	c622 = chan_create(0622);
	c644 = chan_create(0644);
	setresgid(50, 50, 0);
	c660 = chan_create(0660);
	setresgid(0, 0, 0);
	expect(c600 >= 0 && c622 >= 0 && c644 >= 0 && c660 >= 0, 1, "root: four channels");
	mine = child(user1000);
	expect(mine < 100, 1, "1000's checks");
	expect(child(user2000), 0, "2000's checks");
	int left = child(user1000_again);
	expect(left < 100, 1, "1000's second checks");
	if (left < 100)
		expect(chan_destroy(left), 0, "root: destroy 1000's channel (CAP_FOWNER)");
	expect(recv_nb(c622), 1, "root: receive 1000's message on 0622");
	expect(recv_nb(c622), 1, "root: receive 2000's message on 0622");
	pid_t pid;
	if ((pid = spawn()) == 0)
		root_without_dac();
	waitpid(pid, &st, 0);
	expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1, "root without the overrides");
	expect(syscall(SYS_reboot, 0xfee1dead, 1, RB_ENABLE_CAD, 0), -EINVAL, "reboot bad magic2");
	expect(syscall(SYS_reboot, 0xfee1deaf, 672274793, RB_ENABLE_CAD, 0), -EINVAL,
	       "reboot bad magic1");
	expect(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x12345678, 0), -EINVAL,
	       "reboot unknown command");
	expect(reboot(RB_ENABLE_CAD), 0, "reboot CAD_ON");
	expect(reboot(RB_DISABLE_CAD), 0, "reboot CAD_OFF");
	chan_destroy(c600);
	chan_destroy(c622);
	chan_destroy(c644);
	chan_destroy(c660);
	while (wait(&st) > 0 || errno == EINTR)
		;
	return check_done();
}
