/*
 * The per-CPU area, reached through GS in the kernel. On entry from user
 * mode, swapgs makes GS point here; the syscall entry needs it before it
 * has a stack, to find the kernel stack (PERCPU_KERNEL_RSP).
 */
#ifndef NEXA_ARCH_PERCPU_H
#define NEXA_ARCH_PERCPU_H

#define PERCPU_KERNEL_RSP	0	/* offsets, for syscall.S */
#define PERCPU_USER_RSP		8

#define MSR_EFER		0xC0000080
#define MSR_STAR		0xC0000081
#define MSR_LSTAR		0xC0000082
#define MSR_FMASK		0xC0000084
#define MSR_FS_BASE		0xC0000100
#define MSR_GS_BASE		0xC0000101
#define MSR_KERNEL_GS_BASE	0xC0000102
#define EFER_SCE		(1 << 0)

#define T_SYSCALL		256	/* trapframe vector of a system call */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <arch/trapframe.h>

struct proc;

struct percpu {
	uint64_t kernel_rsp;	/* top of the current process's kernel stack */
	uint64_t user_rsp;	/* scratch for the syscall entry */
	struct proc *proc;	/* the current process */
};

extern struct percpu cpu0;

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* The CPU side of a process switch: kernel stack, TLS, FPU registers. */
void cpu_switch_user_state(uint64_t kstack_top, uint64_t fs_base);
void fpu_save(void *area);		/* fxsave: 512 bytes, 16-byte aligned */
void fpu_restore(const void *area);
void fpu_init_state(void *area);	/* a clean FPU/SSE state for a new program */

/* Turns on syscall/sysret, the per-CPU area, the FPU and SSE. */
void cpu_user_init(void);

/* Enters user mode with the registers of tf (at the top of the kernel stack). */
__attribute__((noreturn)) void user_enter(struct trapframe *tf);
#endif

#endif
