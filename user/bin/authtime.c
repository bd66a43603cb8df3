/*
 * Lab 7's test that authd answers an unknown user exactly like a wrong
 * password: run in a login session (authd up). Alternates a login request
 * for a name nobody has with one for the student and a wrong password
 * (the student's right one after every second, so that no lock starts),
 * and prints the answers and the median time of each kind; the two must be
 * AUTH_DENIED and take as long (within a quarter), or a client could tell
 * which names exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include "auth.h"
#include "check.h"
#include "timing.h"

#define ROUNDS	6

static int
by_value(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* One request; its time in ns; its status must be want. */
static long long
timed(const char *user, const char *pass, int want)
{
	struct stamp t0 = now(), t1;
	int st = auth_request(AUTH_LOGIN, user, pass, NULL, NULL);

	t1 = now();
	expect(st, want, "%s's answer", user);
	return t1.ns - t0.ns;
}

int
main(void)
{
	long long unknown[ROUNDS], wrong[ROUNDS], u, w;
	char name[AUTH_NAME_MAX];

	check_init("authtime");
	for (int i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "nosuch%d", i);
		unknown[i] = timed(name, "wrongpass", AUTH_DENIED);
		wrong[i] = timed("student", "wrongpass", AUTH_DENIED);
		if (i % 2)
			timed("student", "student", AUTH_OK);
	}
	qsort(unknown, ROUNDS, sizeof(unknown[0]), by_value);
	qsort(wrong, ROUNDS, sizeof(wrong[0]), by_value);
	u = (unknown[ROUNDS / 2 - 1] + unknown[ROUNDS / 2]) / 2;
	w = (wrong[ROUNDS / 2 - 1] + wrong[ROUNDS / 2]) / 2;
	printf("authtime: unknown user %lld us, wrong password %lld us (medians of %d)\n",
	       u / 1000, w / 1000, ROUNDS);
	check(4 * u <= 5 * w && 4 * w <= 5 * u, "the two take as long, within a quarter");
	return check_done();
}
