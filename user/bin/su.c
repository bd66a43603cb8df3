/*
 * su [USER]: a shell as USER (root by default) after authd has accepted
 * USER's password; root needs none. Set-user-ID root (user/auth.mk), so
 * that it can take the new identity; the session as login sets it up.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "auth.h"

int
main(int argc, char **argv)
{
	const char *user = argc > 1 ? argv[1] : "root";
	char pass[AUTH_PASS_MAX + 2], msg[LOG_MSG_MAX];
	struct passwd *pw = getpwnam(user);
	unsigned retry = 0;
	int st = AUTH_OK;

	if (getuid() != 0) {
		if (read_password("Password: ", pass, sizeof(pass)) < 0)
			return 1;
		st = auth_request(AUTH_LOGIN, user, pass, NULL, &retry);
		memset(pass, 0, sizeof(pass));
	}
	snprintf(msg, sizeof(msg), "su: uid %u to %s: %s", (unsigned)getuid(), user,
		 st == AUTH_OK && pw ? "ok" : "FAILED");
	log_send(msg);
	if (st == AUTH_LOCKED) {
		printf("su: too many failures: try again in %u seconds\n", retry);
		return 1;
	}
	if (st < 0 && errno != EINVAL) {	/* EINVAL: a name or password too long */
		printf("su: authd: %s\n", strerror(errno));
		return 1;
	}
	if (st != AUTH_OK || !pw) {
		printf("su: Authentication failure\n");
		return 1;
	}
	if (become_user(pw) < 0) {
		printf("su: cannot become %s: %s\n", user, strerror(errno));
		return 1;
	}
	session_env(pw);
	execl(pw->pw_shell[0] ? pw->pw_shell : "/bin/sh", "-sh", (char *)NULL);
	printf("su: %s: %s\n", pw->pw_shell, strerror(errno));
	return 1;
}
