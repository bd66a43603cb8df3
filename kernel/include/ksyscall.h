/*
 * System calls: Linux x86_64 numbers and calling convention (number in
 * rax; arguments in rdi, rsi, rdx, r10, r8, r9; result or -errno in rax).
 * NexaOS's own calls take numbers from 500 up.
 */
#ifndef NEXA_KSYSCALL_H
#define NEXA_KSYSCALL_H

#include <stdint.h>
#include <arch/trapframe.h>

#define SYS_read		0
#define SYS_write		1
#define SYS_open		2
#define SYS_close		3
#define SYS_mmap		9
#define SYS_mprotect		10
#define SYS_munmap		11
#define SYS_brk			12
#define SYS_rt_sigaction	13
#define SYS_rt_sigprocmask	14
#define SYS_ioctl		16
#define SYS_readv		19
#define SYS_writev		20
#define SYS_sched_yield		24
#define SYS_mremap		25
#define SYS_madvise		28
#define SYS_nanosleep		35
#define SYS_getpid		39
#define SYS_fork		57
#define SYS_vfork		58
#define SYS_execve		59
#define SYS_exit		60
#define SYS_wait4		61
#define SYS_kill		62
#define SYS_uname		63
#define SYS_gettimeofday	96
#define SYS_getrusage		98
#define SYS_sysinfo		99
#define SYS_times		100
#define SYS_getuid		102
#define SYS_getgid		104
#define SYS_geteuid		107
#define SYS_getegid		108
#define SYS_setpgid		109
#define SYS_getppid		110
#define SYS_getpgrp		111
#define SYS_setsid		112
#define SYS_getpgid		121
#define SYS_getsid		124
#define SYS_arch_prctl		158
#define SYS_gettid		186
#define SYS_tkill		200
#define SYS_time		201
#define SYS_set_tid_address	218
#define SYS_clock_gettime	228
#define SYS_clock_getres	229
#define SYS_clock_nanosleep	230
#define SYS_exit_group		231
#define SYS_tgkill		234
#define NSYSCALLS		512

typedef int64_t (*syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			      uint64_t a4, uint64_t a5);

/* From syscall.S, with interrupts on; the result goes to tf->rax. */
void syscall_dispatch(struct trapframe *tf);

/* The handlers, by subsystem. */
#define SYSCALL(name) int64_t sys_##name(uint64_t a0, uint64_t a1, uint64_t a2, \
					 uint64_t a3, uint64_t a4, uint64_t a5)
SYSCALL(read); SYSCALL(write); SYSCALL(readv); SYSCALL(writev); SYSCALL(ioctl);
SYSCALL(mmap); SYSCALL(mprotect); SYSCALL(munmap); SYSCALL(brk); SYSCALL(mremap);
SYSCALL(madvise);
SYSCALL(fork); SYSCALL(execve); SYSCALL(exit); SYSCALL(wait4);
SYSCALL(kill); SYSCALL(getpid); SYSCALL(getppid);
SYSCALL(sched_yield); SYSCALL(nanosleep); SYSCALL(clock_nanosleep);
SYSCALL(clock_gettime); SYSCALL(uname); SYSCALL(sysinfo); SYSCALL(arch_prctl);
SYSCALL(set_tid_address); SYSCALL(rt_sigprocmask); SYSCALL(rt_sigaction);
SYSCALL(getuid); SYSCALL(getgid); SYSCALL(geteuid); SYSCALL(getegid);
SYSCALL(tkill); SYSCALL(tgkill); SYSCALL(getpgid); SYSCALL(getpgrp); SYSCALL(getsid);
SYSCALL(setpgid); SYSCALL(setsid);
SYSCALL(clock_getres); SYSCALL(gettimeofday); SYSCALL(time); SYSCALL(times);
SYSCALL(getrusage);

#endif
