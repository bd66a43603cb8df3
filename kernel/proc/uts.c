/*
 * The machine's names: uname, and the host and domain names that root
 * may change (sethostname, setdomainname; /proc/sys/kernel/hostname).
 */
#include <kerrno.h>
#include <kstring.h>
#include <ksyscall.h>
#include <param.h>
#include <proc.h>
#include <usercopy.h>

#define UTS_LEN		64	/* Linux's __NEW_UTS_LEN */

static char nodename[UTS_LEN + 1] = "nexa";
static char domainname[UTS_LEN + 1] = "(none)";

const char *
uts_nodename(void)
{
	return nodename;
}

SYSCALL(uname, 4)
{
	struct utsname_abi u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "NexaOS", sizeof(u.sysname));
	strlcpy(u.nodename, nodename, sizeof(u.nodename));
	strlcpy(u.release, NEXA_VERSION, sizeof(u.release));
	strlcpy(u.version, "#1 " __DATE__, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, domainname, sizeof(u.domainname));
	return copy_to_user(a0, &u, sizeof(u));
}

/* A new name of len bytes (no NUL needed) from user memory: root only. */
static int64_t
set_name(char *name, uint64_t uname, uint64_t len)
{
	char buf[UTS_LEN];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, uname, len) < 0)
		return -EFAULT;
	memcpy(name, buf, len);
	name[len] = '\0';
	return 0;
}

SYSCALL(sethostname, 4)
{
	return set_name(nodename, a0, a1);
}

SYSCALL(setdomainname, 4)
{
	return set_name(domainname, a0, a1);
}
