/* Clocks: nanosleep sleeps long enough, not forever; the wall clock is set. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int failed;

static long long
ns(clockid_t clock)
{
	struct timespec t;

	if (clock_gettime(clock, &t) < 0)
		return -1;
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void
check(int ok, const char *what)
{
	if (ok) {
		printf("nanosleep: %s ok\n", what);
	} else {
		printf("nanosleep: FAIL %s\n", what);
		failed = 1;
	}
}

int
main(void)
{
	struct timespec req = { 0, 100000000 }, bad = { 0, 1000000000 };
	long long t0, t1;
	struct tm *tm;
	time_t now;

	t0 = ns(CLOCK_MONOTONIC);
	if (nanosleep(&req, NULL) < 0)
		printf("nanosleep: FAIL nanosleep: %s\n", strerror(errno));
	t1 = ns(CLOCK_MONOTONIC);
	check(t0 >= 0 && t1 - t0 >= 100000000 && t1 - t0 < 2000000000,
	      "nanosleep 100 ms took >= 100 ms and < 2 s");
	if (failed)
		printf("nanosleep: slept %lld ns\n", t1 - t0);

	check(nanosleep(&bad, NULL) == -1 && errno == EINVAL,
	      "nanosleep with tv_nsec = 1e9 -> EINVAL");

	now = ns(CLOCK_REALTIME) / 1000000000LL;
	tm = gmtime(&now);
	check(tm && tm->tm_year + 1900 >= 2024, "CLOCK_REALTIME year >= 2024");
	if (!tm || tm->tm_year + 1900 < 2024)
		printf("nanosleep: CLOCK_REALTIME is %lld s\n", (long long)now);
	if (failed)
		return 1;
	printf("nanosleep: ok\n");
	return 0;
}
