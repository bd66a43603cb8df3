/* The loader refuses each malformed file in /bin/bad with ENOEXEC, and lives */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The files tools/mkbadelf.py writes, each wrong in one way. */
static const char *const bad[] = {
	"truncated", "short-phdrs", "bad-magic", "elf32", "big-endian",
	"wrong-machine", "bad-type", "bad-phentsize", "too-many-phdrs",
	"phdrs-outside", "seg-outside-file", "filesz-gt-memsz", "overlap",
	"huge-memsz", "kernel-vaddr", "misaligned", "entry-outside", "no-load",
	"interp", "script",
};

/* The child's exit code for ENOEXEC; a bad file that ran would exit 0. */
#define REFUSED		200

/* Runs in the child: REFUSED, or else the errno execve gave. */
static int
try_exec(const char *name)
{
	char path[64], *argv[] = { (char *)name, NULL }, *envp[] = { NULL };

	snprintf(path, sizeof(path), "/bin/bad/%s", name);
	execve(path, argv, envp);
	return errno == ENOEXEC ? REFUSED : errno;
}

int
main(void)
{
	unsigned int i;
	int failed = 0, st;
	pid_t pid;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(try_exec(bad[i]));
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			printf("badelf: FAIL fork/waitpid: %s\n",
			       strerror(errno));
			return 1;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == REFUSED) {
			printf("badelf: %s -> ENOEXEC ok\n", bad[i]);
			continue;
		}
		failed = 1;
		if (WIFSIGNALED(st))
			printf("badelf: FAIL %s: killed by signal %d\n", bad[i],
			       WTERMSIG(st));
		else if (WEXITSTATUS(st) == 0)
			printf("badelf: FAIL %s: the kernel ran it\n", bad[i]);
		else
			printf("badelf: FAIL %s: execve gave %s, not ENOEXEC\n",
			       bad[i], strerror(WEXITSTATUS(st)));
	}
	if (failed)
		return 1;
	printf("badelf: ok\n");
	return 0;
}
