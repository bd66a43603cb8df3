/*
 * Lab 7's services and their messages. init creates the services'
 * channels before it starts them and writes each one's id, in decimal,
 * to /run/NAME.chan (0644); the channels outlive the services, so a
 * request queued while a service restarts is read by the next one.
 *
 *   /run/auth.chan     mode 0622: anyone sends AUTH and CHPASS to authd
 *   /run/authadm.chan  mode 0600: root only (the kernel checks it): SETPASS,
 *                      a new password without the old one (passwd as root)
 *   /run/log.chan      mode 0622: anyone sends log records to logd
 *
 * A request is one message of exactly sizeof(struct auth_req) bytes; every
 * string in it ends with a NUL inside its field, or the request is answered
 * AUTH_BADREQ. The answer, one struct auth_rep, goes to the channel the
 * request names in reply (the client's own, mode 0600: authd, as root, may
 * send to it). id is the client's, echoed; a client takes a random id and
 * checks id and user in the answer, so that nobody else's answer (nobody can
 * read the client's channel or authd's) can pass for the one it awaits.
 * An unknown user is answered exactly as a wrong password, after as long.
 * After AUTH_FREE_TRIES wrong passwords for a name, requests for it are
 * answered AUTH_LOCKED, without a check, for a delay that doubles with each
 * further failure (retry: seconds left); a success clears the count.
 *
 * A log record is one struct log_rec; logd appends "TIME PID UID MESSAGE"
 * to /var/log/messages (TIME: seconds since the epoch). pid and uid are the
 * sender's word: channels do not tell who sent a message.
 */
#ifndef NEXA_USER_AUTH_H
#define NEXA_USER_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define AUTH_MAGIC	0x7541784eu	/* "NxAu" */
#define LOG_MAGIC	0x674c784eu	/* "NxLg" */

#define AUTH_NAME_MAX	32	/* bytes in a user name, NUL included */
#define AUTH_PASS_MAX	96	/* bytes in a password, NUL included */
#define LOG_MSG_MAX	200

#define AUTH_FREE_TRIES	3	/* failures before the delays start */
#define AUTH_DELAY_MAX	64	/* seconds, the longest delay */

enum auth_op {
	AUTH_LOGIN = 1,		/* user, pass */
	AUTH_CHPASS = 2,	/* user, pass (the old one), newpass */
	AUTH_SETPASS = 3,	/* user, newpass: on the admin channel only */
};

enum auth_status {
	AUTH_OK = 0,
	AUTH_DENIED = 1,	/* wrong password or unknown user */
	AUTH_LOCKED = 2,	/* too many failures: try again in retry seconds */
	AUTH_BADREQ = 3,	/* malformed request */
	AUTH_ERROR = 4,		/* authd could not do it (shadow unwritable...) */
};

struct auth_req {
	uint32_t magic;		/* AUTH_MAGIC */
	uint32_t op;		/* enum auth_op */
	uint32_t id;		/* the client's, echoed in the answer */
	int32_t reply;		/* channel for the answer */
	char user[AUTH_NAME_MAX];
	char pass[AUTH_PASS_MAX];
	char newpass[AUTH_PASS_MAX];
};

struct auth_rep {
	uint32_t magic;		/* AUTH_MAGIC */
	uint32_t id;		/* the request's */
	int32_t status;		/* enum auth_status */
	uint32_t retry;		/* AUTH_LOCKED: seconds to wait */
	char user[AUTH_NAME_MAX];	/* the request's */
};

struct log_rec {
	uint32_t magic;		/* LOG_MAGIC */
	int32_t pid;
	uint32_t uid;
	char msg[LOG_MSG_MAX];	/* NUL-terminated (logd ends it if not) */
};

/* The id in /run/NAME.chan, or -1 (errno set). */
int service_chan(const char *name);

/* Asks authd: op for user (pass, newpass may be NULL); an enum auth_status, or -1 with errno. */
int auth_request(int op, const char *user, const char *pass, const char *newpass,
		 unsigned *retry);

struct passwd;

/* Takes pw's identity as Linux's login does: initgroups, setgid, setuid. 0 or -1. */
int become_user(const struct passwd *pw);

/* Sets HOME, USER, LOGNAME, SHELL, PATH (and TERM kept) for pw and cds home. */
void session_env(const struct passwd *pw);

/* Reads a password from the terminal without echo after prompt: 0, or -1 at EOF. */
int read_password(const char *prompt, char *buf, size_t n);

/*
 * A service gives up, for good, every capability but those in keep (a
 * mask of 1 << CAP_x): the bounding set emptied of the others, the
 * securebits that stop root's ids from bringing them back set and locked,
 * no new privileges through exec. 0, or -1 with errno.
 */
int keep_only_caps(uint64_t keep);

/* Sends msg to logd as this process (best effort): 0, or -1 with errno. */
int log_send(const char *msg);

#endif
