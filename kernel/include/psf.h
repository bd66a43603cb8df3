/*
 * PC Screen Font (PSF1 and PSF2), the Linux console's bitmap fonts: a
 * header, count glyphs of height rows, each row (width + 7) / 8 bytes with
 * the leftmost pixel in the top bit, then maybe a table of the Unicode
 * characters each glyph draws.
 */
#ifndef NEXA_PSF_H
#define NEXA_PSF_H

#include <stddef.h>
#include <stdint.h>

#define PSF_MAX_WIDTH	32
#define PSF_MAX_HEIGHT	64

struct psf_font {
	const uint8_t *glyphs;
	uint32_t count, width, height;
	uint32_t stride;	/* bytes per glyph row */
	uint32_t glyph_size;	/* bytes per glyph: height * stride */
	/* Glyph of each byte as the VGA draws it (code page 437). */
	uint16_t map[256];
};

/*
 * Parses the font in [data, data + size), checking every size and offset
 * against size. Returns 0, or -EINVAL for a file that is not a PSF font
 * or does not hold what its header says.
 */
int psf_parse(const uint8_t *data, size_t size, struct psf_font *f);
/* The rows of the glyph that draws byte c. */
const uint8_t *psf_glyph(const struct psf_font *f, uint8_t c);

#endif
