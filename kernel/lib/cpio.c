/* cpio newc archives (see cpio.h). Every field is checked before use. */
#include <stdbool.h>
#include <kstring.h>
#include <cpio_newc.h>
#include <kerrno.h>

#define HEADER_LEN	110

/* Eight hex digits; false if any is not one. */
static bool
hex8(const char *s, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return true;
}

static size_t
pad4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/* Drops "./" and "/" prefixes, so "/bin/sh", "./bin/sh" and "bin/sh" match. */
static const char *
strip(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '\0')
			return p + 1;	/* "." is the root: "" */
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

int
cpio_next(const void *archive, size_t len, size_t *pos, struct cpio_entry *e)
{
	const char *a = archive;
	uint32_t f[13];
	size_t at = *pos;

	if (at >= len || len - at < HEADER_LEN)
		return -EINVAL;		/* ended without its trailer: cut short */
	if (memcmp(a + at, "070701", 6) && memcmp(a + at, "070702", 6))
		return -EINVAL;
	for (int i = 0; i < 13; i++)
		if (!hex8(a + at + 6 + 8 * i, &f[i]))
			return -EINVAL;
	/* f: ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check */
	size_t namesize = f[11], filesize = f[6];
	size_t name_at = at + HEADER_LEN;
	if (namesize == 0 || namesize > len - name_at || a[name_at + namesize - 1] != '\0')
		return -EINVAL;
	size_t data_at = pad4(name_at + namesize);
	if (data_at > len || filesize > len - data_at)
		return -EINVAL;
	const char *name = a + name_at;
	if (!strcmp(name, "TRAILER!!!")) {
		*pos = pad4(data_at + filesize);	/* another archive may follow */
		return 0;
	}
	name = strip(name);
	size_t n = strlen(name);
	if (n >= CPIO_NAME_MAX)
		return -EINVAL;
	memcpy(e->name, name, n + 1);
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->ino = f[0];
	e->nlink = f[4];
	e->rdev_major = f[9];
	e->rdev_minor = f[10];
	e->mtime = f[5];
	e->data = a + data_at;
	e->size = filesize;
	*pos = pad4(data_at + filesize);
	return 1;
}

int
cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *e)
{
	size_t pos = 0;
	int r;

	path = strip(path);
	while ((r = cpio_next(archive, len, &pos, e)) > 0)
		if (!strcmp(e->name, path))
			return 0;
	return r < 0 ? r : -ENOENT;
}

int
cpio_validate(const void *archive, size_t len)
{
	struct cpio_entry e;
	size_t pos = 0;
	int n = 0, r;

	while ((r = cpio_next(archive, len, &pos, &e)) > 0)
		n++;
	return r < 0 ? r : n;
}
