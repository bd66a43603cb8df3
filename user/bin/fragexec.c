/*
 * exec must not need physically contiguous memory. A child takes nearly
 * all free memory, then gives back every other page: half the memory is
 * free again, but in single frames. fork and execve must still work.
 * NexaOS only: on Linux it would starve the host.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096
#define LEAVE		(256L << 10)	/* stop taking memory at this much free */

static long long
free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return (long long)si.freeram * si.mem_unit;
}

/* Takes nearly all free memory, frees every other page; the pages freed. */
static long
fragment(void)
{
	long len = (long)free_ram() / PAGE * PAGE, n = 0, freed = 0;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (; n * PAGE < len; n++) {
		if (n % 16 == 0 && free_ram() < LEAVE)
			break;
		p[n * PAGE] = 1;
	}
	for (long i = 0; i < n; i += 2, freed++)
		munmap(p + i * PAGE, PAGE);
	return freed;
}

static int
run_child(void)
{
	long freed = fragment();

	if (freed < 0)
		return 2;
	printf("fragexec: %ld MiB free again, all of it in single pages\n",
	       freed * PAGE >> 20);
	fflush(stdout);
	pid_t pid = fork();
	int st;
	if (pid == 0) {
		char *argv[] = { "true", NULL }, *envp[] = { NULL };

		execve("/bin/true", argv, envp);
		printf("fragexec: FAIL execve: %s\n", strerror(errno));
		_exit(1);
	}
	if (pid < 0) {
		printf("fragexec: FAIL fork: %s\n", strerror(errno));
		return 1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	printf("fragexec: fork and execve worked\n");
	return 0;
}

int
main(void)
{
	struct utsname u;
	int st;

	uname(&u);
	if (!strcmp(u.sysname, "Linux")) {
		printf("fragexec: skipped on Linux\n");
		return 0;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(run_child());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("fragexec: FAIL\n");
		return 1;
	}
	printf("fragexec: ok\n");
	return 0;
}
