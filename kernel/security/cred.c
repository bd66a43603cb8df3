/*
 * Who a process is (lab 7): the set*id family, getres*id, setfs*id and
 * the supplementary groups, with Linux's rules (kernel/sys.c, groups.c).
 * Each call builds the new credentials in a copy, checks them against the
 * old ones, fixes the capabilities up (capability.c) and only then
 * installs them: a refused call changes nothing.
 *
 * An unprivileged process (no CAP_SETUID) may only move its ids among
 * the values it already holds: real, effective, saved. A privileged one
 * sets any; setuid() by a privileged process sets all three.
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <ksyscall.h>
#include <proc.h>
#include <usercopy.h>
#include "security_internal.h"

#define NO_ID	((uint32_t)-1)		/* "leave it as it is" (and never a valid id) */

/* Installs new as the caller's credentials after a uid change of kind. */
static int
commit_uids(struct cred *new, enum setid_kind kind)
{
	struct proc *p = proc_current();

	cap_fix_setuid(new, &p->cred, kind);
	p->cred = *new;
	return 0;
}

SYSCALL(setuid, 7)
{
	const struct cred *old = &proc_current()->cred;
	struct cred new = *old;
	uint32_t uid = (uint32_t)a0;

	if (uid == NO_ID)
		return -EINVAL;
	if (cred_capable(old, CAP_SETUID))
		new.uid = new.suid = uid;
	else if (uid != old->uid && uid != old->suid)
		return -EPERM;
	new.euid = new.fsuid = uid;
	return commit_uids(&new, SETID_ID);
}

SYSCALL(setreuid, 7)
{
	const struct cred *old = &proc_current()->cred;
	struct cred new = *old;
	uint32_t ruid = (uint32_t)a0, euid = (uint32_t)a1;
	bool cap = cred_capable(old, CAP_SETUID);

	if (ruid != NO_ID) {
		if (ruid != old->uid && ruid != old->euid && !cap)
			return -EPERM;
		new.uid = ruid;
	}
	if (euid != NO_ID) {
		if (euid != old->uid && euid != old->euid && euid != old->suid && !cap)
			return -EPERM;
		new.euid = euid;
	}
	/* A new real id, or an effective one other than the old real: saved follows. */
	if (ruid != NO_ID || (euid != NO_ID && euid != old->uid))
		new.suid = new.euid;
	new.fsuid = new.euid;
	return commit_uids(&new, SETID_RE);
}

#if SOL >= 7
/* setresuid's rule: unprivileged, each id given must be one of the old three. */
static int
setresuid_check(const struct cred *old, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	bool ruid_new = ruid != NO_ID && ruid != old->uid && ruid != old->euid &&
			ruid != old->suid;
	bool euid_new = euid != NO_ID && euid != old->uid && euid != old->euid &&
			euid != old->suid;
	bool suid_new = suid != NO_ID && suid != old->uid && suid != old->euid &&
			suid != old->suid;

	if ((ruid_new || euid_new || suid_new) && !cred_capable(old, CAP_SETUID))
		return -EPERM;
	return 0;
}
#else
static int
setresuid_check(const struct cred *old, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	/* LAB 7: your code here. Without CAP_SETUID (cred_capable), each of
	 * ruid, euid and suid that is not NO_ID must equal one of old's
	 * uid, euid and suid: else -EPERM. With it, anything goes: 0. */
	(void)old, (void)ruid, (void)euid, (void)suid;
	return -ENOSYS;
}
#endif

SYSCALL(setresuid, 7)
{
	const struct cred *old = &proc_current()->cred;
	struct cred new = *old;
	uint32_t ruid = (uint32_t)a0, euid = (uint32_t)a1, suid = (uint32_t)a2;

	/* Nothing changes (not even the fs uid): nothing to check. */
	if ((ruid == NO_ID || ruid == old->uid) &&
	    (euid == NO_ID || (euid == old->euid && euid == old->fsuid)) &&
	    (suid == NO_ID || suid == old->suid))
		return 0;
	int r = setresuid_check(old, ruid, euid, suid);
	if (r < 0)
		return r;
	if (ruid != NO_ID)
		new.uid = ruid;
	if (euid != NO_ID)
		new.euid = euid;
	if (suid != NO_ID)
		new.suid = suid;
	new.fsuid = new.euid;
	return commit_uids(&new, SETID_RES);
}

SYSCALL(getresuid, 7)
{
	const struct cred *c = &proc_current()->cred;
	int r;

	if ((r = copy_to_user(a0, &c->uid, 4)) < 0 || (r = copy_to_user(a1, &c->euid, 4)) < 0)
		return r;
	return copy_to_user(a2, &c->suid, 4);
}

/* setfsuid: the old fs uid, whatever happens; a change only to an id it holds (or CAP_SETUID). */
SYSCALL(setfsuid, 7)
{
	const struct cred *old = &proc_current()->cred;
	struct cred new = *old;
	uint32_t uid = (uint32_t)a0, was = old->fsuid;

	if (uid == NO_ID || uid == old->fsuid)
		return was;
	if (uid == old->uid || uid == old->euid || uid == old->suid ||
	    cred_capable(old, CAP_SETUID)) {
		new.fsuid = uid;
		commit_uids(&new, SETID_FS);
	}
	return was;
}

/* The group calls: the same rules with CAP_SETGID, and no capability fix-up. */
SYSCALL(setgid, 7)
{
	struct cred *c = &proc_current()->cred;
	uint32_t gid = (uint32_t)a0;

	if (gid == NO_ID)
		return -EINVAL;
	if (cred_capable(c, CAP_SETGID))
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

SYSCALL(setregid, 7)
{
	struct cred *c = &proc_current()->cred, new = *c;
	uint32_t rgid = (uint32_t)a0, egid = (uint32_t)a1;
	bool cap = cred_capable(c, CAP_SETGID);

	if (rgid != NO_ID) {
		if (rgid != c->gid && rgid != c->egid && !cap)
			return -EPERM;
		new.gid = rgid;
	}
	if (egid != NO_ID) {
		if (egid != c->gid && egid != c->egid && egid != c->sgid && !cap)
			return -EPERM;
		new.egid = egid;
	}
	if (rgid != NO_ID || (egid != NO_ID && egid != c->gid))
		new.sgid = new.egid;
	new.fsgid = new.egid;
	*c = new;
	return 0;
}

/* Whether id (not NO_ID) is none of c's three gids. */
static bool
new_gid(const struct cred *c, uint32_t id)
{
	return id != NO_ID && id != c->gid && id != c->egid && id != c->sgid;
}

SYSCALL(setresgid, 7)
{
	struct cred *c = &proc_current()->cred;
	uint32_t rgid = (uint32_t)a0, egid = (uint32_t)a1, sgid = (uint32_t)a2;

	if ((rgid == NO_ID || rgid == c->gid) &&
	    (egid == NO_ID || (egid == c->egid && egid == c->fsgid)) &&
	    (sgid == NO_ID || sgid == c->sgid))
		return 0;
	if ((new_gid(c, rgid) || new_gid(c, egid) || new_gid(c, sgid)) &&
	    !cred_capable(c, CAP_SETGID))
		return -EPERM;
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (sgid != NO_ID)
		c->sgid = sgid;
	c->fsgid = c->egid;
	return 0;
}

SYSCALL(getresgid, 7)
{
	const struct cred *c = &proc_current()->cred;
	int r;

	if ((r = copy_to_user(a0, &c->gid, 4)) < 0 || (r = copy_to_user(a1, &c->egid, 4)) < 0)
		return r;
	return copy_to_user(a2, &c->sgid, 4);
}

SYSCALL(setfsgid, 7)
{
	struct cred *c = &proc_current()->cred;
	uint32_t gid = (uint32_t)a0, was = c->fsgid;

	if (gid == NO_ID)
		return was;
	if (gid == c->gid || gid == c->egid || gid == c->sgid || gid == c->fsgid ||
	    cred_capable(c, CAP_SETGID))
		c->fsgid = gid;
	return was;
}

/* Sorts n gids (Shell sort: in place, and fast enough for NGROUPS_MAX). */
static void
sort_gids(uint32_t *g, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && g[j - gap] > g[j]; j -= gap) {
				uint32_t t = g[j];

				g[j] = g[j - gap];
				g[j - gap] = t;
			}
}

SYSCALL(setgroups, 7)
{
	struct cred *c = &proc_current()->cred;
	int n = (int)a0;
	struct group_info *gi = NULL;

	if (!cred_capable(c, CAP_SETGID))
		return -EPERM;
	if ((unsigned)n > NGROUPS_MAX)
		return -EINVAL;
	if (n > 0) {
		if (!(gi = kmalloc(sizeof(*gi) + 4 * (size_t)n)))
			return -ENOMEM;
		if (copy_from_user(gi->gid, a1, 4 * (size_t)n) < 0) {
			kfree(gi);
			return -EFAULT;
		}
		gi->refs = 1;
		gi->ngroups = (unsigned)n;
		sort_gids(gi->gid, gi->ngroups);
	}
	cred_put(c);
	c->groups = gi;
	return 0;
}

SYSCALL(getgroups, 7)
{
	const struct cred *c = &proc_current()->cred;
	int size = (int)a0;
	unsigned n = c->groups ? c->groups->ngroups : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if ((unsigned)size < n)
		return -EINVAL;
	if (n && copy_to_user(a1, c->groups->gid, 4 * (size_t)n) < 0)
		return -EFAULT;
	return n;
}
