/*
 * What a process may do whoever it is (lab 7): capabilities in Linux's
 * model (security/commoncap.c). Three sets per process: effective (what
 * capable() looks at), permitted (what it may make effective) and
 * inheritable (what an exec may keep), bounded by the bounding set.
 * Root holds them all; a uid change away from root drops them (unless
 * SECBIT_KEEP_CAPS), a change back restores the effective set from the
 * permitted one; exec recomputes them: a program run by root, or
 * set-user-ID root, gets the bounding set. PR_SET_NO_NEW_PRIVS stops an
 * exec from ever granting more.
 */
#include <kerrno.h>
#include <kstring.h>
#include <kprintf.h>
#include <ksyscall.h>
#include <power.h>
#include <proc.h>
#include <exec.h>
#include <usercopy.h>
#include <vfs.h>
#include "security_internal.h"

/* The capabilities of the file system (Linux's CAP_FS_MASK): setfsuid moves them. */
#define CAP_FS_SET	(CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_DAC_OVERRIDE) | \
			 CAP_BIT(CAP_DAC_READ_SEARCH) | CAP_BIT(CAP_FOWNER) |		\
			 CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_MAC_OVERRIDE))

bool
cred_capable(const struct cred *c, int cap)
{
	return cap_valid(cap) && (c->cap_effective & CAP_BIT(cap));
}

void
cap_fix_setuid(struct cred *new, const struct cred *old, enum setid_kind kind)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (kind == SETID_FS) {
		if (old->fsuid == 0 && new->fsuid != 0)
			new->cap_effective &= ~CAP_FS_SET;
		if (old->fsuid != 0 && new->fsuid == 0)
			new->cap_effective |= new->cap_permitted & CAP_FS_SET;
		return;
	}
	bool had_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
	bool has_root = new->uid == 0 || new->euid == 0 || new->suid == 0;
	if (had_root && !has_root && !(old->securebits & SECBIT_KEEP_CAPS))
		new->cap_permitted = new->cap_effective = 0;
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

/* access(): root's capabilities for a real root, none for anyone else. */
void
cap_access_caps(struct cred *c)
{
	if (c->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	c->cap_effective = c->uid == 0 ? c->cap_permitted : 0;
}

#if SOL >= 7
/* The new program's ids and capabilities (bprm_fill_uid, cap_bprm_creds_from_file). */
void
cap_exec_creds(struct exec_request *req)
{
	const struct cred *old = &req->p->cred;
	struct cred *new = &req->cred;
	uint32_t mode = req->file.mode;

	if (!old->no_new_privs && !req->file.nosuid) {
		if (mode & S_ISUID)
			new->euid = req->file.uid;
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			new->egid = req->file.gid;
	}
	bool effective = false;
	if (!(old->securebits & SECBIT_NOROOT) && (new->euid == 0 || new->uid == 0)) {
		new->cap_permitted = old->cap_bset | old->cap_inheritable;
		effective = new->euid == 0;
	} else {
		new->cap_permitted = 0;
	}
	bool setid = new->euid != old->uid || new->egid != old->gid;
	if ((setid || (new->cap_permitted & ~old->cap_permitted)) && old->no_new_privs) {
		new->euid = new->uid;
		new->egid = new->gid;
		new->cap_permitted &= old->cap_permitted;
	}
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	new->cap_effective = effective ? new->cap_permitted : 0;
	new->securebits &= ~SECBIT_KEEP_CAPS;
	req->secure = setid || (new->uid != 0 && (effective || new->cap_permitted));
}
#else
void
cap_exec_creds(struct exec_request *req)
{
	/* LAB 7: your code here. req->cred starts as a copy of the caller's
	 * (req->p->cred); make it what the program runs as, as Linux does:
	 *  - unless no_new_privs or a nosuid mount, S_ISUID in req->file.mode
	 *    makes the effective uid the file's (req->file.uid), and
	 *    S_ISGID with S_IXGRP the effective gid req->file.gid;
	 *  - a root program (real or effective uid 0, no SECBIT_NOROOT)
	 *    gets the bounding and inheritable sets as permitted, and as
	 *    effective too if its effective uid is 0; anyone else: none;
	 *  - with no_new_privs, ids or capabilities it would gain are not
	 *    given (euid/egid stay the real ones, permitted only the old);
	 *  - the saved and fs ids follow the effective ones;
	 *  - SECBIT_KEEP_CAPS is cleared;
	 *  - req->secure (AT_SECURE) when the ids changed, or a non-root
	 *    real user got capabilities. */
	(void)req;
}
#endif

/* The calls that read and set the caller's capability sets. */
#define CAP_V1		0x19980330
#define CAP_V2		0x20071026
#define CAP_V3		0x20080522

struct cap_header_abi {
	uint32_t version;
	int32_t pid;
};

struct cap_data_abi {
	uint32_t effective, permitted, inheritable;
};

/* The number of cap_data_abi a version takes; -EINVAL (the header told V3) if unknown. */
static int
cap_words(uint64_t uhdr, struct cap_header_abi *h)
{
	if (copy_from_user(h, uhdr, sizeof(*h)) < 0)
		return -EFAULT;
	if (h->version == CAP_V1)
		return 1;
	if (h->version == CAP_V2 || h->version == CAP_V3)
		return 2;
	uint32_t v3 = CAP_V3;
	return copy_to_user(uhdr, &v3, sizeof(v3)) < 0 ? -EFAULT : -EINVAL;
}

SYSCALL(capget, 7)
{
	struct cap_header_abi h;
	int n = cap_words(a0, &h);

	if (!a1 || n < 0)
		return !a1 && n == -EINVAL ? 0 : n < 0 ? n : 0;
	if (h.pid < 0)
		return -EINVAL;
	struct proc *p = h.pid ? proc_find(h.pid) : proc_current();
	if (!p || p->state == P_ZOMBIE)
		return -ESRCH;
	const struct cred *c = &p->cred;
	struct cap_data_abi d[2];
	for (int i = 0; i < 2; i++)
		d[i] = (struct cap_data_abi){ (uint32_t)(c->cap_effective >> 32 * i),
					      (uint32_t)(c->cap_permitted >> 32 * i),
					      (uint32_t)(c->cap_inheritable >> 32 * i) };
	return copy_to_user(a1, d, sizeof(d[0]) * (size_t)n);
}

SYSCALL(capset, 7)
{
	struct cap_header_abi h;
	struct cap_data_abi d[2] = { 0 };
	struct cred *c = &proc_current()->cred;
	int n = cap_words(a0, &h);

	if (n < 0)
		return n;
	if (h.pid != 0 && h.pid != proc_current()->pid)
		return -EPERM;
	if (copy_from_user(d, a1, sizeof(d[0]) * (size_t)n) < 0)
		return -EFAULT;
	uint64_t e = (d[0].effective | (uint64_t)d[1].effective << 32) & CAP_FULL_SET;
	uint64_t pm = (d[0].permitted | (uint64_t)d[1].permitted << 32) & CAP_FULL_SET;
	uint64_t i = (d[0].inheritable | (uint64_t)d[1].inheritable << 32) & CAP_FULL_SET;
	/* Inheritable grows only within permitted (or with CAP_SETPCAP) and the bounding set. */
	if (!cred_capable(c, CAP_SETPCAP) && (i & ~(c->cap_inheritable | c->cap_permitted)))
		return -EPERM;
	if (i & ~(c->cap_inheritable | c->cap_bset))
		return -EPERM;
	if (pm & ~c->cap_permitted)
		return -EPERM;		/* permitted only shrinks: for good */
	if (e & ~pm)
		return -EPERM;
	c->cap_effective = e;
	c->cap_permitted = pm;
	c->cap_inheritable = i;
	return 0;
}

#define PR_GET_KEEPCAPS		7
#define PR_SET_KEEPCAPS		8
#define PR_CAPBSET_READ		23
#define PR_CAPBSET_DROP		24
#define PR_GET_SECUREBITS	27
#define PR_SET_SECUREBITS	28
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

/* PR_SET_SECUREBITS: CAP_SETPCAP; a locked bit stays; the lock bits only get set. */
static int
set_securebits(struct cred *c, uint64_t bits)
{
	unsigned locked = (c->securebits & 0x2a) >> 1;	/* each lock bit guards the one below */

	if (bits > 0x3f || ((c->securebits ^ bits) & locked) || (c->securebits & ~bits & 0x2a))
		return -EPERM;
	if (!cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = (unsigned)bits;
	return 0;
}

/* prctl's options of credentials (lab 4's prctl asks here for what it does not know). */
int64_t
cap_prctl(int option, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct cred *c = &proc_current()->cred;

	switch (option) {
	case PR_SET_NO_NEW_PRIVS:
		if (a1 != 1 || a2 || a3 || a4)
			return -EINVAL;
		c->no_new_privs = true;		/* for good, and for its children */
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a1 || a2 || a3 || a4)
			return -EINVAL;
		return c->no_new_privs;
	case PR_GET_KEEPCAPS:
		return !!(c->securebits & SECBIT_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (a1 > 1)
			return -EINVAL;
		if (c->securebits & SECBIT_KEEP_CAPS_LOCKED)
			return -EPERM;
		c->securebits = a1 ? c->securebits | SECBIT_KEEP_CAPS :
				     c->securebits & ~SECBIT_KEEP_CAPS;
		return 0;
	case PR_CAPBSET_READ:
		if (a1 > CAP_LAST_CAP)
			return -EINVAL;
		return !!(c->cap_bset & CAP_BIT(a1));
	case PR_CAPBSET_DROP:
		if (!cred_capable(c, CAP_SETPCAP))
			return -EPERM;
		if (a1 > CAP_LAST_CAP)
			return -EINVAL;
		c->cap_bset &= ~CAP_BIT(a1);
		return 0;
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_SET_SECUREBITS:
		return set_securebits(c, a1);
	default:
		return -EINVAL;
	}
}

/* reboot(2): Linux's magic numbers and commands. */
#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_MAGIC2		672274793
#define REBOOT_MAGIC2A		85072278
#define REBOOT_MAGIC2B		369367448
#define REBOOT_MAGIC2C		537993216
#define REBOOT_CMD_RESTART	0x01234567
#define REBOOT_CMD_HALT		0xCDEF0123
#define REBOOT_CMD_CAD_ON	0x89ABCDEF
#define REBOOT_CMD_CAD_OFF	0x00000000
#define REBOOT_CMD_POWER_OFF	0x4321FEDC

SYSCALL(reboot, 7)
{
	uint32_t magic2 = (uint32_t)a1, cmd = (uint32_t)a2;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if ((uint32_t)a0 != REBOOT_MAGIC1 ||
	    (magic2 != REBOOT_MAGIC2 && magic2 != REBOOT_MAGIC2A &&
	     magic2 != REBOOT_MAGIC2B && magic2 != REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_CAD_ON:
	case REBOOT_CMD_CAD_OFF:
		return 0;		/* Ctrl-Alt-Del does nothing here either way */
	case REBOOT_CMD_RESTART:
		kprintf("reboot: Restarting system\n");
		power_reboot();
	case REBOOT_CMD_HALT:
	case REBOOT_CMD_POWER_OFF:
		kprintf("reboot: Power down\n");
		power_off(POWER_OK);
	default:
		return -EINVAL;
	}
}
