/* The system call table and its dispatcher. */
#include <compiler.h>
#include <kerrno.h>
#include <proc.h>
#include <ksyscall.h>

static const syscall_fn syscalls[NSYSCALLS] = {
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_mmap] = sys_mmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_munmap] = sys_munmap,
	[SYS_brk] = sys_brk,
	[SYS_rt_sigaction] = sys_rt_sigaction,
	[SYS_rt_sigprocmask] = sys_rt_sigprocmask,
	[SYS_ioctl] = sys_ioctl,
	[SYS_readv] = sys_readv,
	[SYS_writev] = sys_writev,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_mremap] = sys_mremap,
	[SYS_madvise] = sys_madvise,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_getpid] = sys_getpid,
	[SYS_fork] = sys_fork,
	[SYS_vfork] = sys_fork,		/* a vfork child may do all a fork child does */
	[SYS_execve] = sys_execve,
	[SYS_exit] = sys_exit,
	[SYS_wait4] = sys_wait4,
	[SYS_kill] = sys_kill,
	[SYS_uname] = sys_uname,
	[SYS_sysinfo] = sys_sysinfo,
	[SYS_getuid] = sys_getuid,
	[SYS_getgid] = sys_getgid,
	[SYS_geteuid] = sys_geteuid,
	[SYS_getegid] = sys_getegid,
	[SYS_getppid] = sys_getppid,
	[SYS_arch_prctl] = sys_arch_prctl,
	[SYS_gettid] = sys_getpid,	/* one thread per process: its id is the pid */
	[SYS_set_tid_address] = sys_set_tid_address,
	[SYS_clock_gettime] = sys_clock_gettime,
	[SYS_clock_nanosleep] = sys_clock_nanosleep,
	[SYS_exit_group] = sys_exit,	/* one thread per process: the same thing */
	[SYS_gettimeofday] = sys_gettimeofday,
	[SYS_getrusage] = sys_getrusage,
	[SYS_times] = sys_times,
	[SYS_setpgid] = sys_setpgid,
	[SYS_getpgrp] = sys_getpgrp,
	[SYS_setsid] = sys_setsid,
	[SYS_getpgid] = sys_getpgid,
	[SYS_getsid] = sys_getsid,
	[SYS_tkill] = sys_tkill,
	[SYS_time] = sys_time,
	[SYS_clock_getres] = sys_clock_getres,
	[SYS_tgkill] = sys_tgkill,
};

#if SOL >= 4
void
syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	if (nr < NSYSCALLS && syscalls[nr])
		tf->rax = (uint64_t)syscalls[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10,
						 tf->r8, tf->r9);
	else
		tf->rax = (uint64_t)-ENOSYS;
	proc_return_to_user(tf);
}
#else
void
syscall_dispatch(struct trapframe *tf)
{
	/* LAB 4: your code here. Call the handler of syscalls[tf->rax] with
	 * the arguments of the Linux convention (rdi, rsi, rdx, r10, r8, r9),
	 * put its result in tf->rax (-ENOSYS for an unknown number), then
	 * proc_return_to_user(tf). */
	(void)syscalls;
	tf->rax = (uint64_t)-ENOSYS;
	proc_return_to_user(tf);
}
#endif
