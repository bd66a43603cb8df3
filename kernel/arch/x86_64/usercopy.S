/*
 * usercopy_raw(dst, src, n): a memcpy that may fault. A page fault on
 * one of its two rep instructions that the user address space cannot
 * satisfy resumes at the matching fixup (trap.c asks usercopy_fixup),
 * which returns the count of bytes not copied: a faulting rep stops with
 * rcx counting the iterations left. Eight bytes at a time first: under
 * QEMU's TCG `rep movsb` costs one emulated iteration per byte. With
 * SMAP, user pages open to the kernel only between stac and clac.
 */

	.macro USER_ACCESS insn
	cmpb $0, cpu_has_smap(%rip)
	je 1f
	\insn
1:
	.endm

	.text
	.globl usercopy_raw, usercopy_quads, usercopy_bytes
	.globl usercopy_quads_fault, usercopy_bytes_fault
usercopy_raw:
	USER_ACCESS stac
	movq %rdx, %rcx
	shrq $3, %rcx
	andl $7, %edx
usercopy_quads:
	rep movsq
	movq %rdx, %rcx
usercopy_bytes:
	rep movsb
	xorl %eax, %eax
	USER_ACCESS clac
	ret
usercopy_quads_fault:
	leaq (%rdx, %rcx, 8), %rax	/* the quads left, and the tail */
	USER_ACCESS clac
	ret
usercopy_bytes_fault:
	movq %rcx, %rax
	USER_ACCESS clac
	ret
