/* The registers an interrupt or exception leaves on the stack (vectors.S). */
#ifndef NEXA_ARCH_TRAPFRAME_H
#define NEXA_ARCH_TRAPFRAME_H

/*
 *   ss, rsp, rflags, cs, rip    pushed by the CPU
 *   error                       pushed by the CPU, or 0 by the stub
 *   vector                      pushed by the stub
 *   rax ... r15                 pushed by trap_common
 */
/* Offsets into struct trapframe for the assembly (checked below). */
#define TF_R11		0x20
#define TF_RCX		0x60
#define TF_RIP		0x88
#define TF_RFLAGS	0x98
#define TF_RSP		0xA0
/* The stub's own pushes: the distance from vector to cs before the registers go on. */
#define TF_STUB_CS	0x18

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

_Static_assert(__builtin_offsetof(struct trapframe, r11) == TF_R11, "TF_R11");
_Static_assert(__builtin_offsetof(struct trapframe, rcx) == TF_RCX, "TF_RCX");
_Static_assert(__builtin_offsetof(struct trapframe, rip) == TF_RIP, "TF_RIP");
_Static_assert(__builtin_offsetof(struct trapframe, rflags) == TF_RFLAGS, "TF_RFLAGS");
_Static_assert(__builtin_offsetof(struct trapframe, rsp) == TF_RSP, "TF_RSP");
_Static_assert(__builtin_offsetof(struct trapframe, cs) -
	       __builtin_offsetof(struct trapframe, vector) == TF_STUB_CS, "TF_STUB_CS");

/* Called by trap_common for every interrupt and exception. */
void trap(struct trapframe *tf);
const char *exception_name(unsigned vector);	/* "page fault" */

/* Lab 3: if va lies in a kernel stack's guard page, that stack's bottom. */
void trap_set_guard_hook(uint64_t (*guard_hit)(uint64_t va));
/*
 * Lab 4: exception() handles an exception that concerns user memory
 * (false: the kernel's own); leave() runs before every return to user
 * mode (signals, preemption).
 */
void trap_set_user_hooks(bool (*exception)(struct trapframe *tf, uint64_t cr2),
			 void (*leave)(struct trapframe *tf));
#endif

#endif
