/*
 * usercopy_raw(dst, src, n): a memcpy that may fault. A page fault on
 * one of its two rep instructions that the user address space cannot
 * satisfy resumes at the matching fixup (trap.c asks usercopy_fixup),
 * which returns the count of bytes not copied: a faulting rep stops with
 * rcx counting the iterations left. Eight bytes at a time first: under
 * QEMU's TCG `rep movsb` costs one emulated iteration per byte.
 */
	.text
	.globl usercopy_raw, usercopy_quads, usercopy_bytes
	.globl usercopy_quads_fault, usercopy_bytes_fault
usercopy_raw:
	movq %rdx, %rcx
	shrq $3, %rcx
	andl $7, %edx
usercopy_quads:
	rep movsq
	movq %rdx, %rcx
usercopy_bytes:
	rep movsb
	xorl %eax, %eax
	ret
usercopy_quads_fault:
	leaq (%rdx, %rcx, 8), %rax	/* the quads left, and the tail */
	ret
usercopy_bytes_fault:
	movq %rcx, %rax
	ret
