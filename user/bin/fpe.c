/*
 * Floating-point exceptions that a program unmasks end it with SIGFPE:
 * an x87 division by zero (the kernel must have CR0.NE set, or the error
 * goes to the old IRQ 13 and the program runs on), an SSE one, and an
 * integer division overflow.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

static void
x87_divide_by_zero(void)
{
	uint16_t cw = 0x037B;	/* the default 0x037F with ZM (bit 2) clear */

	__asm__ volatile("fldcw %0; fld1; fldz; fdivrp; fwait; fstp %%st(0)" : : "m"(cw));
}

#define NO_TRAP		42	/* exit status: the flag went up, no exception came */

static void
sse_divide_by_zero(void)
{
	uint32_t mxcsr = 0x1F80 & ~0x200;	/* ZM (bit 9) clear */
	double one = 1.0, zero = 0.0;

	__asm__ volatile("ldmxcsr %1; divsd %3, %2; stmxcsr %0"
			 : "=m"(mxcsr) : "m"(mxcsr), "x"(one), "x"(zero));
	if (mxcsr & 0x4)	/* ZE: QEMU's TCG raises no #XM, it only sets flags */
		_exit(NO_TRAP);
}

static void
integer_overflow(void)
{
	volatile int64_t a = INT64_MIN, b = -1, q;

	q = a / b;
	(void)q;
}

/* Runs fn in a child; the signal it died of, or 0. */
static int
death_of(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == NO_TRAP)
		return NO_TRAP;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void
expect_sigfpe(void (*fn)(void), const char *what)
{
	int sig = death_of(fn);

	printf("fpe: %s -> %s\n", what, sig == SIGFPE ? "SIGFPE ok" :
	       sig == NO_TRAP ? "SKIP (this CPU raises no SIMD exceptions)" : "FAIL");
	failed |= sig != SIGFPE && sig != NO_TRAP;
}

int
main(void)
{
	expect_sigfpe(x87_divide_by_zero, "x87 divide by zero, unmasked");
	expect_sigfpe(sse_divide_by_zero, "SSE divide by zero, unmasked");
	expect_sigfpe(integer_overflow, "INT64_MIN / -1");
	if (failed) {
		printf("fpe: FAIL\n");
		return 1;
	}
	printf("fpe: ok\n");
	return 0;
}
