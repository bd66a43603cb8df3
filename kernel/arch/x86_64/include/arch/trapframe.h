/* The registers an interrupt or exception leaves on the stack (vectors.S). */
#ifndef NEXA_ARCH_TRAPFRAME_H
#define NEXA_ARCH_TRAPFRAME_H

/*
 *   ss, rsp, rflags, cs, rip    pushed by the CPU
 *   error                       pushed by the CPU, or 0 by the stub
 *   vector                      pushed by the stub
 *   rax ... r15                 pushed by trap_common
 */
#ifdef __ASSEMBLER__
/* Push and pop the general registers in struct trapframe's order. */
	.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm
#else
#include <stdbool.h>
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Called by trap_common for every interrupt and exception. */
void trap(struct trapframe *tf);
const char *exception_name(unsigned vector);	/* "page fault" */
#if STAGE >= 4
/* An exception that concerns a user program; false: the kernel's own (trap_user.c). */
bool trap_user_fault(struct trapframe *tf);
#endif
#endif

#endif
