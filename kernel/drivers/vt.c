/*
 * The screen as a terminal (TERM=linux): the escape sequences that shells
 * and full-screen programs send, drawn on the VGA text screen. The serial
 * line gets the bytes unchanged; the terminal at its other end draws them.
 *
 *   ESC [ n A/B/C/D     cursor up, down, right, left     ESC [ r ; c H/f  move
 *   ESC [ n J           erase below (0), above (1), all  ESC [ n K        erase in line
 *   ESC [ n G/d         column n, row n                  ESC [ n P/@      delete/insert chars
 *   ESC [ ... m         colours, bold, reverse           ESC [ 6 n        report the cursor
 *   ESC [ s/u, ESC 7/8  save and restore the cursor      ESC [ ? n h/l    ignored
 */
#include <stdbool.h>
#include <stdint.h>
#include <kprintf.h>
#include <vga.h>
#include <arch/cpu.h>

#define ESC		0x1B
#define MAX_PARAMS	8

enum vt_state { NORMAL, ESCAPE, CSI };

static enum vt_state state;
static int params[MAX_PARAMS], nparams;
static bool private_mode;
static int saved_row, saved_col;
static uint8_t fg = VGA_LIGHT_GREY, bg = VGA_BLACK;
static bool bold, reverse;
static void (*reply)(char c);

/* ANSI colour n as the VGA's (the two orders differ in red and blue). */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static int
param(int i, int def)
{
	return i < nparams && params[i] > 0 ? params[i] : def;
}

static void
apply_attr(void)
{
	uint8_t f = fg | (bold ? 8 : 0), b = bg;

	vga_set_attr(reverse ? VGA_ATTR(b, f) : VGA_ATTR(f, b));
}

static void
sgr(void)
{
	for (int i = 0; i < (nparams ? nparams : 1); i++) {
		int p = i < nparams ? params[i] : 0;

		if (p == 0) {
			fg = VGA_LIGHT_GREY;
			bg = VGA_BLACK;
			bold = reverse = false;
		} else if (p == 1) {
			bold = true;
		} else if (p == 22) {
			bold = false;
		} else if (p == 7) {
			reverse = true;
		} else if (p == 27) {
			reverse = false;
		} else if (p >= 30 && p <= 37) {
			fg = ansi_to_vga[p - 30];
		} else if (p == 39) {
			fg = VGA_LIGHT_GREY;
		} else if (p >= 40 && p <= 47) {
			bg = ansi_to_vga[p - 40];
		} else if (p == 49) {
			bg = VGA_BLACK;
		} else if (p >= 90 && p <= 97) {
			fg = ansi_to_vga[p - 90] | 8;
		}
	}
	apply_attr();
}

/* Shifts the cells [at, end of row) by n: right (insert blanks) or left (delete). */
static void
shift_line(int row, int col, int n, bool insert)
{
	int len = VGA_COLS - col;

	if (n > len)
		n = len;
	for (int i = 0; i < len - n; i++) {
		int dst = insert ? len - 1 - i : i, src = insert ? dst - n : dst + n;

		vga_copy_cell(row * VGA_COLS + col + dst, row * VGA_COLS + col + src);
	}
	int blank = insert ? col : VGA_COLS - n;
	vga_blank(row * VGA_COLS + blank, row * VGA_COLS + blank + n);
}

static void
csi(char final)
{
	int row, col;

	vga_where(&row, &col);
	if (private_mode)
		return;			/* DEC modes (cursor visibility, ...): nothing to do */
	switch (final) {
	case 'A':
		vga_goto(row - param(0, 1), col);
		break;
	case 'B':
		vga_goto(row + param(0, 1), col);
		break;
	case 'C':
		vga_goto(row, col + param(0, 1));
		break;
	case 'D':
		vga_goto(row, col - param(0, 1));
		break;
	case 'G':
		vga_goto(row, param(0, 1) - 1);
		break;
	case 'd':
		vga_goto(param(0, 1) - 1, col);
		break;
	case 'H':
	case 'f':
		vga_goto(param(0, 1) - 1, param(1, 1) - 1);
		break;
	case 'J': {
		int at = row * VGA_COLS + col, mode = nparams ? params[0] : 0;

		vga_blank(mode == 0 ? at : 0, mode == 1 ? at + 1 : VGA_ROWS * VGA_COLS);
		break;
	}
	case 'K': {
		int start = row * VGA_COLS, mode = nparams ? params[0] : 0;

		vga_blank(mode == 0 ? start + col : start,
			  mode == 1 ? start + col + 1 : start + VGA_COLS);
		break;
	}
	case 'P':
		shift_line(row, col, param(0, 1), false);
		break;
	case '@':
		shift_line(row, col, param(0, 1), true);
		break;
	case 'm':
		sgr();
		break;
	case 'n':
		if (param(0, 0) == 6 && reply) {
			char buf[16];
			int n = ksnprintf(buf, sizeof(buf), "\033[%d;%dR", row + 1, col + 1);
			/* In one piece: a key typed meanwhile must not land inside it. */
			uint64_t flags = irq_save();

			for (int i = 0; i < n; i++)
				reply(buf[i]);
			irq_restore(flags);
		}
		break;
	case 's':
		saved_row = row;
		saved_col = col;
		break;
	case 'u':
		vga_goto(saved_row, saved_col);
		break;
	}
}

void
vt_putc(char c)
{
	switch (state) {
	case NORMAL:
		if (c == ESC)
			state = ESCAPE;
		else if (c != '\a')
			vga_putc(c);
		return;
	case ESCAPE:
		state = NORMAL;
		if (c == '[') {
			state = CSI;
			nparams = 0;
			params[0] = 0;
			private_mode = false;
		} else if (c == '7') {
			vga_where(&saved_row, &saved_col);
		} else if (c == '8') {
			vga_goto(saved_row, saved_col);
		} else if (c == 'c') {
			fg = VGA_LIGHT_GREY;
			bg = VGA_BLACK;
			bold = reverse = false;
			apply_attr();
			vga_clear();
		}
		return;
	case CSI:
		if (c >= '0' && c <= '9') {
			if (nparams == 0)
				nparams = 1;
			int *p = &params[nparams - 1];
			if (*p < 10000)
				*p = *p * 10 + (c - '0');
		} else if (c == ';') {
			if (nparams == 0)
				nparams = 1;
			if (nparams < MAX_PARAMS)
				params[nparams++] = 0;
		} else if (c == '?') {
			private_mode = true;
		} else if (c >= 0x40 && c <= 0x7E) {
			state = NORMAL;
			csi(c);
		} else if (c == ESC || c == 0x18 || c == 0x1A) {
			state = c == ESC ? ESCAPE : NORMAL;	/* CAN and SUB abort a sequence */
		}
		return;
	}
}

void
vt_set_reply(void (*fn)(char c))
{
	reply = fn;
}
