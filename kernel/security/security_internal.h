/* What the files of kernel/security (lab 7) share among themselves. */
#ifndef NEXA_SECURITY_INTERNAL_H
#define NEXA_SECURITY_INTERNAL_H

#include <cred.h>

/* Which call changed the uids (Linux's LSM_SETID_*): setuid, setreuid, setresuid, setfsuid. */
enum setid_kind { SETID_ID, SETID_RE, SETID_RES, SETID_FS };

/* Clears or restores new's capabilities after a uid change from old (capability.c). */
void cap_fix_setuid(struct cred *new, const struct cred *old, enum setid_kind kind);
/* access(): c's effective set as its real uid would have it. */
void cap_access_caps(struct cred *c);
int64_t cap_prctl(int option, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
/* The new program's credentials in req->cred, and req->secure. */
struct exec_request;
void cap_exec_creds(struct exec_request *req);
/* Whether c holds cap in its effective set. */
bool cred_capable(const struct cred *c, int cap);
/* The rules of generic_permission (permission.c). */
int generic_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask);

#endif
