/*
 * The per-CPU area, reached through GS in the kernel. On entry from user
 * mode, swapgs makes GS point here; the syscall entry needs it before it
 * has a stack, to find the kernel stack (PERCPU_KERNEL_RSP).
 */
#ifndef NEXA_ARCH_PERCPU_H
#define NEXA_ARCH_PERCPU_H

#define PERCPU_KERNEL_RSP	0	/* offsets, for syscall.S */
#define PERCPU_USER_RSP		8

#define T_SYSCALL		256	/* trapframe vector of a system call */
#define T_SIGRETURN		257	/* ... of one whose registers rt_sigreturn replaced */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <arch/msr.h>
#include <arch/trapframe.h>

struct proc;

struct percpu {
	uint64_t kernel_rsp;	/* top of the current process's kernel stack */
	uint64_t user_rsp;	/* scratch for the syscall entry */
	struct proc *proc;	/* the current process */
};

extern struct percpu cpu0;

/* The CPU side of a process switch: kernel stack, TLS bases (FS, and GS
 * as swapgs will give it back to user mode). */
void cpu_switch_user_state(uint64_t kstack_top, uint64_t fs_base, uint64_t gs_base);
void fpu_save(void *area);		/* fxsave: 512 bytes, 16-byte aligned */
void fpu_restore(const void *area);
void fpu_init_state(void *area);	/* a clean FPU/SSE state for a new program */
void fpu_load_clean(void);		/* the same state, into the registers */

/* Turns on syscall/sysret, the per-CPU area, the FPU and SSE. */
void cpu_user_init(void);

/* Enters user mode with the registers of tf (at the top of the kernel stack). */
__attribute__((noreturn)) void user_enter(struct trapframe *tf);
#endif

#endif
