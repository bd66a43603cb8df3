/*
 * passwd [USER]: changes a password through authd. An ordinary user
 * changes only their own, giving the old one (AUTH_CHPASS); root changes
 * anyone's without it (AUTH_SETPASS, on the channel only root may send
 * to). Set-user-ID root like Linux's, but authd does the privileged part:
 * a caller that is not root gives the privilege up before anything else,
 * so the kernel refuses it the admin channel.
 */
#define _GNU_SOURCE	/* setresuid */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "auth.h"

int
main(int argc, char **argv)
{
	uid_t uid = getuid();
	struct passwd *me;
	char old[AUTH_PASS_MAX + 2] = "", new1[AUTH_PASS_MAX + 2], new2[AUTH_PASS_MAX + 2];
	const char *user;
	unsigned retry = 0;
	int st;

	if (uid != 0 && setresuid(uid, uid, uid) < 0) {
		perror("passwd: setresuid");
		return 1;
	}
	if (!(me = getpwuid(uid))) {
		printf("passwd: who are you?\n");
		return 1;
	}
	user = argc > 1 ? argv[1] : me->pw_name;
	if (uid != 0 && strcmp(user, me->pw_name) != 0) {
		printf("passwd: you may change only your own password\n");
		return 1;
	}
	printf("Changing password for %s\n", user);
	if (uid != 0 && read_password("Current password: ", old, sizeof(old)) < 0)
		return 1;
	if (read_password("New password: ", new1, sizeof(new1)) < 0 ||
	    read_password("Retype password: ", new2, sizeof(new2)) < 0)
		return 1;
	if (strcmp(new1, new2) != 0 || !new1[0]) {
		printf("passwd: the passwords do not match (or are empty)\n");
		return 1;
	}
	st = auth_request(uid == 0 ? AUTH_SETPASS : AUTH_CHPASS, user, old, new1, &retry);
	memset(old, 0, sizeof(old));
	memset(new1, 0, sizeof(new1));
	memset(new2, 0, sizeof(new2));
	if (st == AUTH_OK) {
		printf("passwd: password for %s changed\n", user);
		return 0;
	}
	if (st == AUTH_LOCKED)
		printf("passwd: too many failures: try again in %u seconds\n", retry);
	else
		printf("passwd: Authentication token manipulation error\n");
	return 1;
}
