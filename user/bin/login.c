/*
 * login: asks for a user name and a password on the terminal (the password
 * without echo), has authd check them (auth.h), and starts the user's shell
 * as a login shell in a session set up as Linux's login does: groups, gid,
 * uid, HOME, USER, LOGNAME, SHELL, PATH, the home directory. Three
 * failures and it exits (init starts another). Run by init on the console.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "auth.h"

#define TRIES	3

/*
 * Reads one line after prompt into buf (the newline dropped): 0, or -1 at
 * EOF. What does not fit is read and dropped (buf keeps n - 1 bytes, too
 * long for any name), not left to be taken for the password.
 */
static int
read_line(const char *prompt, char *buf, size_t n)
{
	fputs(prompt, stdout);
	fflush(stdout);
	if (!fgets(buf, (int)n, stdin))
		return -1;
	if (!strchr(buf, '\n')) {
		int c;

		while ((c = getchar()) != EOF && c != '\n')
			;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* Starts pw's shell, as "-sh": returns only if that failed. */
static void
start_session(const struct passwd *pw)
{
	const char *shell = pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
	const char *base = strrchr(shell, '/');
	char argv0[64];

	if (become_user(pw) < 0) {
		printf("login: cannot become %s: %s\n", pw->pw_name, strerror(errno));
		return;
	}
	session_env(pw);
	snprintf(argv0, sizeof(argv0), "-%s", base ? base + 1 : shell);
	execl(shell, argv0, (char *)NULL);
	printf("login: %s: %s\n", shell, strerror(errno));
}

int
main(void)
{
	char user[AUTH_NAME_MAX + 2], pass[AUTH_PASS_MAX + 2];

	for (int tries = 0; tries < TRIES; tries++) {
		unsigned retry = 0;
		struct passwd *pw;
		int st;

		do {
			if (read_line("login: ", user, sizeof(user)) < 0)
				return 1;
		} while (!user[0]);
		if (read_password("Password: ", pass, sizeof(pass)) < 0)
			return 1;
		st = auth_request(AUTH_LOGIN, user, pass, NULL, &retry);
		memset(pass, 0, sizeof(pass));
		if (st == AUTH_OK && (pw = getpwnam(user))) {
			start_session(pw);
			return 1;
		}
		if (st == AUTH_LOCKED)
			printf("Too many failures for %s: try again in %u seconds\n", user, retry);
		else if (st < 0 && errno != EINVAL)	/* EINVAL: a name too long for anyone's */
			printf("login: authd: %s\n", strerror(errno));
		else
			printf("Login incorrect\n");
		fflush(stdout);
	}
	return 1;
}
