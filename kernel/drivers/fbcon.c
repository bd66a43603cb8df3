/*
 * The framebuffer console: the VGA's 80x25 cells of (character,
 * attribute), kept in RAM by vga.c, drawn on the linear RGB framebuffer
 * the boot loader set up (GOP on UEFI, VBE on BIOS), with a Terminus font
 * the build took from Debian (fbfont.S). The terminal (vt.c), the console
 * and the panic path keep writing cells as on VGA text; they never know.
 *
 *   +--------------------------------------------+  the framebuffer
 *   |          +------------------------+        |
 *   |  x0, y0  |  80 x 25 cells of the  |        |  the largest font
 *   |--------->|  font's width x height |        |  with which 80x25
 *   |          +------------------------+        |  fits, centred
 *   +--------------------------------------------+
 *
 * Speed: shown[] is a copy of the cells as they are on the screen, so a
 * sync redraws only the cells that changed, never reads the framebuffer
 * (slow on real hardware), and the framebuffer is mapped write-combining.
 * A scroll changes every row that is not blank: those cells are redrawn
 * from the glyphs, which costs no more than copying rows of pixels would.
 */
#include <bootinfo.h>
#include <console.h>
#include <fbcon.h>
#include <init.h>
#include <kerrno.h>
#include <kprintf.h>
#include <kstring.h>
#include <layout.h>
#include <psf.h>
#include <vga.h>
#include <vmm.h>
#include <arch/pat.h>

#define NCELLS		(VGA_ROWS * VGA_COLS)
#define BLANK_CELL	((uint16_t)(VGA_DEFAULT_ATTR << 8 | ' '))
#define REPLAY_MAX	4096	/* the boot messages redrawn once the screen is up */

struct font_blob {
	const uint8_t *data;
	uint64_t size;
};
extern const struct font_blob fb_fonts[];

/* The VGA's 16 colours (the attribute byte's nibbles) as 8-bit R, G, B. */
static const uint8_t vga_rgb[16][3] = {
	{ 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0xAA }, { 0x00, 0xAA, 0x00 }, { 0x00, 0xAA, 0xAA },
	{ 0xAA, 0x00, 0x00 }, { 0xAA, 0x00, 0xAA }, { 0xAA, 0x55, 0x00 }, { 0xAA, 0xAA, 0xAA },
	{ 0x55, 0x55, 0x55 }, { 0x55, 0x55, 0xFF }, { 0x55, 0xFF, 0x55 }, { 0x55, 0xFF, 0xFF },
	{ 0xFF, 0x55, 0x55 }, { 0xFF, 0x55, 0xFF }, { 0xFF, 0xFF, 0x55 }, { 0xFF, 0xFF, 0xFF },
};

static uint16_t cells[NCELLS] __attribute__((aligned(8)));	/* what vga.c writes */
static uint16_t shown[NCELLS] __attribute__((aligned(8)));	/* what the screen shows */
static int cursor_shown = -1;		/* the cell drawn with the cursor */
static struct psf_font font;
static uint8_t *fb;			/* NULL: no framebuffer console */
static uint32_t pitch, bypp;		/* bytes per line, per pixel */
static uint32_t x0, y0;			/* the top left pixel of cell 0 */
static uint32_t palette[16];		/* the VGA colours as pixels */

/* The pixel value of 8-bit colour component v in channel ch. */
static uint32_t
channel(uint8_t v, struct fb_channel ch)
{
	return (uint32_t)(v >> (8 - ch.size)) << ch.pos;
}

static inline void
put_pixel(uint8_t *p, uint32_t v)
{
	switch (bypp) {
	case 4:
		*(uint32_t *)p = v;
		break;
	case 3:
		p[0] = v;
		p[1] = v >> 8;
		p[2] = v >> 16;
		break;
	default:
		*(uint16_t *)p = v;
	}
}

/* Draws cell i holding c, with the cursor (an underline, as the VGA's) or not. */
static void
draw_cell(int i, uint16_t c, bool cursor)
{
	const uint8_t *g = psf_glyph(&font, c & 0xFF);
	uint8_t attr = c >> 8;
	/* The VGA's default attribute mode: bit 7 blinks, the background has 8 colours. */
	uint32_t fg = palette[attr & 0xF], bg = palette[(attr >> 4) & 0x7];
	uint32_t under = font.height - font.height / 8;
	uint8_t *line = fb + (uint64_t)(y0 + i / VGA_COLS * font.height) * pitch +
			(uint64_t)(x0 + i % VGA_COLS * font.width) * bypp;

	for (uint32_t y = 0; y < font.height; y++, line += pitch, g += font.stride) {
		uint32_t bits = 0;

		for (uint32_t b = 0; b < font.stride; b++)
			bits = bits << 8 | g[b];
		bits <<= 32 - 8 * font.stride;	/* leftmost pixel in bit 31 */
		if (cursor && y >= under)
			bits = ~0u;
		if (bypp == 4) {
			uint32_t *p = (uint32_t *)line;

			for (uint32_t x = 0; x < font.width; x++, bits <<= 1)
				p[x] = bits & 0x80000000u ? fg : bg;
		} else {
			for (uint32_t x = 0; x < font.width; x++, bits <<= 1)
				put_pixel(line + x * bypp, bits & 0x80000000u ? fg : bg);
		}
	}
}

/* Redraws cell i if it changed or gains or loses the cursor. */
static void
sync_cell(int i, int cursor)
{
	uint16_t c = cells[i];

	if (c == shown[i] && (i == cursor) == (i == cursor_shown))
		return;
	draw_cell(i, c, i == cursor);
	shown[i] = c;
}

/* Shows the cells: redraws those that changed and the cursor's old and new cell. */
static void
fbcon_sync(void)
{
	/* Four cells a word: a sync after each character stays cheap. */
	const uint64_t *now = (const uint64_t *)cells, *was = (const uint64_t *)shown;
	int row, col, cursor;

	if (!fb)
		return;
	vga_where(&row, &col);
	cursor = row * VGA_COLS + col;
	for (int w = 0; w < NCELLS / 4; w++)
		if (now[w] != was[w])
			for (int i = w * 4; i < w * 4 + 4; i++)
				sync_cell(i, cursor);
	if (cursor != cursor_shown) {
		int old = cursor_shown;

		if (cursor >= 0 && cursor < NCELLS)
			sync_cell(cursor, cursor);
		if (old >= 0 && old < NCELLS)
			sync_cell(old, cursor);
	}
	cursor_shown = cursor;
}

/* The largest font with which 80x25 cells fit in width x height; -EINVAL if none. */
static int
pick_font(uint32_t width, uint32_t height)
{
	int r = -EINVAL;

	for (const struct font_blob *b = fb_fonts; b->data; b++) {
		struct psf_font f;

		if (psf_parse(b->data, b->size, &f) < 0) {
			kprintf("fbcon: font %ld is not a valid PSF font; skipped\n",
				(long)(b - fb_fonts));
			continue;
		}
		if (f.width * VGA_COLS <= width && f.height * VGA_ROWS <= height) {
			font = f;
			r = 0;
		}
	}
	return r;
}

/* The framebuffer is one we can draw on: RGB, 16/24/32 bits, sizes that agree. */
static bool
fb_usable(const struct framebuffer *f)
{
	const struct fb_channel *ch[3] = { &f->red, &f->green, &f->blue };

	if (f->type != FB_RGB || (f->bpp != 16 && f->bpp != 24 && f->bpp != 32) ||
	    !f->addr || !f->width || !f->height ||
	    (uint64_t)f->width * (f->bpp / 8) > f->pitch)
		return false;
	for (int i = 0; i < 3; i++)
		if (ch[i]->size == 0 || ch[i]->size > 8 || ch[i]->pos + ch[i]->size > f->bpp)
			return false;
	return true;
}

/* The boot messages so far, from the start of a line, into the cells. */
static void
replay_log(void)
{
	static char buf[REPLAY_MAX];
	size_t n = console_log(buf, sizeof(buf)), i = 0;

	if (n == sizeof(buf))
		while (i < n && buf[i++] != '\n')
			;
	for (; i < n; i++)
		vga_putc(buf[i]);
}

static void
fbcon_init(void)
{
	const struct framebuffer *f = &boot_info.fb;

	if (!boot_info.has_fb || boot_info.vga_text)
		return;
	if (!fb_usable(f)) {
		kprintf("fbcon: framebuffer type %u, %u bpp: cannot draw on it\n",
			f->type, f->bpp);
		return;
	}
	if (!vmm_kernel_pml4()) {
		kprintf("fbcon: no kernel page tables: no framebuffer console\n");
		return;
	}
	if (pick_font(f->width, f->height) < 0) {
		kprintf("fbcon: %ux%u is too small for 80x25 characters\n",
			f->width, f->height);
		return;
	}
	for (int i = 0; i < 16; i++)
		palette[i] = channel(vga_rgb[i][0], f->red) | channel(vga_rgb[i][1], f->green) |
			     channel(vga_rgb[i][2], f->blue);
	pitch = f->pitch;
	bypp = f->bpp / 8;
	x0 = (f->width - font.width * VGA_COLS) / 2;
	y0 = (f->height - font.height * VGA_ROWS) / 2;
	long wc = pat_map_wc(HHDM_BASE + f->addr, (uint64_t)f->pitch * f->height);
	uint8_t *base = phys_to_virt(f->addr);

	/* Black everywhere (the margins too); then every cell is a blank on black. */
	for (uint32_t y = 0; y < f->height; y++)
		memset(base + (uint64_t)y * pitch, 0, (uint64_t)f->width * bypp);
	for (int i = 0; i < NCELLS; i++)
		shown[i] = BLANK_CELL;
	vga_init_cells(cells);
	replay_log();
	fb = base;
	console_set_screen(fbcon_sync);
	kprintf("fbcon: %ux%u, %u bpp, font %ux%u, %s\n", f->width, f->height, f->bpp,
		font.width, font.height, wc > 0 ? "write-combining" :
		wc < 0 ? "uncached (no PAT)" : "uncached");
}
bool
fbcon_active(void)
{
	return fb != NULL;
}

/* After INIT_MM: vmm_init mapped the framebuffer. */
INITCALL(INIT_PROC, fbcon_init);
