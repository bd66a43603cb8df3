/* Command-line word splitting. Pure code, built on the host too. */
#include <stdbool.h>
#include <kstring.h>
#include <cmdline.h>

int
cmdline_split(char *buf, char *argv[], int max)
{
	int argc = 0;
	char *r = buf, *w = buf;

	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		bool quoted = false;
		for (; *r && (quoted || (*r != ' ' && *r != '\t')); r++) {
			if (*r == '"')
				quoted = !quoted;
			else
				*w++ = *r;
		}
		/* w never passes r, so this cannot overwrite unread input. */
		if (*r)
			r++;
		*w++ = '\0';
	}
}

const char *
cmdline_value(int argc, char *const argv[], const char *key)
{
	size_t n = strlen(key);

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], key, n))
			continue;
		if (argv[i][n] == '=')
			return argv[i] + n + 1;
		if (argv[i][n] == '\0')
			return "";
	}
	return NULL;
}

bool
cmdline_has(int argc, char *const argv[], const char *key, const char *item)
{
	const char *list = cmdline_value(argc, argv, key);
	size_t n = strlen(item);

	for (const char *s = list; s && *s;) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len == n && !strncmp(s, item, n))
			return true;
		s = end ? end + 1 : s + len;
	}
	return false;
}

bool
cmdline_debug(int argc, char *const argv[], const char *item)
{
	const char *list = cmdline_value(argc, argv, "debug");

	return list && (!*list || cmdline_has(argc, argv, "debug", "all") ||
			cmdline_has(argc, argv, "debug", item));
}

unsigned
cmdline_uint(int argc, char *const argv[], const char *key, unsigned def)
{
	const char *s = cmdline_value(argc, argv, key);
	unsigned v = 0;

	if (!s || !*s)
		return def;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return def;
		v = v * 10 + (unsigned)(*s - '0');
	}
	return v;
}
