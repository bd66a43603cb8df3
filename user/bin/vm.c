/*
 * Anonymous memory: demand-zero pages, munmap of part of a region,
 * mprotect to read-only and to PROT_NONE and back, MAP_FIXED and
 * MAP_FIXED_NOREPLACE, the errors of bad arguments, brk, and an execve
 * argument longer than 128 KiB.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE		4096
#define PROT_RW		(PROT_READ | PROT_WRITE)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static int failed;

static void
check(int ok, const char *what)
{
	printf("vm: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

/* In a child: touch p (write or read); the signal it died of, or 0. */
static int
touch(volatile char *p, int write)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static char *
map(void *at, size_t len, int prot, int flags)
{
	char *p = mmap(at, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int
fails_with(long r, int err)
{
	return r < 0 && errno == err;
}

int
main(void)
{
	char *p = map(NULL, 4 * PAGE, PROT_RW, 0);
	int zero = p != NULL;

	for (int i = 0; zero && i < 4 * PAGE; i++)
		zero = p[i] == 0;
	check(zero, "fresh anonymous pages read as zero");
	for (int i = 0; p && i < 4; i++)
		p[i * PAGE] = (char)('a' + i);

	check(p && munmap(p + PAGE, PAGE) == 0 && touch(p + PAGE, 0) == SIGSEGV &&
	      p[0] == 'a' && p[2 * PAGE] == 'c', "munmap of a middle page: it faults, its neighbours stay");
	check(p && mprotect(p, PAGE, PROT_READ) == 0 && touch(p, 1) == SIGSEGV &&
	      touch(p, 0) == 0 && p[0] == 'a', "mprotect read-only: writes fault, reads work");
	check(p && mprotect(p, PAGE, PROT_NONE) == 0 && touch(p, 0) == SIGSEGV,
	      "mprotect PROT_NONE: reads fault");
	check(p && mprotect(p, PAGE, PROT_RW) == 0 && p[0] == 'a' && (p[0] = 'A') == 'A',
	      "mprotect back to read-write: the data is still there");

	char *q = p ? map(p + 2 * PAGE, PAGE, PROT_RW, MAP_FIXED) : NULL;
	check(q == p + 2 * PAGE && q[0] == 0, "MAP_FIXED replaces a page with a zero one");
	errno = 0;
	check(p && map(p + 3 * PAGE, PAGE, PROT_RW, MAP_FIXED_NOREPLACE) == NULL &&
	      errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping -> EEXIST");

	errno = 0;
	check(fails_with(munmap(p + 1, PAGE), EINVAL), "munmap of an unaligned address -> EINVAL");
	errno = 0;
	check(map(NULL, 0, PROT_RW, 0) == NULL && errno == EINVAL, "mmap of 0 bytes -> EINVAL");
	errno = 0;
	check(fails_with(mprotect(p + PAGE, PAGE, PROT_READ), ENOMEM),
	      "mprotect of an unmapped page -> ENOMEM");
	/* brk through the system call: musl's sbrk() only answers sbrk(0). */
	char *cur = (char *)syscall(SYS_brk, 0);
	char *grown = (char *)syscall(SYS_brk, cur + 3 * PAGE);
	check(grown == cur + 3 * PAGE && (grown[-1] = 1) == 1, "brk grows by three pages");
	char *end = (char *)(((unsigned long)cur + PAGE - 1) & ~(PAGE - 1UL));
	check((char *)syscall(SYS_brk, cur) == cur && touch(end + PAGE, 1) == SIGSEGV,
	      "brk shrinks back; beyond it faults");

	size_t n = 200 * 1024;
	char *big = malloc(n + 1);
	memset(big, 'x', n);
	big[n] = 0;
	char *argv[] = { "true", big, NULL }, *envp[] = { NULL };
	errno = 0;
	execve("/bin/true", argv, envp);
	check(errno == E2BIG, "execve with a 200 KiB argument -> E2BIG");

	printf(failed ? "vm: FAIL\n" : "vm: ok\n");
	return failed;
}
