/*
 * authd: the only reader of /etc/shadow (lab 7). Answers the requests of
 * auth.h on the channels that init made: checks passwords with
 * libxcrypt's crypt_rn (bcrypt, yescrypt: what Linux writes), changes
 * them with a new bcrypt hash (salt from getrandom; cost AUTHD_COST, else
 * the old hash's), logs every answer through logd, and survives anything a
 * client sends. Built with gcc -static against glibc (user/auth.mk).
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "auth.h"
#include "nexa.h"

#define SHADOW		"/etc/shadow"
#define SHADOW_TMP	"/etc/.shadow.new"
#define COST_DEFAULT	12
#define NAMES		64	/* names whose failures are remembered */
#define LINE_MAX_	512
#define REPLY_TRIES	20	/* 10 ms apart: how long a client may take to wait */
#define KEEP_CAPS	(1ULL << 1)	/* CAP_DAC_OVERRIDE: to answer on clients' channels */

struct failures {
	char user[AUTH_NAME_MAX];
	unsigned count;
	time_t until;		/* refused without a check until then */
	time_t last;		/* for eviction */
};

static struct failures table[NAMES];
static struct crypt_data cdata;

static time_t
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Whether f is a better entry to give up than victim: unused, fewer failures, or as many but older. */
static int
evicts_before(const struct failures *f, const struct failures *victim)
{
	if (!f->user[0] || !victim->user[0])
		return !f->user[0] && victim->user[0];
	return f->count < victim->count || (f->count == victim->count && f->last < victim->last);
}

/*
 * The table entry of user, made if need be in place of the name with the
 * fewest failures: failures for many other names do not wipe out a lock.
 */
static struct failures *
failures_of(const char *user)
{
	struct failures *f, *victim = &table[0];

	for (f = table; f < table + NAMES; f++) {
		if (f->user[0] && strcmp(f->user, user) == 0)
			return f;
		if (evicts_before(f, victim))
			victim = f;
	}
	memset(victim, 0, sizeof(*victim));
	strcpy(victim->user, user);
	return victim;
}

/* Records one failure: after AUTH_FREE_TRIES, a delay doubling each time. */
static void
failed(struct failures *f)
{
	f->count++;
	f->last = mono();
	if (f->count >= AUTH_FREE_TRIES) {
		unsigned shift = f->count - AUTH_FREE_TRIES;
		unsigned delay = shift >= 6 ? AUTH_DELAY_MAX : 1u << shift;

		/* whole seconds: +1, or a 1-second delay could end at once */
		f->until = f->last + 1 + (delay > AUTH_DELAY_MAX ? AUTH_DELAY_MAX : delay);
	}
}

/* Finds user's line in /etc/shadow: its hash copied to hash (size n), 1; 0 if none; -1 on error. */
static int
shadow_hash(const char *user, char *hash, size_t n, char *first, size_t fn)
{
	char line[LINE_MAX_];
	size_t ulen = strlen(user);
	FILE *fp = fopen(SHADOW, "re");
	int found = 0;

	if (!fp)
		return -1;
	first[0] = '\0';
	while (fgets(line, sizeof(line), fp)) {
		char *h = strchr(line, ':'), *end;

		if (!h)
			continue;
		end = strchr(h + 1, ':');
		if (end)
			*end = '\0';
		if (!first[0] && h[1] == '$')
			snprintf(first, fn, "%s", h + 1);
		if (!found && (size_t)(h - line) == ulen && strncmp(line, user, ulen) == 0) {
			snprintf(hash, n, "%s", h + 1);
			found = 1;
		}
	}
	fclose(fp);
	return found;
}

/* Equal strings, in a time that depends on their lengths' maximum only. */
static int
ct_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;
	volatile unsigned char diff = la != lb;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)(i < lb ? b[i] : 0);
	return diff == 0;
}

/* The password check: 1 if pass is user's. An unknown user or a locked account runs crypt too. */
static int
check_password(const char *user, const char *pass)
{
	char hash[256], dummy[256];
	const char *setting, *out;
	int found = shadow_hash(user, hash, sizeof(hash), dummy, sizeof(dummy));

	if (!dummy[0])	/* no hash at all in the file: any bcrypt setting */
		strcpy(dummy, "$2b$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
	setting = found == 1 && hash[0] == '$' ? hash : dummy;
	memset(&cdata, 0, sizeof(cdata));
	out = crypt_rn(pass, setting, &cdata, sizeof(cdata));
	return out && out[0] != '*' && setting == hash && ct_equal(out, hash);
}

/* A new bcrypt hash of pass, at AUTHD_COST if set, else old's cost (if bcrypt), else 12. */
static int
new_hash(const char *pass, const char *old, char *out, size_t n)
{
	char rbytes[16], setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *env = getenv("AUTHD_COST");
	unsigned long cost = env ? strtoul(env, NULL, 10) : COST_DEFAULT;
	const char *h;

	if (!env && strncmp(old, "$2b$", 4) == 0 && old[4] >= '0' && old[4] <= '3')
		cost = strtoul(old + 4, NULL, 10);
	if (getrandom(rbytes, sizeof(rbytes), 0) != sizeof(rbytes))
		return -1;
	if (!crypt_gensalt_rn("$2b$", cost, rbytes, sizeof(rbytes), setting, sizeof(setting)))
		return -1;
	memset(&cdata, 0, sizeof(cdata));
	h = crypt_rn(pass, setting, &cdata, sizeof(cdata));
	if (!h || h[0] == '*' || strlen(h) >= n)
		return -1;
	strcpy(out, h);
	return 0;
}

/* Rewrites /etc/shadow with user's hash replaced (a new file renamed over it): 0 or -1. */
static int
shadow_set(const char *user, const char *hash)
{
	char line[LINE_MAX_];
	size_t ulen = strlen(user);
	FILE *in = fopen(SHADOW, "re"), *out;
	int fd, done = 0;

	if (!in)
		return -1;
	fd = open(SHADOW_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		fclose(in);
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		char *rest = strchr(line, ':');

		if (rest && (size_t)(rest - line) == ulen && strncmp(line, user, ulen) == 0 &&
		    (rest = strchr(rest + 1, ':'))) {
			fprintf(out, "%s:%s%s", user, hash, rest);
			done = 1;
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	if (fflush(out) != 0 || fsync(fileno(out)) < 0 || !done) {
		fclose(out);
		unlink(SHADOW_TMP);
		return -1;
	}
	fclose(out);
	return rename(SHADOW_TMP, SHADOW);
}

static void
logf_(const char *fmt, const char *op, const char *user)
{
	char msg[LOG_MSG_MAX];

	snprintf(msg, sizeof(msg), fmt, op, user);
	log_send(msg);
}

/* A request's strings all end inside their fields. */
static int
well_formed(const struct auth_req *req)
{
	return memchr(req->user, 0, sizeof(req->user)) &&
	       memchr(req->pass, 0, sizeof(req->pass)) &&
	       memchr(req->newpass, 0, sizeof(req->newpass)) && req->user[0] &&
	       !strchr(req->user, ':') && !strchr(req->user, '\n') &&
	       !strchr(req->newpass, '\n');
}

static const char *const op_names[] = { "?", "login", "chpass", "setpass" };

/* The answer to one well-formed request; admin: it came on the admin channel. */
static int
answer(const struct auth_req *req, int admin, unsigned *retry)
{
	struct failures *f;
	char hash[256], first[256];
	const char *op = op_names[req->op];

	if (req->op == AUTH_SETPASS) {
		if (!admin || shadow_hash(req->user, hash, sizeof(hash), first, sizeof(first)) != 1)
			return AUTH_DENIED;
		if (new_hash(req->newpass, hash, hash, sizeof(hash)) < 0 ||
		    shadow_set(req->user, hash) < 0)
			return AUTH_ERROR;
		logf_("authd: %s %s by root", op, req->user);
		return AUTH_OK;
	}
	f = failures_of(req->user);
	if (f->until > mono()) {
		*retry = (unsigned)(f->until - mono());
		logf_("authd: %s %s refused: too many failures", op, req->user);
		return AUTH_LOCKED;
	}
	if (!check_password(req->user, req->pass)) {
		failed(f);
		logf_("authd: %s %s: FAILED", op, req->user);
		return AUTH_DENIED;
	}
	f->count = 0;
	f->until = 0;
	if (req->op == AUTH_CHPASS) {
		shadow_hash(req->user, hash, sizeof(hash), first, sizeof(first));
		if (new_hash(req->newpass, hash, hash, sizeof(hash)) < 0 ||
		    shadow_set(req->user, hash) < 0) {
			logf_("authd: %s %s: cannot write the new hash", op, req->user);
			return AUTH_ERROR;
		}
	}
	logf_("authd: %s %s: ok", op, req->user);
	return AUTH_OK;
}

/*
 * Whether chan looks like a client's reply channel: mode 0600, nothing
 * queued, someone waiting on it (given a moment: the client sends before
 * it waits). authd may send to any channel (CAP_DAC_OVERRIDE), so this is
 * what stops a request from making it write into another channel: a
 * service's, or a user's that nobody is reading.
 */
static int
private_and_awaited(int chan)
{
	struct chan_stat st;

	for (int tries = 0; tries < REPLY_TRIES; tries++) {
		if (chan_stat(chan, &st) < 0 || (st.mode & 07777) != 0600 || st.count)
			return 0;
		if (st.waiting)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Reads one message from chan (chan_recv's flags and wait) and answers it. */
static void
serve(int chan, int admin, int flags, const struct timespec *wait)
{
	union {
		struct auth_req req;
		char raw[CHAN_MSG_MAX];
	} u;
	struct auth_rep rep;
	ssize_t n;
	int reply;

	memset(&u, 0, sizeof(u));
	n = chan_recv(chan, &u, sizeof(u), flags, wait);
	if (n < 0) {
		if (errno == EIDRM || errno == EBADF || errno == EINVAL)
			sleep(1);	/* our channel is gone: init makes a new one */
		return;
	}
	if (n != sizeof(u.req) || u.req.magic != AUTH_MAGIC)
		return;		/* nobody to answer */
	memset(&rep, 0, sizeof(rep));
	rep.magic = AUTH_MAGIC;
	rep.id = u.req.id;
	memcpy(rep.user, u.req.user, sizeof(rep.user));
	rep.user[sizeof(rep.user) - 1] = '\0';
	if (u.req.op < AUTH_LOGIN || u.req.op > AUTH_SETPASS || !well_formed(&u.req))
		rep.status = AUTH_BADREQ;
	else
		rep.status = answer(&u.req, admin, &rep.retry);
	reply = u.req.reply;
	explicit_bzero(&u, sizeof(u));	/* no password left in memory */
	if (private_and_awaited(reply))
		chan_send(reply, &rep, sizeof(rep));
}

int
main(void)
{
	static const struct timespec tick = { 0, 200000000 };	/* 0.2 s */
	int pub = service_chan("auth"), adm = service_chan("authadm");

	if (pub < 0) {
		perror("authd: /run/auth.chan");
		return 1;
	}
	if (keep_only_caps(KEEP_CAPS) < 0) {
		perror("authd: giving up capabilities");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	umask(077);
	for (;;) {
		/* two channels and no poll for them: wait on the public one a
		 * little, then look at the admin one */
		serve(pub, 0, 0, adm >= 0 ? &tick : NULL);
		if (adm >= 0)
			serve(adm, 1, CHAN_NONBLOCK, NULL);
	}
}
