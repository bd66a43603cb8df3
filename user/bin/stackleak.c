/*
 * exec must hand the new program nothing of anyone else's. A child execs
 * this program with a large environment of secrets (`fill`); a second
 * child execs it again with a small one (`scan`) and checks that every
 * byte of its initial stack that is not argc, argv, envp, the auxiliary
 * vector, a string it points to or the AT_RANDOM bytes is zero.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECRETS		60
#define SECRET_LEN	2000
#define PAGE		4096

static void
mark(unsigned char *used, const char *lo, const char *at, size_t n)
{
	memset(used + (at - lo), 1, n);
}

static int
scan(char **argv, char **envp)
{
	char *lo = (char *)argv - sizeof(long);		/* argc: the initial rsp */
	int envc = 0;

	while (envp[envc])
		envc++;
	Elf64_auxv_t *auxv = (Elf64_auxv_t *)(envp + envc + 1), *a = auxv;
	char *random = NULL, *platform = NULL, *execfn = NULL;
	for (; a->a_type != AT_NULL; a++) {
		if (a->a_type == AT_RANDOM)
			random = (char *)a->a_un.a_val;
		if (a->a_type == AT_PLATFORM)
			platform = (char *)a->a_un.a_val;
		if (a->a_type == AT_EXECFN)
			execfn = (char *)a->a_un.a_val;
	}
	if (!random || !execfn) {
		printf("stackleak: FAIL no AT_RANDOM or AT_EXECFN\n");
		return 1;
	}
	char *hi = (char *)(((uintptr_t)execfn + strlen(execfn) + 1 + PAGE - 1) &
			    ~(uintptr_t)(PAGE - 1));
	unsigned char *used = calloc(hi - lo, 1);
	mark(used, lo, lo, (char *)(a + 1) - lo);	/* argc ... AT_NULL */
	mark(used, lo, random, 16);
	if (platform)
		mark(used, lo, platform, strlen(platform) + 1);
	mark(used, lo, execfn, strlen(execfn) + 1);
	for (char **s = argv; *s; s++)
		mark(used, lo, *s, strlen(*s) + 1);
	for (char **s = envp; *s; s++)
		mark(used, lo, *s, strlen(*s) + 1);
	long stray = 0;
	for (long i = 0; i < hi - lo; i++)
		stray += !used[i] && lo[i];
	printf("stackleak: %s\n", stray ? "FAIL bytes of another program on the stack" :
	       "every other byte of the initial stack is zero ok");
	return stray != 0;
}

/* Runs this program (self, as argv[0] named it) again as `stackleak mode` with env. */
static int
run(const char *self, const char *mode, char **env)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char *argv[] = { "stackleak", (char *)mode, NULL };

		execve(self, argv, env);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int
main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "fill"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "scan"))
		return scan(argv, envp);
	static char secrets[SECRETS][SECRET_LEN];
	char *big[SECRETS + 1], *small[] = { "A=1", NULL };
	for (int i = 0; i < SECRETS; i++) {
		snprintf(secrets[i], SECRET_LEN, "PASSWORD%d=", i);
		memset(secrets[i] + strlen(secrets[i]), 'S', SECRET_LEN - 1 - strlen(secrets[i]));
		big[i] = secrets[i];
	}
	big[SECRETS] = NULL;
	if (run(argv[0], "fill", big) != 0 || run(argv[0], "scan", small) != 0) {
		printf("stackleak: FAIL\n");
		return 1;
	}
	printf("stackleak: ok\n");
	return 0;
}
