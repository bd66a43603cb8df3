/*
 * The 256 interrupt entry points. Each stub makes the stack look the same
 * (an error code, then the vector number) and jumps to trap_common, which
 * saves the registers as a struct trapframe and calls trap(tf).
 * trap_vectors[] lists the stubs for idt.c.
 */
#include <arch/trapframe.h>

	.text

/* Vectors where the CPU pushes an error code itself. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.altmacro
	.macro vector v
	.balign 16
vector_\v:
	.if !HAS_ERROR(\v)
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
	.endm

	.set v, 0
	.rept 256
	vector %v
	.set v, v + 1
	.endr

trap_common:
	cld
	testb $3, TF_STUB_CS(%rsp)	/* from user mode (cs after vector, error, rip)? */
	jz 1f
	swapgs				/* then GS is the user's: take the kernel's */
1:	PUSH_GPRS
	/* User mode may have set RFLAGS.AC: with SMAP that would open user pages. */
	cmpb $0, cpu_has_smap(%rip)
	je 2f
	clac
2:	movq %rsp, %rdi
	/* A frame-pointer chain through the interrupted code, for backtraces. */
	movq TF_RIP(%rsp), %rax
	pushq %rax
	pushq %rbp
	movq %rsp, %rbp
	call trap
	.globl trap_return
trap_return:				/* backtraces know this return address */
	cli				/* trap() may have turned interrupts on */
	addq $16, %rsp
	POP_GPRS
	addq $16, %rsp			/* vector and error code */
	testb $3, 8(%rsp)		/* back to user mode? */
	jz 1f
	swapgs
1:	iretq

	.section .rodata
	.balign 8
	.globl trap_vectors
trap_vectors:
	.macro vector_addr v
	.quad vector_\v
	.endm
	.set v, 0
	.rept 256
	vector_addr %v
	.set v, v + 1
	.endr
