/*
 * Resource limits: getrlimit, setrlimit and prlimit64, with Linux's rules.
 * A soft limit never exceeds its hard limit; only root raises a hard
 * limit, and nobody takes RLIMIT_NOFILE beyond nr_open. Children inherit
 * their parent's limits at fork, and they survive exec.
 */
#include <kerrno.h>
#include <ksyscall.h>
#include <param.h>
#include <proc.h>
#include <usercopy.h>

/* Whether the caller may see and change p's limits: itself, its user's, or root. */
static bool
may_touch(const struct proc *p)
{
	const struct cred *c = &proc_current()->cred;

	return p == proc_current() || capable(CAP_SYS_RESOURCE) ||
	       (c->uid == p->cred.uid && c->uid == p->cred.euid && c->uid == p->cred.suid &&
		c->gid == p->cred.gid && c->gid == p->cred.egid && c->gid == p->cred.sgid);
}

static int64_t
do_prlimit(int pid, unsigned resource, uint64_t unew, uint64_t uold)
{
	struct proc *p = pid ? proc_find(pid) : proc_current();
	struct rlimit_abi lim;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (unew && copy_from_user(&lim, unew, sizeof(lim)) < 0)
		return -EFAULT;
	if (pid < 0 || !p || p->state == P_ZOMBIE)
		return -ESRCH;
	if (!may_touch(p))
		return -EPERM;
	if (unew) {
		struct rlimit_abi *cur = &p->rlim[resource];

		if (lim.rlim_cur > lim.rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && lim.rlim_max > NOFILE_HARD)
			return -EPERM;
		if (lim.rlim_max > cur->rlim_max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (uold && copy_to_user(uold, &p->rlim[resource], sizeof(lim)) < 0)
		return -EFAULT;
	if (unew)
		p->rlim[resource] = lim;
	return 0;
}

SYSCALL(prlimit64, 4)
{
	return do_prlimit((int)a0, (unsigned)a1, a2, a3);
}

SYSCALL(getrlimit, 4)
{
	return do_prlimit(0, (unsigned)a0, 0, a1);
}

SYSCALL(setrlimit, 4)
{
	return do_prlimit(0, (unsigned)a0, a1, 0);
}
