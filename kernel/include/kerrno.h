/* Error numbers: Linux's values, returned negated (-ENOMEM). */
#ifndef NEXA_KERRNO_H
#define NEXA_KERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define ENOTBLK		15
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ETXTBSY		26
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENAMETOOLONG	36
#define ENOLCK		37
#define ENOSYS		38
#define ENOTEMPTY	39
#define ELOOP		40
#define ENOMSG		42
#define EIDRM		43
#define ENODATA		61
#define ETIME		62
#define EBADMSG		74
#define EOVERFLOW	75
#define EILSEQ		84
#define ENOTSOCK	88
#define EMSGSIZE	90
#define ENOPROTOOPT	92
#define EOPNOTSUPP	95
#define EAFNOSUPPORT	97
#define EADDRINUSE	98
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EALREADY	114
#define EINPROGRESS	115
#define ECANCELED	125
#define ENOKEY		126
#define EOWNERDEAD	130
#define EWOULDBLOCK	EAGAIN
#define ENOTSUP		EOPNOTSUPP

/*
 * A blocking call a signal interrupted, as Linux codes it: never seen by
 * user space. On the way back it becomes EINTR, or the call runs again
 * (ERESTARTSYS when the handler has SA_RESTART or no handler ran;
 * ERESTARTNOHAND only when no handler ran; ERESTARTNOINTR always).
 */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#define ERESTART_RESTARTBLOCK 516	/* run restart_syscall instead (nanosleep's rest) */

#ifndef __ASSEMBLER__
/* The name of an error number (either sign): "ENOENT". */
const char *errno_name(int err);
#endif

#endif
