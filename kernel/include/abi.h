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

/* ioctl requests on a terminal. */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540F
#define TIOCGWINSZ	0x5413

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

#endif
