/* The registers an interrupt or exception leaves on the stack (vectors.S). */
#ifndef NEXA_ARCH_TRAPFRAME_H
#define NEXA_ARCH_TRAPFRAME_H

#include <stdint.h>

/*
 *   ss, rsp, rflags, cs, rip    pushed by the CPU
 *   error                       pushed by the CPU, or 0 by the stub
 *   vector                      pushed by the stub
 *   rax ... r15                 pushed by trap_common
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Called by trap_common for every interrupt and exception. */
void trap(struct trapframe *tf);

#endif
