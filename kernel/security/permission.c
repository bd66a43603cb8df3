/*
 * The permission checks of lab 7, plugged into the seams of cred.h: one
 * function decides every owner/group/other check (files through
 * inode_permission, directories searched by the path walk, channels),
 * kill() asks may_signal, exec asks cap_exec_creds (capability.c).
 */
#include <init.h>
#include <kerrno.h>
#include <ksyscall.h>
#include <proc.h>
#include <vfs.h>
#include "security_internal.h"

#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

#if SOL >= 7
/* Linux's generic_permission: the caller's fs ids against mode, uid, gid. */
int
generic_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	const struct cred *c = &proc_current()->cred;
	uint32_t bits = c->fsuid == uid ? mode >> 6 : in_group_p(gid) ? mode >> 3 : mode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (!(mask & ~bits & 7))
		return 0;
	if (S_ISDIR(mode)) {
		/* Directories: read and search with CAP_DAC_READ_SEARCH, anything with OVERRIDE. */
		if (!(mask & MAY_WRITE) && cred_capable(c, CAP_DAC_READ_SEARCH))
			return 0;
		return cred_capable(c, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && cred_capable(c, CAP_DAC_READ_SEARCH))
		return 0;
	/* Running a file needs someone to be allowed to run it, even for root. */
	if ((!(mask & MAY_EXEC) || (mode & 0111)) && cred_capable(c, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}
#else
int
generic_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	/* LAB 7: your code here. 0 or -EACCES for the caller (its cred's
	 * fsuid, and in_group_p for its fs gid and groups) wanting mask
	 * (MAY_READ|MAY_WRITE|MAY_EXEC) on an object of mode, uid and gid:
	 * the owner's bits if fsuid is uid, else the group's if in_group_p,
	 * else the others'. If they refuse: on a directory,
	 * CAP_DAC_READ_SEARCH allows what is not a write and
	 * CAP_DAC_OVERRIDE anything; on anything else CAP_DAC_READ_SEARCH
	 * allows a plain read and CAP_DAC_OVERRIDE reads and writes, and
	 * execution only if some x bit of mode is set (cred_capable). */
	(void)uid, (void)gid, (void)in_group_p;
	/* Until then, root's rule alone, as before lab 7: nobody else may do anything. */
	if (proc_current()->cred.fsuid == 0 &&
	    (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111)))
		return 0;
	return -EACCES;
}
#endif

/* kill's rule: the sender's real or effective uid is the target's real or saved one. */
static int
may_signal(struct proc *target, int sig)
{
	struct proc *self = proc_current();
	const struct cred *c = &self->cred, *t = &target->cred;

	if (c->euid == t->suid || c->euid == t->uid || c->uid == t->suid || c->uid == t->uid)
		return 0;
	if (cred_capable(c, CAP_KILL))
		return 0;
	if (sig == SIGCONT && target->sid == self->sid)
		return 0;		/* job control within a session */
	return -EPERM;
}

static const struct security_ops lab7_ops = {
	.capable = cred_capable,
	.permission = generic_permission,
	.exec_creds = cap_exec_creds,
	.may_signal = may_signal,
	.access_caps = cap_access_caps,
	.prctl = cap_prctl,
};

static void
security_init(void)
{
	security_set_ops(&lab7_ops);
	syscalls_enable(7);
}
INITCALL(INIT_SERVICES, security_init);
