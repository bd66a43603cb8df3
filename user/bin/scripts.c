/*
 * #! scripts as Linux's execve runs them: how it splits the line (one
 * optional argument, kept whole, blanks around it trimmed), the 256-byte
 * limit (argument cut, or ENOEXEC when it cuts the interpreter's path),
 * lines with no interpreter, scripts run by scripts (ELOOP past the depth
 * limit), missing or unrunnable interpreters, the exec permission errors,
 * odd spellings of a path, and ETXTBSY both ways: exec of a file open for
 * writing, and opening for writing a file being run. The interpreter is
 * /bin/showargs, which prints its argv. Works in /tmp/scripts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAME	"scripts"
#define DIR	"/tmp/" NAME
#define LINE	256		/* Linux's BINPRM_BUF_SIZE: the #! line's limit */
#define NESTED	7		/* scripts run by scripts, n1 .. n7 */

static int failed;
static char first_failure[200];

static const char *
errname(int e)
{
	static char other[16];

	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ETXTBSY: return "ETXTBSY";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ELOOP: return "ELOOP";
	case ENOSYS: return "ENOSYS";
	}
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

static void
note_failure(const char *what)
{
	failed++;
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s", what);
}

/* Prints "scripts: WHAT -> GOT"; a failure unless GOT is WANT. */
static void
expect_str(const char *got, const char *want, const char *what)
{
	if (!strcmp(got, want)) {
		printf(NAME ": %s -> %s\n", what, got);
		return;
	}
	printf(NAME ": %s -> %s, want %s: FAIL\n", what, got, want);
	note_failure(what);
}

static void
expect_err(long r, int want, const char *what)
{
	expect_str(r < 0 ? errname(errno) : "0", want ? errname(want) : "0", what);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf: nothing of an earlier run may be left over. */
static void
rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
make(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);

	write(fd, text, len);
	close(fd);
	chmod(path, mode);
}

static void
script(const char *path, const char *text)
{
	make(path, text, strlen(text), 0755);
}

static void
copy(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, mode);
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, n);
	close(in);
	close(out);
	chmod(to, mode);
}

/*
 * execve(path, argv) in a child with stdout on a pipe. What happened, as
 * one string: the errno name if execve failed, else "exit N" and the
 * lines printed (showargs' without its "showargs: ").
 */
static const char *
run(const char *path, char *const argv[])
{
	static char out[2048];
	char buf[2048], *line, *save;
	size_t have = 0;
	ssize_t n;
	int p[2], st;
	pid_t pid;

	pipe(p);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *const envp[] = { NULL };

		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(path, argv, envp);
		printf("ERR %s\n", errname(errno));
		fflush(stdout);
		_exit(127);
	}
	close(p[1]);
	while (have < sizeof(buf) - 1 && (n = read(p[0], buf + have, sizeof(buf) - 1 - have)) > 0)
		have += n;
	buf[have] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	if (!strncmp(buf, "ERR ", 4)) {
		snprintf(out, sizeof(out), "%.*s", (int)strcspn(buf + 4, "\n"), buf + 4);
		return out;
	}
	if (WIFEXITED(st))
		snprintf(out, sizeof(out), "exit %d", WEXITSTATUS(st));
	else
		snprintf(out, sizeof(out), "signal %d", WTERMSIG(st));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "showargs: ", 10))
			line += 10;
		snprintf(out + strlen(out), sizeof(out) - strlen(out), ": %s", line);
	}
	return out;
}

/* Runs a script with argv { "name", "one" }: what happened. */
static const char *
run_script(const char *path)
{
	char *const argv[] = { "name", "one", NULL };

	return run(path, argv);
}

static void
splitting(void)
{
	static char text[2 * LINE];
	int n;

	script(DIR "/noarg", "#!/bin/showargs\n");
	expect_str(run_script(DIR "/noarg"),
		   "exit 0: [/bin/showargs] [" DIR "/noarg] [one]", "#!/bin/showargs");
	script(DIR "/onearg", "#!/bin/showargs -x\n");
	expect_str(run_script(DIR "/onearg"),
		   "exit 0: [/bin/showargs] [-x] [" DIR "/onearg] [one]", "#!/bin/showargs -x");
	script(DIR "/blanks", "#! \t /bin/showargs \t a  b\tc \t \n");
	expect_str(run_script(DIR "/blanks"),
		   "exit 0: [/bin/showargs] [a  b\tc] [" DIR "/blanks] [one]",
		   "#! TAB /bin/showargs TAB a  b TAB c TAB (one argument, trimmed)");
	script(DIR "/noeol", "#!/bin/showargs -y");
	expect_str(run_script(DIR "/noeol"),
		   "exit 0: [/bin/showargs] [-y] [" DIR "/noeol] [one]", "#!/bin/showargs -y, no newline");
	script(DIR "/hash", "#!/bin/showargs # not a comment\necho never\n");
	expect_str(run_script(DIR "/hash"),
		   "exit 0: [/bin/showargs] [# not a comment] [" DIR "/hash] [one]",
		   "#!/bin/showargs # not a comment");
	script(DIR "/relative", "#!../../bin/showargs\n");
	expect_str(run_script(DIR "/relative"),
		   "exit 0: [../../bin/showargs] [" DIR "/relative] [one]",
		   "#!../../bin/showargs (relative to the cwd)");
	{
		char *const argv[] = { NULL };

		expect_str(run(DIR "/noarg", argv), "exit 0: [/bin/showargs] [" DIR "/noarg]",
			   "#!/bin/showargs run with an empty argv");
	}

	/* An argument cut at the limit: the line is 16 + 300 bytes. */
	n = snprintf(text, sizeof(text), "#!/bin/showargs ");
	memset(text + n, 'y', 300);
	strcpy(text + n + 300, "\n");
	script(DIR "/longarg", text);
	expect_str(run_script(DIR "/longarg"),
		   "exit 0: [/bin/showargs] [<239 bytes>] [" DIR "/longarg] [one]",
		   "#!/bin/showargs <300 bytes> (cut to 255 bytes of line)");
	/* The interpreter's path is 253 bytes: its newline is byte 256. */
	n = 253 - strlen("/bin/showargs");
	memset(text, '/', sizeof(text));
	memcpy(text, "#!", 2);
	strcpy(text + 2 + n, "/bin/showargs\n");
	script(DIR "/longpath", text);
	expect_str(run_script(DIR "/longpath"),
		   "exit 0: [<253 bytes>] [" DIR "/longpath] [one]", "#!<253-byte path>");
	/* 254 bytes: the 256-byte buffer ends inside the path. */
	memmove(text + 3, text + 2, strlen(text + 2) + 1);
	script(DIR "/toolong", text);
	expect_str(run_script(DIR "/toolong"), "ENOEXEC", "#!<254-byte path>");
	/* A path cut by the limit even though a blank comes later. */
	memset(text, '/', sizeof(text));
	memcpy(text, "#!", 2);
	strcpy(text + 300, " arg\n");
	script(DIR "/cutpath", text);
	expect_str(run_script(DIR "/cutpath"), "ENOEXEC", "#!<298 slashes> arg");

	script(DIR "/empty", "#!\n");
	expect_str(run_script(DIR "/empty"), "ENOEXEC", "#! and a newline");
	script(DIR "/blank", "#!  \t  \n");
	expect_str(run_script(DIR "/blank"), "ENOEXEC", "#! and blanks");
	memset(text, ' ', sizeof(text));
	memcpy(text, "#!", 2);
	text[400] = 0;
	script(DIR "/allblank", text);
	expect_str(run_script(DIR "/allblank"), "ENOEXEC", "#! and 398 spaces");
	script(DIR "/crlf", "#!/bin/showargs\r\n");
	expect_str(run_script(DIR "/crlf"), "ENOENT", "#!/bin/showargs CR LF (the CR is part of the name)");
	script(DIR "/text", "echo hello\n");
	expect_str(run_script(DIR "/text"), "ENOEXEC", "a text file with no #!");
	script(DIR "/zero", "");
	expect_str(run_script(DIR "/zero"), "ENOEXEC", "an empty file");
	script(DIR "/spaceshebang", " #!/bin/showargs\n");
	expect_str(run_script(DIR "/spaceshebang"), "ENOEXEC", "\" #!\" (a blank before the #!)");
}

/* n1 runs /bin/showargs, n2 runs n1, ... : how deep can it go? */
static void
nesting(void)
{
	char path[64], text[80], what[64];

	script(DIR "/n1", "#!/bin/showargs n1arg\n");
	for (int i = 2; i <= NESTED; i++) {
		snprintf(path, sizeof(path), DIR "/n%d", i);
		snprintf(text, sizeof(text), "#!" DIR "/n%d\n", i - 1);
		script(path, text);
	}
	expect_str(run_script(DIR "/n1"), "exit 0: [/bin/showargs] [n1arg] [" DIR "/n1] [one]",
		   "n1 (1 script)");
	expect_str(run_script(DIR "/n2"),
		   "exit 0: [/bin/showargs] [n1arg] [" DIR "/n1] [" DIR "/n2] [one]", "n2 (2 scripts)");
	for (int i = 3; i <= NESTED; i++) {
		snprintf(path, sizeof(path), DIR "/n%d", i);
		snprintf(what, sizeof(what), "n%d (%d scripts)", i, i);
		const char *got = run_script(path);

		/* Linux allows 4 rewrites after the first: 5 scripts deep. */
		if (i <= 5)
			expect_str(!strncmp(got, "exit 0: [/bin/showargs] [n1arg]", 31) ? "runs" : got,
				   "runs", what);
		else
			expect_str(got, "ELOOP", what);
	}
	script(DIR "/selfish", "#!" DIR "/selfish\n");
	expect_str(run_script(DIR "/selfish"), "ELOOP", "a script that is its own interpreter");
}

static void
refusals(void)
{
	script(DIR "/missing", "#!/nonexistent/interp\n");
	expect_str(run_script(DIR "/missing"), "ENOENT", "#!/nonexistent/interp");
	script(DIR "/dirinterp", "#!/tmp\n");
	expect_str(run_script(DIR "/dirinterp"), "EACCES", "#!/tmp (a directory)");
	copy("/bin/showargs", DIR "/noexec-elf", 0644);
	script(DIR "/noexecinterp", "#!" DIR "/noexec-elf\n");
	expect_str(run_script(DIR "/noexecinterp"), "EACCES", "#! a 0644 program");
	script(DIR "/fileasdir", "#!/etc/motd/x\n");
	expect_str(run_script(DIR "/fileasdir"), "ENOTDIR", "#!/etc/motd/x");
	make(DIR "/noxscript", "#!/bin/showargs\n", 16, 0644);
	expect_str(run_script(DIR "/noxscript"), "EACCES", "a 0644 script");
	expect_str(run_script(DIR "/noexec-elf"), "EACCES", "a 0644 program");
	expect_str(run_script(DIR), "EACCES", "a directory");
	expect_str(run_script("/etc/motd"), "EACCES", "/etc/motd (0644 text)");
	expect_str(run_script("/etc/motd/x"), "ENOTDIR", "/etc/motd/x");
	expect_str(run_script("/nonexistent"), "ENOENT", "/nonexistent");
	expect_str(run_script("//bin//true"), "exit 0", "//bin//true");
	expect_str(run_script("/bin/./true"), "exit 0", "/bin/./true");
	expect_str(run_script("/bin/../bin/true"), "exit 0", "/bin/../bin/true");
	expect_str(run_script("/bin/true/"), "ENOTDIR", "/bin/true/");
	expect_str(run_script(""), "ENOENT", "\"\"");
}

/* ETXTBSY: a program's file cannot be run and written at the same time. */
static void
busy_text(void)
{
	char *const argv[] = { "self", "wait", NULL };
	char c;
	int fd, in[2], out[2], st;
	pid_t pid;

	copy("/bin/true", DIR "/t", 0755);
	fd = open(DIR "/t", O_WRONLY);
	expect_str(run_script(DIR "/t"), "ETXTBSY", "exec a program open for writing");
	script(DIR "/tscript", "#!" DIR "/t\n");
	expect_str(run_script(DIR "/tscript"), "ETXTBSY", "exec a script whose interpreter is open for writing");
	close(fd);
	expect_str(run_script(DIR "/t"), "exit 0", "exec it after the close");

	/* A copy of this program waits on a pipe while we try to write it. */
	copy("/bin/" NAME, DIR "/self", 0755);
	pipe(in);
	pipe(out);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv(DIR "/self", argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	expect_str(read(out[0], &c, 1) == 1 && c == 'r' ? "yes" : "no", "yes", "a copy of " NAME " runs");
	fd = open(DIR "/self", O_WRONLY);
	expect_err(fd, ETXTBSY, "open it O_WRONLY while it runs");
	if (fd >= 0)
		close(fd);
	expect_err(truncate(DIR "/self", 0), ETXTBSY, "truncate it while it runs");
	fd = open(DIR "/self", O_RDONLY);
	expect_err(fd, 0, "open it O_RDONLY while it runs");
	close(fd);
	expect_err(unlink(DIR "/t"), 0, "unlink another program (not running)");
	close(in[1]);
	waitpid(pid, &st, 0);
	expect_str(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "exit 0" : "not exit 0", "exit 0", "it ended");
	fd = open(DIR "/self", O_WRONLY);
	expect_err(fd, 0, "open it O_WRONLY now");
	close(fd);
	close(out[0]);
}

int
main(int argc, char **argv)
{
	char c;

	/* The copy busy_text() runs: says it runs, then waits for EOF. */
	if (argc == 2 && !strcmp(argv[1], "wait")) {
		write(1, "r", 1);
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	rm_tree(DIR);
	if (mkdir(DIR, 0755) < 0 || chdir(DIR) < 0) {
		printf(NAME ": FAIL cannot make %s: %s\n", DIR, errname(errno));
		return 1;
	}
	splitting();
	nesting();
	refusals();
	busy_text();
	chdir("/");
	rm_tree(DIR);
	if (failed) {
		printf(NAME ": FAIL %d checks, the first: %s\n", failed, first_failure);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
