/*
 * void cpu_save_regs(struct cpu_regs *r)  (layout: arch/cpu.h)
 * Records the caller's registers as they are at the call: rip is the
 * return address, rsp the caller's stack pointer, rdi is clobbered (= r).
 */
	.text
	.globl cpu_save_regs
cpu_save_regs:
	movq %rax, 0x00(%rdi)
	movq %rbx, 0x08(%rdi)
	movq %rcx, 0x10(%rdi)
	movq %rdx, 0x18(%rdi)
	movq %rsi, 0x20(%rdi)
	movq %rdi, 0x28(%rdi)
	movq %rbp, 0x30(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, 0x38(%rdi)
	movq %r8, 0x40(%rdi)
	movq %r9, 0x48(%rdi)
	movq %r10, 0x50(%rdi)
	movq %r11, 0x58(%rdi)
	movq %r12, 0x60(%rdi)
	movq %r13, 0x68(%rdi)
	movq %r14, 0x70(%rdi)
	movq %r15, 0x78(%rdi)
	movq (%rsp), %rax
	movq %rax, 0x80(%rdi)
	pushfq
	popq 0x88(%rdi)
	movq %cr0, %rax
	movq %rax, 0x90(%rdi)
	movq %cr2, %rax
	movq %rax, 0x98(%rdi)
	movq %cr3, %rax
	movq %rax, 0xa0(%rdi)
	movq %cr4, %rax
	movq %rax, 0xa8(%rdi)
	movq 0x00(%rdi), %rax
	ret

/*
 * void call_on_stack(uint64_t top, void (*fn)(void))
 * Runs fn on the stack whose top is top, then returns on our own stack.
 */
	.globl call_on_stack
call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %rdi, %rsp
	callq *%rsi
	movq %rbp, %rsp
	popq %rbp
	ret
