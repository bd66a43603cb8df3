/*
 * brk after the heap has been cut up: mprotect, MAP_FIXED and munmap
 * split it, then brk grows it again. The new pages are writable heap,
 * the read-only piece stays read-only (a write faults, a system call
 * writing there gets EFAULT), and fork still works.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096

static int failed;

static void
check(int ok, const char *what)
{
	printf("brkhole: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

static char *
sys_brk(void *to)
{
	return (char *)syscall(SYS_brk, to);
}

/* In a child: write to p; the signal it died of, or 0. */
static int
write_in_child(volatile char *p)
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		*p = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

int
main(void)
{
	char *base = sys_brk(0);
	char *heap = (char *)(((uintptr_t)base + PAGE - 1) & ~(uintptr_t)(PAGE - 1));

	/* Eight heap pages, the third read-only, the fifth replaced by MAP_FIXED,
	 * the seventh unmapped. */
	check(sys_brk(heap + 8 * PAGE) == heap + 8 * PAGE, "brk grows by 8 pages");
	memset(heap, 0x5a, 8 * PAGE);
	check(mprotect(heap + 2 * PAGE, PAGE, PROT_READ) == 0, "mprotect of a heap page");
	check(mmap(heap + 4 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == heap + 4 * PAGE,
	      "MAP_FIXED inside the heap");
	check(munmap(heap + 6 * PAGE, PAGE) == 0, "munmap inside the heap");

	/* Grow the cut-up heap twice: new writable pages at its end. */
	check(sys_brk(heap + 12 * PAGE) == heap + 12 * PAGE, "brk grows the split heap");
	memset(heap + 8 * PAGE, 0x33, 4 * PAGE);
	check(heap[11 * PAGE] == 0x33, "the new heap pages are writable");
	check(sys_brk(heap + 16 * PAGE) == heap + 16 * PAGE, "brk grows again");
	heap[15 * PAGE] = 7;

	/* The read-only page is still read-only, for the program and the kernel. */
	check(heap[2 * PAGE] == 0x5a, "the read-only page keeps its data");
	check(write_in_child(heap + 2 * PAGE) == SIGSEGV, "a write to it -> SIGSEGV");
	errno = 0;
	check(uname((struct utsname *)(heap + 2 * PAGE)) == -1 && errno == EFAULT,
	      "uname into it -> EFAULT");
	check(heap[4 * PAGE] == 0, "the MAP_FIXED page reads zero");
	check(write_in_child(heap + 6 * PAGE) == SIGSEGV, "the unmapped page -> SIGSEGV");

	/* Shrink over the holes, then grow over them: fresh zero pages. */
	check(sys_brk(heap + PAGE) == heap + PAGE, "brk shrinks over the holes");
	check(sys_brk(heap + 8 * PAGE) == heap + 8 * PAGE, "brk grows over them again");
	check(heap[2 * PAGE] == 0 && heap[6 * PAGE] == 0, "the regrown pages read zero");
	heap[2 * PAGE] = 1;
	check(write_in_child(heap + 2 * PAGE) == 0, "the regrown pages are writable");
	check(write_in_child(heap + 20 * PAGE) == SIGSEGV, "beyond the break -> SIGSEGV");
	if (failed) {
		printf("brkhole: FAIL\n");
		return 1;
	}
	printf("brkhole: ok\n");
	return 0;
}
