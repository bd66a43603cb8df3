/*
 * #! scripts (lab 5), parsed as Linux parses them: the first line names
 * an interpreter and at most one argument (the rest of the line, spaces
 * and all), and the kernel runs
 *
 *     interpreter [argument] script-path original-argv[1] ...
 *
 * An interpreter may itself be a script, BINPRM_MAX_DEPTH deep (ELOOP).
 * The line is read from the file's first BINPRM_BUF_SIZE bytes; a name
 * cut short there is not run (ENOEXEC), an argument cut short is.
 */
#include <exec.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <usercopy.h>

static bool
spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first character in [s, end) that is not a space or a tab, or NULL. */
static char *
skip_spacetab(char *s, const char *end)
{
	for (; s < end; s++)
		if (!spacetab(*s))
			return s;
	return NULL;
}

/* The first space, tab or NUL in [s, end), or NULL. */
static char *
find_terminator(char *s, const char *end)
{
	for (; s < end; s++)
		if (spacetab(*s) || !*s)
			return s;
	return NULL;
}

/* Splits the #! line in line (a copy of the head, NUL-padded) into name and argument. */
#if SOL >= 5
static int
parse_line(char *line, char **name, char **arg)
{
	char *end = line + BINPRM_BUF_SIZE - 1, *nl = memchr(line, '\n', BINPRM_BUF_SIZE);

	if (nl) {
		end = nl;
	} else {
		char *s = skip_spacetab(line + 2, end);

		if (!s || !find_terminator(s, end))
			return -ENOEXEC;	/* all blank, or the name runs off the buffer */
	}
	while (end > line + 2 && spacetab(end[-1]))
		end--;
	*end = '\0';
	*name = skip_spacetab(line + 2, end);
	if (!*name || *name == end)
		return -ENOEXEC;
	*arg = NULL;
	char *sep = find_terminator(*name, end);
	if (sep && *sep) {
		*arg = skip_spacetab(sep, end);
		*sep = '\0';
	}
	return 0;
}
#else
static int
parse_line(char *line, char **name, char **arg)
{
	/* LAB 5: your code here. line holds the file's first BINPRM_BUF_SIZE
	 * bytes (NUL-padded) starting "#!". The line ends at its newline; a
	 * line without one in the buffer is run only if its interpreter's
	 * name ends (a space, a tab or a NUL) before the buffer does, else
	 * -ENOEXEC (never run a truncated path). Trim the spaces and tabs
	 * at the end; skip those after "#!"; nothing left: -ENOEXEC. *name
	 * is the first word, *arg all the rest after the blanks that follow
	 * it (one argument, spaces and all) or NULL. Terminate both in
	 * place. skip_spacetab and find_terminator help. */
	(void)line, (void)name, (void)arg, (void)skip_spacetab, (void)find_terminator;
	return -ENOEXEC;
}
#endif

/* Whether the caller's argv has a first string to replace (an empty argv has none). */
static bool
has_argv0(const struct exec_strings *v)
{
	uint64_t s = 0;

	if (v->kernel)
		return v->count > v->skip;
	return v->user && copy_from_user(&s, v->user + 8 * (uint64_t)v->skip, 8) == 0 && s;
}

static int
script_load(struct exec_request *req)
{
	if (req->head_len < 2 || req->head[0] != '#' || req->head[1] != '!')
		return -ENOEXEC;
	if (req->depth >= BINPRM_MAX_DEPTH)
		return -ELOOP;

	struct exec_strings *argv = &req->args->argv, saved = *argv;
	char *line = kmalloc(BINPRM_BUF_SIZE), *name, *arg;
	char **extra = kmalloc((3 + (size_t)argv->nextra) * sizeof(char *));
	int r = -ENOMEM;

	if (!line || !extra)
		goto out;
	memcpy(line, req->head, BINPRM_BUF_SIZE);
	if ((r = parse_line(line, &name, &arg)) < 0)
		goto out;
	/* The new argv: the interpreter line and the script, then the old argv past its [0]. */
	int n = 0;
	extra[n++] = name;
	if (arg)
		extra[n++] = arg;
	extra[n++] = (char *)req->path;
	if (argv->nextra) {
		for (int i = 1; i < argv->nextra; i++)
			extra[n++] = argv->extra[i];
	} else if (has_argv0(argv)) {
		argv->skip++;
	}
	argv->extra = extra;
	argv->nextra = n;

	/* Run the interpreter in this script's place; its file is opened afresh. */
	const char *path = req->path;
	if (req->file.close)
		req->file.close(&req->file);
	req->file = (struct exec_file){ 0 };
	req->path = name;
	req->depth++;
	r = exec_run(req);
	req->depth--;
	req->path = path;
	*argv = saved;
out:
	kfree(extra);
	kfree(line);
	return r;
}
BINFMT(script, script_load);
