/*
 * PROT_NONE memory is out of reach for the kernel too: a system call
 * that reads or writes it gets EFAULT, as the program itself would get
 * SIGSEGV. The data survive and come back with mprotect.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096
#define SECRET	"protnone: this line must never reach the console"

static int failed;

static void
check(int ok, const char *what)
{
	printf("protnone: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

/* r is -1 with errno EFAULT. */
static int
efault(long r)
{
	return r == -1 && errno == EFAULT;
}

int
main(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("protnone: FAIL mmap\n");
		return 1;
	}
	strcpy(p, SECRET "\n");
	fflush(stdout);
	check(mprotect(p, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE");
	check(efault(write(1, p, strlen(SECRET) + 1)), "write from it -> EFAULT");
	struct iovec iov = { p, 16 };
	check(efault(writev(1, &iov, 1)), "writev from it -> EFAULT");
	check(efault(uname((struct utsname *)p)), "uname into it -> EFAULT");
	/* The system call itself: libc may answer clock_gettime in user space. */
	check(efault(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p)),
	      "clock_gettime into it -> EFAULT");
	check(efault(nanosleep((struct timespec *)p, NULL)), "nanosleep reading it -> EFAULT");
	check(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back to RW");
	check(strcmp(p, SECRET "\n") == 0, "the data survived");
	if (failed) {
		printf("protnone: FAIL\n");
		return 1;
	}
	printf("protnone: ok\n");
	return 0;
}
