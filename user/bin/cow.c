/* Copy-on-write fork: the copies diverge, and a page is copied when written. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE		(4 << 20)
#define MIB		(1LL << 20)
#define SEES_OLD	10	/* the child's exit codes for what went wrong */
#define LOST_WRITES	11
#define BAD_COUNTS	12

static long long
free_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return -1;
	return (long long)si.freeram * si.mem_unit;
}

static int
filled_with(const unsigned char *p, int c)
{
	uint64_t w = 0x0101010101010101ULL * (unsigned char)c;
	size_t i;

	for (i = 0; i < SIZE / 8; i++)
		if (((const uint64_t *)p)[i] != w)
			return 0;
	return 1;
}

/* The child writes its copy; it also measures what that costs in frames. */
static void
child(unsigned char *buf, long long free0, int counts)
{
	long long free1 = free_ram(), free2;

	if (!filled_with(buf, 'P'))
		_exit(SEES_OLD);
	memset(buf, 'C', SIZE);
	free2 = free_ram();
	if (!filled_with(buf, 'C'))
		_exit(LOST_WRITES);
	if (counts && (free1 < 0 || free0 - free1 >= MIB ||
		       free1 - free2 < 7 * MIB / 2)) {
		printf("cow: FAIL free RAM %lld before fork, %lld after, "
		       "%lld after writing 4 MiB\n", free0, free1, free2);
		fflush(stdout);
		_exit(BAD_COUNTS);
	}
	_exit(0);
}

static int
run_child(unsigned char *buf, int counts, int parent_writes)
{
	long long free0 = free_ram();
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(buf, free0, counts);
	if (pid < 0) {
		printf("cow: FAIL fork: %s\n", strerror(errno));
		return -1;
	}
	/* Racing with the child's reads: a shared page would show it 'Q'. */
	if (parent_writes)
		memset(buf, 'Q', SIZE);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		printf("cow: FAIL child died\n");
		return -1;
	}
	return WEXITSTATUS(st);
}

int
main(void)
{
	unsigned char *buf;
	struct utsname u;
	int on_linux, st;

	on_linux = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
	buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		printf("cow: FAIL mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(buf, 'P', SIZE);

	st = run_child(buf, !on_linux, 0);
	if (st == SEES_OLD)
		printf("cow: FAIL the child does not see the parent's data\n");
	if (st == LOST_WRITES)
		printf("cow: FAIL the child's writes did not stick\n");
	if (st != 0 && st != BAD_COUNTS)
		return 1;
	if (!filled_with(buf, 'P')) {
		printf("cow: FAIL the child's writes reached the parent\n");
		return 1;
	}
	memset(buf, 'P', SIZE);
	if (run_child(buf, 0, 1) != 0 || !filled_with(buf, 'Q')) {
		printf("cow: FAIL the parent's writes reached the child\n");
		return 1;
	}
	printf("cow: parent and child diverge\n");
	if (on_linux)
		printf("cow: SKIP frame counts (sysinfo is noisy on Linux)\n");
	else if (st == 0)
		printf("cow: pages shared until written\n");
	else
		return 1;
	printf("cow: ok\n");
	return 0;
}
