/* Signal frames on the user stack, as x86_64 Linux lays them out (sigframe.c). */
#ifndef NEXA_ARCH_SIGFRAME_H
#define NEXA_ARCH_SIGFRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <abi.h>
#include <arch/trapframe.h>

struct sigframe_args {
	uint64_t handler, restorer;	/* sa_handler, sa_restorer */
	uint64_t oldmask;		/* the mask the frame gives back */
	uint64_t fault_addr;		/* cr2 for a page fault, else 0 */
	bool onstack;			/* SA_ONSTACK: on the alternate stack if there is one */
	const struct stack_abi *altstack;	/* NULL: none */
	const struct siginfo_abi *info;
};

/*
 * Pushes a frame for the handler on the user stack (or the alternate
 * one) and points tf at the handler: 0, or -EFAULT if the stack cannot
 * take it (the process then dies of SIGSEGV, as on Linux).
 */
int sigframe_build(struct trapframe *tf, const struct sigframe_args *a);

/*
 * rt_sigreturn: the registers, FPU state, mask and stack state of the
 * frame below tf->rsp, checked; -EFAULT for a frame that is not one.
 */
int sigframe_return(struct trapframe *tf, uint64_t *mask, struct stack_abi *stack);

#endif
