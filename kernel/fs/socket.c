/*
 * socket and socketpair in a kernel without networking: the answers of a
 * Linux built without any address family (net/socket.c), so that a
 * program probing for one (musl's initgroups asks nscd over AF_UNIX,
 * syslog() opens /dev/log) sees "not supported" and goes on without it.
 */
#include <kerrno.h>
#include <ksyscall.h>

#define NPROTO		46	/* Linux's AF_MAX */
#define SOCK_MAX	11	/* one past SOCK_PACKET */
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	04000
#define SOCK_CLOEXEC	02000000

/* Linux's checks in its order: the flags, the family's range, the type's; then no family. */
static int64_t
no_socket(uint64_t family, uint64_t type)
{
	int fam = (int)family, ty = (int)type;

	if (ty & ~SOCK_TYPE_MASK & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (fam < 0 || fam >= NPROTO)
		return -EAFNOSUPPORT;
	if ((ty & SOCK_TYPE_MASK) >= SOCK_MAX)
		return -EINVAL;
	return -EAFNOSUPPORT;
}

SYSCALL(socket, 5)
{
	return no_socket(a0, a1);
}

SYSCALL(socketpair, 5)
{
	return no_socket(a0, a1);
}
