/*
 * Out of memory: a child (the hog) takes nearly all free memory and
 * keeps it; then this process (init, in the test) faults in more. The
 * kernel's OOM killer must kill the hog, the process with the largest
 * footprint, not whoever faulted last; init lives on and gets the
 * memory back. NexaOS only: on Linux it would starve the host.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096
#define CHUNK		(1L << 20)
#define HOG_LEAVES	(512L << 10)	/* the hog stops with this much free */
#define MINE		(4L << 20)	/* what init then touches */

static long long
free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return (long long)si.freeram * si.mem_unit;
}

static void
hog(void)
{
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		for (long off = 0; off < CHUNK; off += PAGE) {
			if (off % (16 * PAGE) == 0 && free_ram() < HOG_LEAVES)
				goto full;
			p[off] = 1;
		}
	}
full:
	for (;;)
		pause();
}

int
main(void)
{
	struct utsname u;

	uname(&u);
	if (!strcmp(u.sysname, "Linux")) {
		printf("oom: skipped on Linux\n");
		return 0;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		hog();
	/* Wait until the hog has eaten (at most 20 s). */
	for (int i = 0; i < 200 && free_ram() >= 2 * HOG_LEAVES; i++)
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	if (free_ram() >= 2 * HOG_LEAVES) {
		printf("oom: FAIL the hog did not take the memory\n");
		return 1;
	}
	printf("oom: the hog took the memory\n");
	char *mine = mmap(NULL, MINE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mine == MAP_FAILED) {
		printf("oom: FAIL mmap\n");
		return 1;
	}
	memset(mine, 0x5a, MINE);	/* the faults that find no memory */
	printf("oom: init faulted in %ld MiB and lived on\n", MINE >> 20);
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		printf("oom: FAIL the hog was not killed by SIGKILL\n");
		return 1;
	}
	printf("oom: the hog was killed by SIGKILL\n");
	if (free_ram() < 4 * MINE) {
		printf("oom: FAIL the hog's memory did not come back\n");
		return 1;
	}
	printf("oom: the memory came back\n");
	printf("oom: ok\n");
	return 0;
}
