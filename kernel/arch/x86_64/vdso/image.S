/*
 * The vDSO image (built from vclock.c and vdso.ld) inside the kernel,
 * page aligned: processes map these very frames, read and execute.
 */
	.section .rodata.vdso, "a"
	.balign 4096
	.globl vdso_image, vdso_image_end
vdso_image:
	.incbin VDSO_SO
vdso_image_end:
	.balign 4096
