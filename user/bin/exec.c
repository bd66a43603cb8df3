/* execve: runs args with a new argv and envp; with "errors", fails cleanly. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *const args_argv[] = { "args", "one", "two words", NULL };
static char *const args_envp[] = { "HOME=/", "MODE=exec", NULL };
static int failed;
/* A bad pointer the compiler cannot see through (and warn about). */
static volatile uintptr_t bad_addr = 1;

/* Returns the errno of an execve that must fail (it returns only then). */
static int
exec_errno(const char *path, char *const argv[], char *const envp[])
{
	fflush(stdout);
	execve(path, argv, envp);
	return errno;
}

static void
expect(const char *what, int err, int want, const char *want_name)
{
	if (err == want) {
		printf("exec: %s -> %s ok\n", what, want_name);
		return;
	}
	printf("exec: FAIL %s: %s, not %s\n", what, strerror(err), want_name);
	failed = 1;
}

static int
errors(void)
{
	char *bad_string[] = { (char *)bad_addr, NULL };
	char **bad_vec = (char **)bad_addr;
	int err;

	err = exec_errno("/nonexistent", args_argv, args_envp);
	expect("/nonexistent", err, ENOENT, "ENOENT");
	err = exec_errno("/bin/bad/wrong-machine", args_argv, args_envp);
	if (err == ENOENT)
		printf("exec: SKIP (no /bin/bad)\n");
	else
		expect("/bin/bad/wrong-machine", err, ENOEXEC, "ENOEXEC");
	/* /bin/true exists, so only the bad pointer can be the reason. */
	err = exec_errno("/bin/true", bad_vec, args_envp);
	expect("argv (char **)1", err, EFAULT, "EFAULT");
	err = exec_errno("/bin/true", args_argv, bad_vec);
	expect("envp (char **)1", err, EFAULT, "EFAULT");
	err = exec_errno("/bin/true", bad_string, args_envp);
	expect("argv[0] (char *)1", err, EFAULT, "EFAULT");
	if (failed)
		return 1;
	printf("exec: ok\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "errors") == 0)
		return errors();
	fflush(stdout);
	execve("/bin/args", args_argv, args_envp);
	printf("exec: FAIL execve /bin/args: %s\n", strerror(errno));
	return 1;
}
