/*
 * swtch(&old->ctx_rsp, new->ctx_rsp): the kernel-to-kernel context
 * switch. The callee-saved registers go on the old stack, its rsp into
 * *old; then the new stack is loaded and its registers popped, and ret
 * returns to wherever the new process called swtch (or, for a process
 * that never ran, to the start address proc.c left there).
 */
	.text
	.globl swtch
swtch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
