/* errno_name(): "ENOENT" for -2, for messages a student can read. */
#include <kerrno.h>

static const char *const names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT",
	[ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
	[EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [ENFILE] = "ENFILE",
	[EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY", [ETXTBSY] = "ETXTBSY",
	[EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE",
	[EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE", [EDOM] = "EDOM",
	[ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [EIDRM] = "EIDRM",
	[ENODATA] = "ENODATA", [ETIME] = "ETIME", [EBADMSG] = "EBADMSG",
	[EOVERFLOW] = "EOVERFLOW", [EILSEQ] = "EILSEQ", [ENOTSOCK] = "ENOTSOCK",
	[EMSGSIZE] = "EMSGSIZE", [ENOPROTOOPT] = "ENOPROTOOPT",
	[EOPNOTSUPP] = "EOPNOTSUPP", [EAFNOSUPPORT] = "EAFNOSUPPORT",
	[EADDRINUSE] = "EADDRINUSE", [ETIMEDOUT] = "ETIMEDOUT",
	[ECONNREFUSED] = "ECONNREFUSED", [EALREADY] = "EALREADY",
	[EINPROGRESS] = "EINPROGRESS", [ECANCELED] = "ECANCELED", [ENOKEY] = "ENOKEY",
	[EOWNERDEAD] = "EOWNERDEAD",
};

const char *
errno_name(int err)
{
	if (err < 0)
		err = -err;
	if ((unsigned)err < sizeof(names) / sizeof(names[0]) && names[err])
		return names[err];
	return "an unknown error";
}
