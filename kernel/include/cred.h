/*
 * Credentials in Linux's model: who a process is (real, effective, saved
 * and file-system user and group ids, supplementary groups) and what it
 * may do regardless (capabilities). Until lab 7 everyone is root and
 * capable() asks only that; lab 7 (kernel/security/) registers the real
 * rules with security_set_ops, so nothing below names it.
 *
 *   real uid      who started it; kill() and access() look at it
 *   effective     whom it acts as: new files, signals it may send, ipc
 *   saved         what a set*id call may switch back to
 *   fs            whom the file-permission checks see (effective, unless setfsuid)
 */
#ifndef NEXA_CRED_H
#define NEXA_CRED_H

#include <stdbool.h>
#include <stdint.h>

#define NGROUPS_MAX	65536		/* supplementary groups (Linux's limit) */

/* The capabilities (linux/capability.h); CAP_LAST_CAP is Linux 6.1's. */
#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_DAC_READ_SEARCH	2
#define CAP_FOWNER		3
#define CAP_FSETID		4
#define CAP_KILL		5
#define CAP_SETGID		6
#define CAP_SETUID		7
#define CAP_SETPCAP		8
#define CAP_NET_BIND_SERVICE	10
#define CAP_IPC_OWNER		15
#define CAP_SYS_CHROOT		18
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_BOOT		22
#define CAP_SYS_RESOURCE	24
#define CAP_SYS_TIME		25
#define CAP_MKNOD		27
#define CAP_MAC_OVERRIDE	32
#define CAP_SYSLOG		34
#define CAP_LAST_CAP		40
#define CAP_BIT(c)		(1ULL << (c))
#define CAP_FULL_SET		((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define cap_valid(c)		((c) >= 0 && (c) <= CAP_LAST_CAP)

/* securebits (linux/securebits.h) */
#define SECBIT_NOROOT			(1u << 0)
#define SECBIT_NOROOT_LOCKED		(1u << 1)
#define SECBIT_NO_SETUID_FIXUP		(1u << 2)
#define SECBIT_NO_SETUID_FIXUP_LOCKED	(1u << 3)
#define SECBIT_KEEP_CAPS		(1u << 4)
#define SECBIT_KEEP_CAPS_LOCKED		(1u << 5)

/* Supplementary groups, sorted, shared (read-only) by the creds that hold a reference. */
struct group_info {
	unsigned refs;
	unsigned ngroups;
	uint32_t gid[];
};

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	struct group_info *groups;	/* NULL: no supplementary group */
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_bset;
	unsigned securebits;
	bool no_new_privs;		/* PR_SET_NO_NEW_PRIVS: exec never grants more */
};

/* A new reference to c's groups (a copy of c was made: fork). */
void cred_get(struct cred *c);
/* Drops c's reference to its groups (c goes: exit, a failed fork). */
void cred_put(struct cred *c);
/* Whether the caller's fs gid or one of its groups is gid (permission checks). */
bool in_group_p(uint32_t gid);
/* Whether the caller holds capability cap (before lab 7: whether it is root). */
bool capable(int cap);

/*
 * The owner/group/other rwx check of an object with mode, uid and gid
 * (a file, a channel) for the caller: 0 or -EACCES. mask is rwx as in
 * a mode's low bits: 4 read, 2 write, 1 execute/search.
 */
int mode_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask);

struct proc;
struct exec_request;

/*
 * What lab 7 plugs in (security_set_ops); a NULL member keeps the
 * default, which is what NexaOS did while everyone was root.
 */
struct security_ops {
	bool (*capable)(const struct cred *c, int cap);
	int (*permission)(uint32_t mode, uint32_t uid, uint32_t gid, int mask);
	/* The new program's credentials in req->cred (set-user-ID bits), before it is loaded. */
	void (*exec_creds)(struct exec_request *req);
	/* May the caller send sig to target? 0 or -EPERM. */
	int (*may_signal)(struct proc *target, int sig);
	/* access(): c's effective capabilities as the real uid would have them. */
	void (*access_caps)(struct cred *c);
	/* prctl's options of credentials (no_new_privs, capabilities); -EINVAL for others. */
	int64_t (*prctl)(int option, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
};
void security_set_ops(const struct security_ops *ops);
extern const struct security_ops *security_ops;

/* The registered hooks, or their defaults. */
void security_exec_creds(struct exec_request *req);
int security_may_signal(struct proc *target, int sig);
void security_access_caps(struct cred *c);
int64_t security_prctl(int option, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

#endif
