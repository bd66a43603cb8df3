/*
 * The framebuffer console's fonts, as the build unpacked them from Debian's
 * console-setup-linux (Makefile: FONTS): Terminus, 8x16, 12x24 and 16x32,
 * with the Unicode table (psf.c). fb_fonts lists them, smallest first,
 * each as {start, size}, then {0, 0}.
 */
	.section .rodata
	.balign 8
	.globl fb_fonts
fb_fonts:
	.quad font16, font16_end - font16
	.quad font24, font24_end - font24
	.quad font32, font32_end - font32
	.quad 0, 0

	.balign 4
font16:	.incbin "Uni2-Terminus16.psf"
font16_end:
	.balign 4
font24:	.incbin "Uni2-Terminus24x12.psf"
font24_end:
	.balign 4
font32:	.incbin "Uni2-Terminus32x16.psf"
font32_end:
