/*
 * The seams of credentials: every permission decision of the kernel goes
 * through capable(), mode_permission() or a security_* hook here, whose
 * defaults treat everyone as root (as NexaOS did before lab 7). Lab 7's
 * kernel/security/ registers the rules of Linux with security_set_ops.
 */
#include <cred.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <proc.h>

const struct security_ops *security_ops;

void
security_set_ops(const struct security_ops *ops)
{
	security_ops = ops;
}

void
cred_get(struct cred *c)
{
	if (c->groups)
		c->groups->refs++;
}

void
cred_put(struct cred *c)
{
	if (c->groups && --c->groups->refs == 0)
		kfree(c->groups);
	c->groups = NULL;
}

bool
in_group_p(uint32_t gid)
{
	const struct cred *c = &proc_current()->cred;

	if (gid == c->fsgid)
		return true;
	if (!c->groups)
		return false;
	/* The groups are sorted: a binary search. */
	unsigned lo = 0, hi = c->groups->ngroups;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (c->groups->gid[mid] == gid)
			return true;
		if (c->groups->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool
capable(int cap)
{
	const struct cred *c = &proc_current()->cred;

	if (security_ops && security_ops->capable)
		return security_ops->capable(c, cap);
	return c->euid == 0;
}

int
mode_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	if (security_ops && security_ops->permission)
		return security_ops->permission(mode, uid, gid, mask);
	if (proc_current()->cred.fsuid == 0) {
		/* Root reads and writes anything, and runs what anyone may run. */
		if (!(mask & 1) || (mode & 0170000) == 0040000 || (mode & 0111))
			return 0;
		return -EACCES;
	}
	return -EACCES;		/* nobody else exists before lab 7 */
}

void
security_exec_creds(struct exec_request *req)
{
	if (security_ops && security_ops->exec_creds)
		security_ops->exec_creds(req);
}

int
security_may_signal(struct proc *target, int sig)
{
	if (security_ops && security_ops->may_signal)
		return security_ops->may_signal(target, sig);
	return 0;
}

void
security_access_caps(struct cred *c)
{
	if (security_ops && security_ops->access_caps)
		security_ops->access_caps(c);
}

int64_t
security_prctl(int option, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	if (security_ops && security_ops->prctl)
		return security_ops->prctl(option, a1, a2, a3, a4);
	return -EINVAL;
}
