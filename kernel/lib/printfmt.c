/*
 * printf-style formatting, independent of where the characters go.
 * Pure code: it also builds on the host for the unit tests.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kstring.h>
#include <kprintf.h>

/* One parsed conversion: "%-08.3lx" gives left=1, zero=1, width=8, ... */
struct spec {
	bool left;		/* '-': pad on the right */
	bool zero;		/* '0': pad numbers with zeros */
	bool plus;		/* '+': always print a sign */
	bool space;		/* ' ': a space where a plus sign would go */
	bool alt;		/* '#': 0x prefix for %x, 0 for %o */
	int width;		/* minimum field width, 0 if none */
	int prec;		/* precision, -1 if none */
};

struct out {
	void (*put)(char c, void *ctx);
	void *ctx;
	int count;
};

static void
emit(struct out *o, char c)
{
	o->put(c, o->ctx);
	o->count++;
}

static void
emit_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* A string, cut to the precision and padded to the width. */
static void
emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX);

	if (!sp->left)
		emit_pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (sp->left)
		emit_pad(o, ' ', sp->width - len);
}

#if SOL >= 1
/*
 * An unsigned magnitude in base 8, 10 or 16, with its sign or prefix,
 * padded as the spec says. neg tells that the value was negative.
 */
static void
emit_number(struct out *o, const struct spec *sp, uint64_t mag, bool neg,
	    unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];		/* 2^64 in octal is 22 digits */
	int n = 0;
	const char *prefix = "";
	bool is_zero = mag == 0;
	int zeros;

	do {
		buf[n++] = digits[mag % base];
		mag /= base;
	} while (mag);
	if (sp->prec == 0 && is_zero)
		n = 0;		/* "%.0d" of 0 prints nothing */

	if (neg)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	else if (sp->alt && base == 16 && !is_zero)
		prefix = upper ? "0X" : "0x";

	zeros = sp->prec > n ? sp->prec - n : 0;
	/* '#' with octal: the first digit must be 0, unless precision made it so. */
	if (sp->alt && base == 8 && !zeros && (n == 0 || buf[n - 1] != '0'))
		prefix = "0";
	int plen = (int)strlen(prefix);
	if (sp->zero && !sp->left && sp->prec < 0)
		zeros = sp->width - plen - n > 0 ? sp->width - plen - n : 0;
	int pad = sp->width - plen - zeros - n;

	if (!sp->left)
		emit_pad(o, ' ', pad);
	while (*prefix)
		emit(o, *prefix++);
	emit_pad(o, '0', zeros);
	while (n)
		emit(o, buf[--n]);
	if (sp->left)
		emit_pad(o, ' ', pad);
}
#else
static void
emit_number(struct out *o, const struct spec *sp, uint64_t mag, bool neg,
	    unsigned base, bool upper)
{
	/* LAB 1: your code here. Print mag in base, with sign and padding. */
	(void)sp, (void)mag, (void)neg, (void)base, (void)upper;
	emit(o, '<');
	emit(o, '?');
	emit(o, '>');
}
#endif

/* Reads a signed argument of the given length ('H' hh, 'h', 'l', 'L' ll, 'z', ...). */
static int64_t
arg_signed(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (int64_t)va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, int64_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default:  return va_arg(*ap, int);
	}
}

static uint64_t
arg_unsigned(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uint64_t);
	case 't': return (uint64_t)va_arg(*ap, ptrdiff_t);
	default:  return va_arg(*ap, unsigned);
	}
}

/* Parses "[flags][width][.prec][length]" after a '%'; returns the length code. */
static const char *
parse_spec(const char *f, struct spec *sp, char *len, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	*len = 0;
	if (f[0] == 'h' && f[1] == 'h')
		*len = 'H', f += 2;
	else if (f[0] == 'l' && f[1] == 'l')
		*len = 'L', f += 2;
	else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' || *f == 't')
		*len = *f++;
	return f;
}

int
vprintfmt(void (*put)(char c, void *ctx), void *ctx, const char *fmt,
	  va_list ap0)
{
	struct out o = { put, ctx, 0 };
	struct spec sp;
	va_list ap;
	char len;

	va_copy(ap, ap0);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		const char *start = fmt;
		fmt = parse_spec(fmt + 1, &sp, &len, &ap);
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, len);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

			emit_number(&o, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			sp.plus = sp.space = false;	/* signs are for %d and %i */
			emit_number(&o, &sp, arg_unsigned(&ap, len), false,
				    *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				    *fmt == 'X');
			break;
		case 'p': {
			void *p = va_arg(ap, void *);

			sp.prec = -1;
			if (!p) {
				emit_str(&o, &sp, "(nil)");
				break;
			}
			sp.alt = true;
			emit_number(&o, &sp, (uint64_t)(uintptr_t)p, false, 16, false);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			emit_str(&o, &sp, s ? s : "(null)");
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!sp.left)
				emit_pad(&o, ' ', sp.width - 1);
			emit(&o, c);
			if (sp.left)
				emit_pad(&o, ' ', sp.width - 1);
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		default:
			/* Unknown conversion: print it as it was written. */
			while (start <= fmt && *start)
				emit(&o, *start++);
			if (!*fmt)
				goto out;
			break;
		}
		fmt++;
	}
out:
	va_end(ap);
	return o.count;
}

struct strbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void
strbuf_put(char c, void *ctx)
{
	struct strbuf *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

/* Like C's vsnprintf: always terminates, returns the untruncated length. */
int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct strbuf b = { buf, size, 0 };
	int n = vprintfmt(strbuf_put, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
