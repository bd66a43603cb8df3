/* VGA text mode, 80x25 cells of (character, attribute) at physical 0xB8000. */
#ifndef NEXA_VGA_H
#define NEXA_VGA_H

#include <stdint.h>

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_TEXT_PHYS	0xB8000UL

enum vga_color {
	VGA_BLACK, VGA_BLUE, VGA_GREEN, VGA_CYAN, VGA_RED, VGA_MAGENTA,
	VGA_BROWN, VGA_LIGHT_GREY, VGA_DARK_GREY, VGA_LIGHT_BLUE,
	VGA_LIGHT_GREEN, VGA_LIGHT_CYAN, VGA_LIGHT_RED, VGA_LIGHT_MAGENTA,
	VGA_YELLOW, VGA_WHITE,
};

#define VGA_ATTR(fg, bg)	((uint8_t)(((bg) << 4) | (fg)))
#define VGA_DEFAULT_ATTR	VGA_ATTR(VGA_LIGHT_GREY, VGA_BLACK)

void vga_init(void);
/* The same cells kept in RAM instead (VGA_ROWS * VGA_COLS of them), for a
 * screen that draws them itself: the framebuffer console. */
void vga_init_cells(uint16_t *cells);
void vga_clear(void);
void vga_putc(char c);		/* handles \n \r \b \t, scrolls, moves the cursor */
void vga_set_attr(uint8_t attr);
void vga_hw_cursor(int *row, int *col);	/* read back from the CRTC */
/* For a terminal's escape sequences (lab 5's vt.c): */
uint8_t vga_attr(void);
void vga_goto(int row, int col);	/* clamped to the screen */
void vga_where(int *row, int *col);
void vga_blank(int from, int to);	/* cells [from, to), row-major, in the current attribute */
void vga_copy_cell(int dst, int src);	/* cell indexes, row-major */

#endif
