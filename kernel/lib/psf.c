/*
 * PSF1 and PSF2 fonts (psf.h): the header checked, and the Unicode table
 * turned into the VGA's code page: byte c shows the glyph that draws
 * cp437[c], as it would in VGA text mode.
 */
#include <stdbool.h>
#include <kerrno.h>
#include <kstring.h>
#include <psf.h>

#define PSF1_MAGIC	0x0436
#define PSF1_MODE512	0x01	/* 512 glyphs, not 256 */
#define PSF1_MODEHASTAB	0x02	/* a Unicode table follows the glyphs */
#define PSF1_SEPARATOR	0xFFFF	/* ends a glyph's entries */
#define PSF1_STARTSEQ	0xFFFE	/* a sequence of characters follows (skipped) */
#define PSF2_MAGIC	0x864AB572
#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR	0xFF
#define PSF2_STARTSEQ	0xFE

struct psf1_header {
	uint16_t magic;
	uint8_t mode, charsize;	/* charsize: bytes per glyph = height (width 8) */
};

struct psf2_header {
	uint32_t magic, version, headersize, flags;
	uint32_t length, charsize, height, width;
};

/* Code page 437 (the VGA's characters) in Unicode; byte 0 shows a blank. */
static const uint16_t cp437[256] = {
	0x0020, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022,
	0x25D8, 0x25CB, 0x25D9, 0x2642, 0x2640, 0x266A, 0x266B, 0x263C,
	0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7, 0x25AC, 0x21A8,
	0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x2302,
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
	0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
	0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
	0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
	0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
	0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
	0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
	0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
	0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
	0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

/* Glyph g draws character u: every byte showing u gets it (the first glyph wins). */
static void
map_char(struct psf_font *f, uint8_t *mapped, uint32_t g, uint32_t u)
{
	for (int c = 0; c < 256; c++) {
		if (cp437[c] == u && !mapped[c]) {
			f->map[c] = (uint16_t)g;
			mapped[c] = 1;
		}
	}
}

/* One UTF-8 character from [*p, end); 0xFFFFFFFF for a malformed one. */
static uint32_t
utf8_next(const uint8_t **p, const uint8_t *end)
{
	uint8_t b = *(*p)++;
	int more = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
	uint32_t u = more == 0 ? b : b & (0x3F >> more);

	if (more < 0 || end - *p < more)
		return 0xFFFFFFFF;
	while (more--) {
		if ((**p & 0xC0) != 0x80)
			return 0xFFFFFFFF;
		u = u << 6 | (*(*p)++ & 0x3F);
	}
	return u;
}

/* The PSF2 table: per glyph, UTF-8 characters, then sequences after 0xFE, then 0xFF. */
static void
map_psf2_table(struct psf_font *f, const uint8_t *p, const uint8_t *end, uint8_t *mapped)
{
	for (uint32_t g = 0; g < f->count && p < end; g++) {
		bool seq = false;

		while (p < end && *p != PSF2_SEPARATOR) {
			if (*p == PSF2_STARTSEQ) {
				seq = true;
				p++;
				continue;
			}
			uint32_t u = utf8_next(&p, end);

			if (u == 0xFFFFFFFF)
				return;		/* a broken table: keep what it gave */
			if (!seq)
				map_char(f, mapped, g, u);
		}
		p++;
	}
}

/* The PSF1 table: per glyph, 16-bit characters, sequences after 0xFFFE, then 0xFFFF. */
static void
map_psf1_table(struct psf_font *f, const uint8_t *p, const uint8_t *end, uint8_t *mapped)
{
	for (uint32_t g = 0; g < f->count && end - p >= 2; g++) {
		bool seq = false;

		for (; end - p >= 2; p += 2) {
			uint16_t u = p[0] | p[1] << 8;

			if (u == PSF1_SEPARATOR)
				break;
			if (u == PSF1_STARTSEQ)
				seq = true;
			else if (!seq)
				map_char(f, mapped, g, u);
		}
		p += 2;
	}
}

int
psf_parse(const uint8_t *data, size_t size, struct psf_font *f)
{
	const uint8_t *table = NULL;
	uint8_t mapped[256] = { 0 };
	bool psf2;

	memset(f, 0, sizeof(*f));
	if (size >= sizeof(struct psf2_header) &&
	    ((const struct psf2_header *)data)->magic == PSF2_MAGIC) {
		const struct psf2_header *h = (const void *)data;

		if (h->version != 0 || h->headersize < sizeof(*h) || h->headersize > size ||
		    h->length == 0 || h->length > 65536 || h->width == 0 ||
		    h->width > PSF_MAX_WIDTH || h->height == 0 || h->height > PSF_MAX_HEIGHT ||
		    h->charsize != h->height * ((h->width + 7) / 8) ||
		    (uint64_t)h->length * h->charsize > size - h->headersize)
			return -EINVAL;
		f->glyphs = data + h->headersize;
		f->count = h->length;
		f->width = h->width;
		f->height = h->height;
		if (h->flags & PSF2_HAS_UNICODE_TABLE)
			table = f->glyphs + (uint64_t)h->length * h->charsize;
		psf2 = true;
	} else if (size >= sizeof(struct psf1_header) &&
		   ((const struct psf1_header *)data)->magic == PSF1_MAGIC) {
		const struct psf1_header *h = (const void *)data;

		f->count = h->mode & PSF1_MODE512 ? 512 : 256;
		if (h->charsize == 0 || h->charsize > PSF_MAX_HEIGHT ||
		    (uint64_t)f->count * h->charsize > size - sizeof(*h))
			return -EINVAL;
		f->glyphs = data + sizeof(*h);
		f->width = 8;
		f->height = h->charsize;
		if (h->mode & PSF1_MODEHASTAB)
			table = f->glyphs + (uint64_t)f->count * h->charsize;
		psf2 = false;
	} else {
		return -EINVAL;
	}
	f->stride = (f->width + 7) / 8;
	f->glyph_size = f->height * f->stride;
	/* Without a table the glyphs are in code page order (the VGA's). */
	for (int c = 0; c < 256; c++)
		f->map[c] = c < (int)f->count ? c : 0;
	if (table) {
		if (psf2)
			map_psf2_table(f, table, data + size, mapped);
		else
			map_psf1_table(f, table, data + size, mapped);
		/* What the font lacks shows as its '?' */
		for (int c = 0; c < 256; c++)
			if (!mapped[c])
				f->map[c] = mapped['?'] ? f->map['?'] : 0;
	}
	return 0;
}

const uint8_t *
psf_glyph(const struct psf_font *f, uint8_t c)
{
	return f->glyphs + (uint64_t)f->map[c] * f->glyph_size;
}
