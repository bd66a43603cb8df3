/*
 * Linux x86_64 ABI structures and constants that user programs pass to
 * system calls. The layouts are Linux's, byte for byte, so the same
 * static binary runs on both kernels.
 */
#ifndef NEXA_ABI_H
#define NEXA_ABI_H

#include <stdint.h>

struct timespec_abi {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct iovec_abi {
	uint64_t base;
	uint64_t len;
};

struct utsname_abi {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
	     domainname[65];
};

struct winsize_abi {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct termios_abi {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

struct sysinfo_abi {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};

/* clone(2) flags: the ones a fork or a vfork uses. */
#define CSIGNAL			0x000000FF	/* the signal the parent gets at exit */
#define CLONE_VM		0x00000100
#define CLONE_VFORK		0x00004000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

/* open(2) flags (octal, as Linux x86_64). */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define O_ASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define O_SYNC		04010000
#define O_PATH		010000000
#define O_TMPFILE	020200000

/* The *at calls. */
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_STATX_SYNC_TYPE	0x6000
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4

/* fcntl. */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_DUPFD_CLOEXEC	1030
#define F_GETPIPE_SZ	1032
#define FD_CLOEXEC	1

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* access(2). */
#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

/* poll(2). */
#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLRDBAND	0x080
#define POLLWRNORM	0x100
#define POLLWRBAND	0x200
#define POLLRDHUP	0x2000

struct pollfd_abi {
	int32_t fd;
	int16_t events, revents;
};

/* struct stat of x86_64. */
struct stat_abi {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	struct timespec_abi st_atim, st_mtim, st_ctim;
	int64_t reserved[3];
};

struct statx_timestamp_abi {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct statx_abi {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp_abi stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare[12];
};

#define STATX_BASIC_STATS	0x7FF
#define STATX_MNT_ID		0x1000

struct statfs_abi {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};

/* getdents64's record. */
struct dirent64_abi {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

/* utimensat. */
#define UTIME_NOW	((1L << 30) - 1)
#define UTIME_OMIT	((1L << 30) - 2)

/* mount(2) flags. */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_REMOUNT	32
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_SILENT	32768
#define MS_MGC_VAL	0xC0ED0000
#define MS_MGC_MSK	0xFFFF0000

/* Resource limits. */
struct rlimit_abi {
	uint64_t rlim_cur, rlim_max;
};

#define RLIM_INFINITY	(~0UL)
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#define RLIMIT_LOCKS	10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	12
#define RLIMIT_NICE	13
#define RLIMIT_RTPRIO	14
#define RLIMIT_RTTIME	15
#define RLIM_NLIMITS	16

/* getrandom(2). */
#define GRND_NONBLOCK	1
#define GRND_RANDOM	2
#define GRND_INSECURE	4

/* ioctl requests on a terminal. */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCEXCL	0x540C
#define TIOCNXCL	0x540D
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429
#define FIONBIO		0x5421
#define FIOCLEX		0x5451
#define FIONCLEX	0x5450

/* clock_gettime clocks. */
#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11
#define TIMER_ABSTIME		1
/* A negative clock id names the CPU clock of a process or thread:
 * ~pid << 3 | (per thread ? 4 : 0) | (PROF 0, VIRT 1, SCHED 2). */
#define CPUCLOCK_PID(id)	(~((id) >> 3))
#define CPUCLOCK_PERTHREAD	4
#define CPUCLOCK_WHICH(id)	((id) & 3)
#define CPUCLOCK_PROF		0
#define CPUCLOCK_VIRT		1
#define CPUCLOCK_SCHED		2

/* mmap. */
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_TYPE	0x0F
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_SHARED_VALIDATE 0x03
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_POPULATE	0x8000
#define MAP_STACK	0x20000
#define MAP_NORESERVE	0x4000
#define MAP_FIXED_NOREPLACE 0x100000

/* wait4 options and status words. */
#define WNOHANG		1
#define WUNTRACED	2
#define WCONTINUED	8
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000
#define W_EXITCODE(code, sig)	(((code) & 0xFF) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | 0x7F)
#define W_CONTINUED		0xFFFF
#define WCOREFLAG		0x80

struct timeval_abi {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct rusage_abi {
	struct timeval_abi ru_utime, ru_stime;
	int64_t ru_maxrss;	/* KiB */
	int64_t ru_ixrss, ru_idrss, ru_isrss;
	int64_t ru_minflt, ru_majflt, ru_nswap, ru_inblock, ru_oublock;
	int64_t ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

struct tms_abi {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;	/* clock ticks */
};

#define USER_HZ		100	/* clock ticks per second as user space counts them */

/* arch_prctl. */
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define ARCH_GET_CPUID	0x1011

/* The auxiliary vector's keys. */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33	/* the vDSO */

/* Signals (the numbers of Linux x86_64). */
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define NSIG		64	/* signals are 1 ... NSIG */
#define SIGBIT(sig)	(1UL << ((sig) - 1))

/* rt_sigprocmask. */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* rt_sigaction: the kernel's struct sigaction of x86_64, and its flags. */
struct k_sigaction_abi {
	uint64_t handler;		/* SIG_DFL (0), SIG_IGN (1) or a function */
	uint64_t flags;
	uint64_t restorer;		/* where the handler returns: rt_sigreturn's caller */
	uint64_t mask;			/* blocked while the handler runs */
};

#define SIG_DFL_ABI	0
#define SIG_IGN_ABI	1
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* sigaltstack's stack_t. */
struct stack_abi {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

/* siginfo_t: 128 bytes; the fields a NexaOS signal carries. */
struct siginfo_abi {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct {			/* kill, SIGCHLD */
			int32_t pid;
			uint32_t uid;
			int32_t status;		/* SIGCHLD */
			int32_t pad2;
			int64_t utime, stime;	/* SIGCHLD */
		} proc;
		struct {			/* SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP */
			uint64_t addr;
		} fault;
		struct {			/* timers */
			int32_t tid, overrun;
			uint64_t value;
		} timer;
		uint8_t pad_to_128[112];
	} f;
};

/* si_code values. */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_TKILL	(-6)
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRERR	2
#define FPE_INTDIV	1
#define FPE_FLTDIV	3
#define ILL_ILLOPN	2
#define TRAP_BRKPT	1

/* itimers. */
struct itimerval_abi {
	struct timeval_abi it_interval, it_value;
};

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

#endif
