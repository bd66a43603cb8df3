/*
 * The system call entry. `syscall` leaves the user rip in rcx and rflags
 * in r11, masks IF (FMASK) and switches to ring 0 without changing rsp:
 * swapgs first, to reach the per-CPU area and the kernel stack. The
 * registers are saved as a struct trapframe, the same layout an
 * interrupt leaves, so fork, exec and kill see one kind of frame. The
 * handler runs with interrupts on, as on Linux; they go off again before
 * the stack becomes the user's.
 */
#include <arch/gdt.h>
#include <arch/percpu.h>

#include <arch/trapframe.h>

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KERNEL_RSP, %rsp
	pushq $USER_DS			/* ss */
	pushq %gs:PERCPU_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $USER_CS			/* cs */
	pushq %rcx			/* rip */
	pushq %rax			/* error: the call's number (a restart needs it) */
	pushq $T_SYSCALL		/* vector */
	PUSH_GPRS
	movq %rsp, %rdi
	pushq TF_RIP(%rsp)		/* a frame for backtraces: rip, rbp */
	pushq %rbp
	movq %rsp, %rbp
	sti
	call syscall_dispatch
	cli				/* from here the stack becomes the user's */
	addq $16, %rsp
	/*
	 * sysret is only safe when it restores what syscall saved: rcx is
	 * the rip and r11 the rflags (exec and signals change them), and the
	 * rip is canonical (sysret to a non-canonical rip faults in ring 0).
	 */
	movq TF_RIP(%rsp), %rcx
	cmpq %rcx, TF_RCX(%rsp)
	jne user_leave
	movq TF_RFLAGS(%rsp), %r11
	cmpq %r11, TF_R11(%rsp)
	jne user_leave
	movq %rcx, %rax
	shrq $47, %rax
	jnz user_leave
	POP_GPRS
	movq TF_RSP - TF_RIP + 16(%rsp), %rsp	/* past vector, error, rip, cs, rflags */
	swapgs
	sysretq

/* user_enter(tf): the trapframe at rdi to user mode, through iretq. */
	.globl user_enter
user_enter:
	cli
	movq %rdi, %rsp
	.globl user_leave
user_leave:
	POP_GPRS
	addq $16, %rsp			/* vector and error code */
	swapgs
	iretq
