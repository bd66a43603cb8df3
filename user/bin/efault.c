/* Bad pointers in system calls get EFAULT, bad numbers ENOSYS: never a crash */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One of each kind of bad address. */
#define LOW		((void *)8)			/* unmapped user page */
#define KERNEL		((void *)0xffffffff80100000UL)	/* kernel text */
#define NONCANON	((void *)0x800000000000UL)	/* a #GP if touched */

static int failed;

/* The call returned @ret; it must have failed with @want. */
static void
expect(const char *what, long ret, int want, const char *want_name)
{
	if (ret == -1 && errno == want) {
		printf("efault: %s -> %s ok\n", what, want_name);
		return;
	}
	if (ret == -1)
		printf("efault: FAIL %s -> %s, not %s\n", what,
		       strerror(errno), want_name);
	else
		printf("efault: FAIL %s returned %ld, not %s\n", what, ret,
		       want_name);
	failed = 1;
}

static void
efault(const char *what, long ret)
{
	expect(what, ret, EFAULT, "EFAULT");
}

/* A zombie for wait4; whether EFAULT leaves it unreaped is not checked. */
static void
wait4_bad_status(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		printf("efault: FAIL fork: %s\n", strerror(errno));
		failed = 1;
		return;
	}
	efault("wait4(-1, kernel status)", wait4(-1, KERNEL, 0, NULL));
	wait4(pid, NULL, 0, NULL);
}

int
main(void)
{
	struct iovec kernel_iov = { KERNEL, 10 };
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	fflush(stdout);
	efault("write(NULL)", write(1, NULL, 10));
	efault("write(kernel)", write(1, KERNEL, 10));
	efault("write(non-canonical)", write(1, NONCANON, 10));
	efault("readv(bad iovec pointer)", readv(0, LOW, 1));
	efault("writev(iov_base in kernel)", writev(1, &kernel_iov, 1));
	/* Through syscall(2): musl would use the vDSO on Linux and crash. */
	efault("clock_gettime(kernel)",
	       syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL));
	efault("uname(kernel)", uname(KERNEL));
	efault("uname(read-only text)",
	       uname((struct utsname *)(uintptr_t)main));
	efault("nanosleep(bad request)", nanosleep(LOW, NULL));
	wait4_bad_status();
	efault("execve(bad path)", execve(KERNEL, argv, envp));
	expect("syscall 1000", syscall(1000), ENOSYS, "ENOSYS");
	expect("syscall -1", syscall(-1), ENOSYS, "ENOSYS");
	if (failed)
		return 1;
	printf("efault: ok\n");
	return 0;
}
