/*
 * FPU and SSE state is per process: two children run the same long
 * floating-point loop side by side, under different rounding modes, and
 * must each get exactly the result the parent computed alone.
 */
#include <fenv.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STEPS	3000000

/* Read afresh each time: the compiler must not reuse one result for both modes. */
static volatile double seed = 1.5;

/* Long enough to be preempted many times; a, b and c live in SSE registers. */
static double
churn(double seed)
{
	double a = seed, b = 0, c = 1;

	for (int i = 0; i < STEPS; i++) {
		b += a * 1.0000001;
		a = a * 0.9999999 + 1e-7;
		c = c * 1.0000003 - b * 1e-12;
	}
	return a + b + c;
}

/* The loop's result in rounding mode mode, by a child, as its exit status. */
static pid_t
spawn(int mode, double want)
{
	pid_t pid = fork();

	if (pid == 0) {
		fesetround(mode);
		double got = churn(seed);
		_exit(memcmp(&got, &want, sizeof(got)) ? 1 : 0);
	}
	return pid;
}

int
main(void)
{
	fesetround(FE_TONEAREST);
	double nearest = churn(seed);
	fesetround(FE_TOWARDZERO);
	double zero = churn(seed);
	fesetround(FE_TONEAREST);
	if (!memcmp(&nearest, &zero, sizeof(zero))) {
		printf("fpu: FAIL the rounding modes give one result\n");
		return 1;
	}
	fflush(stdout);
	pid_t a = spawn(FE_TONEAREST, nearest), b = spawn(FE_TOWARDZERO, zero);
	int sa, sb;

	if (a < 0 || b < 0 || waitpid(a, &sa, 0) != a || waitpid(b, &sb, 0) != b) {
		printf("fpu: FAIL fork or wait\n");
		return 1;
	}
	if (!WIFEXITED(sa) || WEXITSTATUS(sa) || !WIFEXITED(sb) || WEXITSTATUS(sb)) {
		printf("fpu: FAIL a child's result differs (nearest %s, toward zero %s)\n",
		       WIFEXITED(sa) && !WEXITSTATUS(sa) ? "ok" : "wrong",
		       WIFEXITED(sb) && !WEXITSTATUS(sb) ? "ok" : "wrong");
		return 1;
	}
	printf("fpu: two children computed side by side, results exact\n");
	printf("fpu: rounding modes kept apart\n");
	printf("fpu: ok\n");
	return 0;
}
