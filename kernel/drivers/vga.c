/*
 * VGA text-mode driver: 80x25 cells, each a character byte and an
 * attribute byte (background << 4 | foreground), row-major at 0xB8000.
 * The hardware cursor is set through the CRTC index/data ports.
 */
#include <stddef.h>
#include <kstring.h>
#include <arch/io.h>
#include <layout.h>
#include <compiler.h>
#include <vga.h>

#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_END	0x0B
#define CRTC_CURSOR_HI	0x0E
#define CRTC_CURSOR_LO	0x0F
#define TAB_WIDTH	8

static volatile uint16_t *screen;
static int row, col;
static uint8_t attr = VGA_DEFAULT_ATTR;

static inline uint16_t
cell(char c, uint8_t a)
{
	return (uint16_t)a << 8 | (uint8_t)c;
}

#if SOL >= 1
/* Moves the blinking hardware cursor to (row, col). */
static void
vga_move_cursor(void)
{
	uint16_t pos = row * VGA_COLS + col;

	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, pos & 0xFF);
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, pos >> 8);
}

/* Shifts every row up by one and blanks the last row. */
__noinline void
vga_scroll(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		screen[i] = screen[i + VGA_COLS];
	for (int i = 0; i < VGA_COLS; i++)
		screen[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ', attr);
	row = VGA_ROWS - 1;
}

void
vga_putc(char c)
{
	if (!screen)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + TAB_WIDTH) & ~(TAB_WIDTH - 1);
		break;
	default:
		screen[row * VGA_COLS + col] = cell(c, attr);
		col++;
		break;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		vga_scroll();
	vga_move_cursor();
}
#else
static void
vga_move_cursor(void)
{
	/* LAB 1: your code here. Program the CRTC cursor location registers. */
}

/* Shifts every row up by one and blanks the last row. */
__noinline void
vga_scroll(void)
{
	/* LAB 1: your code here. */
}

void
vga_putc(char c)
{
	/* LAB 1: your code here. Draw c at (row, col) in attr; handle \n \r
	 * \b \t, wrap at the right edge, scroll at the bottom, move the cursor. */
	(void)c;
}
#endif

void
vga_clear(void)
{
	if (!screen)
		return;
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = cell(' ', attr);
	row = col = 0;
	vga_move_cursor();
}

void
vga_init(void)
{
	screen = phys_to_virt(VGA_TEXT_PHYS);
	/* An underline cursor: scan lines 14..15 of the 16-line cell. */
	outb(CRTC_INDEX, CRTC_CURSOR_START);
	outb(CRTC_DATA, (inb(CRTC_DATA) & 0xC0) | 14);
	outb(CRTC_INDEX, CRTC_CURSOR_END);
	outb(CRTC_DATA, (inb(CRTC_DATA) & 0xE0) | 15);
	vga_clear();
}

void
vga_init_cells(uint16_t *cells)
{
	screen = cells;
	vga_clear();
}

void
vga_set_attr(uint8_t a)
{
	attr = a;
}

uint8_t
vga_attr(void)
{
	return attr;
}

void
vga_goto(int r, int c)
{
	if (!screen)
		return;
	row = r < 0 ? 0 : r >= VGA_ROWS ? VGA_ROWS - 1 : r;
	col = c < 0 ? 0 : c >= VGA_COLS ? VGA_COLS - 1 : c;
	vga_move_cursor();
}

void
vga_where(int *r, int *c)
{
	*r = row;
	*c = col;
}

void
vga_copy_cell(int dst, int src)
{
	if (screen && dst >= 0 && src >= 0 && dst < VGA_ROWS * VGA_COLS && src < VGA_ROWS * VGA_COLS)
		screen[dst] = screen[src];
}

void
vga_blank(int from, int to)
{
	for (int i = from < 0 ? 0 : from; screen && i < to && i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = cell(' ', attr);
}

void
vga_hw_cursor(int *r, int *c)
{
	uint16_t pos;

	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	pos = inb(CRTC_DATA) << 8;
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	pos |= inb(CRTC_DATA);
	*r = pos / VGA_COLS;
	*c = pos % VGA_COLS;
}
