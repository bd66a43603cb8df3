/*
 * Lab 7's test of authd against a hostile client: run as root in a login
 * session (authd and logd up, init=/sbin/init). It checks what the services
 * kept of root's powers (/proc/PID/status: authd CAP_DAC_OVERRIDE only, logd
 * nothing, no new privileges, an empty bounding set otherwise), then, as uid
 * 1000, sends authd's public channel random bytes of every length and
 * requests broken one field at a time: bad magic, op, unterminated or
 * forbidden strings, reply channels that are not the sender's (-1, 32, a
 * huge id, authd's own channel, logd's, root's private channels). After
 * that authd must be the same process, answer a malformed request on a
 * private channel with AUTH_BADREQ, a wrong password with AUTH_DENIED and
 * the right one with AUTH_OK, and root's channels must have received
 * nothing. A seed argument repeats a run.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "auth.h"
#include "check.h"
#include "nexa.h"

#define RANDOM_MSGS	600	/* random bytes, random lengths */
#define BROKEN_REQS	400	/* one field broken in a well-formed request */
#define CAP_DAC_OVERRIDE_BIT	"0000000000000002"
#define NO_CAPS		"0000000000000000"

static int auth_chan, log_chan;
static int victims[2];		/* root's: 0600 and 0622, nobody reads them */

/* The pid of the process whose comm is name, or -1. */
static pid_t
pid_of(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;

	while (d && found < 0 && (e = readdir(d))) {
		char path[300], comm[32];
		FILE *fp;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (!(fp = fopen(path, "r")))
			continue;
		if (fgets(comm, sizeof(comm), fp)) {
			comm[strcspn(comm, "\n")] = '\0';
			if (strcmp(comm, name) == 0)
				found = (pid_t)atoi(e->d_name);
		}
		fclose(fp);
	}
	if (d)
		closedir(d);
	return found;
}

/* field's value in /proc/PID/status, or "" (a static buffer). */
static const char *
status_field(pid_t pid, const char *field)
{
	static char value[64];
	char path[64], line[128];
	size_t n = strlen(field);
	FILE *fp;

	value[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(fp = fopen(path, "r")))
		return value;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			snprintf(value, sizeof(value), "%s", line + n + 1 + strspn(line + n + 1, " \t"));
			value[strcspn(value, "\n")] = '\0';
		}
	fclose(fp);
	return value;
}

static void
expect_caps(const char *name, pid_t pid, const char *caps)
{
	static const char *const sets[] = { "CapEff", "CapPrm", "CapInh", "CapBnd" };

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		expect_words(status_field(pid, sets[i]), i == 2 ? NO_CAPS : caps, "%s %s", name,
			     sets[i]);
	expect_words(status_field(pid, "NoNewPrivs"), "1", "%s NoNewPrivs", name);
}

/* Sends one message to authd, waiting while its channel is full. */
static void
send_auth(const void *msg, size_t len)
{
	for (int tries = 0; tries < 3000; tries++) {
		if (chan_send(auth_chan, msg, len) == 0 || errno != EAGAIN)
			return;
		usleep(1000);
	}
}

/* A well-formed request whose answer goes to reply. */
static void
good_request(struct auth_req *req, int reply)
{
	memset(req, 0, sizeof(*req));
	req->magic = AUTH_MAGIC;
	req->op = AUTH_LOGIN;
	req->id = (uint32_t)rand();
	req->reply = reply;
	strcpy(req->user, "student");
	strcpy(req->pass, "not-the-password");
}

static void
fill(void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = (unsigned char)rand();
}

/* The request broken in way k; cheap to refuse (nothing reaches bcrypt but reply's tests). */
static void
break_request(struct auth_req *req, unsigned k)
{
	static const int replies[] = { -1, CHAN_MAX, INT_MAX, INT_MIN };

	switch (k % 9) {
	case 0: req->magic ^= 1u << (rand() % 32); break;
	case 1: req->op = (uint32_t)(rand() % 2 ? 0 : 4 + rand()); break;
	case 2: memset(req->user, 'u', sizeof(req->user)); break;
	case 3: memset(req->pass, 'p', sizeof(req->pass)); break;
	case 4: memset(req->newpass, 'n', sizeof(req->newpass)); break;
	case 5: req->user[0] = '\0'; break;
	case 6: strcpy(req->user, k % 2 ? "root:0" : "stu\ndent"); break;
	case 7: req->op = AUTH_SETPASS; break;	/* the admin op on the public channel */
	case 8: req->reply = replies[rand() % 4]; req->op = 0; break;
	}
}

/* Sends req to authd and waits on my own channel for the answer: its status, or -1. */
static int
ask(struct auth_req *req)
{
	int me = chan_create(0600), status = -1;
	struct timespec wait = { 60, 0 };
	struct auth_rep rep;

	if (me < 0)
		return -1;
	req->reply = me;
	send_auth(req, sizeof(*req));
	if (chan_recv(me, &rep, sizeof(rep), 0, &wait) == sizeof(rep) && rep.id == req->id)
		status = rep.status;
	chan_destroy(me);
	return status;
}

/* As uid 1000: the fuzzing, then the requests that must still be answered. */
static void
fuzz(void)
{
	int targets[] = { -1, CHAN_MAX, INT_MAX, 0, 0, 0, 0 };
	union {
		struct auth_req req;
		char raw[CHAN_MSG_MAX];
	} u;
	struct auth_req req;

	targets[3] = auth_chan;
	targets[4] = log_chan;
	targets[5] = victims[0];
	targets[6] = victims[1];
	for (int i = 0; i < RANDOM_MSGS; i++) {
		size_t len = (size_t)rand() % (CHAN_MSG_MAX + 1);

		fill(&u, sizeof(u));
		if (i % 3 == 0)		/* sometimes the right magic, to reach further */
			u.req.magic = AUTH_MAGIC;
		if (i % 5 == 0)
			len = sizeof(u.req);
		send_auth(&u, len ? len : 1);
	}
	for (unsigned k = 0; k < BROKEN_REQS; k++) {
		good_request(&req, targets[rand() % 7]);
		break_request(&req, k);
		send_auth(&req, sizeof(req));
	}
	/* well-formed (names nobody has), answered to channels not the client's */
	for (int i = 0; i < 7; i++) {
		good_request(&req, targets[i]);
		snprintf(req.user, sizeof(req.user), "fuzz%d", i);
		send_auth(&req, sizeof(req));
	}
	good_request(&req, 0);
	memset(req.user, 'x', sizeof(req.user));
	expect(ask(&req), AUTH_BADREQ, "an unterminated name, answered on my channel");
	good_request(&req, 0);
	expect(ask(&req), AUTH_DENIED, "the student's wrong password");
	good_request(&req, 0);
	strcpy(req.pass, "student");
	expect(ask(&req), AUTH_OK, "the student's password");
}

int
main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : (unsigned)time(NULL);
	pid_t authd = pid_of("authd"), logd = pid_of("logd"), child;
	struct chan_stat st;

	check_init("authfuzz");
	printf("authfuzz: seed %u\n", seed);
	srand(seed);
	auth_chan = service_chan("auth");
	log_chan = service_chan("log");
	if (authd < 0 || logd < 0 || auth_chan < 0 || log_chan < 0) {
		printf("authfuzz: no authd or logd running: FAIL\n");
		return 1;
	}
	expect_caps("authd", authd, CAP_DAC_OVERRIDE_BIT);
	expect_caps("logd", logd, NO_CAPS);
	victims[0] = chan_create(0600);
	victims[1] = chan_create(0622);
	if (victims[0] < 0 || victims[1] < 0) {
		printf("authfuzz: chan_create: %s: FAIL\n", errname(errno));
		return 1;
	}
	child = spawn();
	if (child == 0) {
		if (setgid(1000) < 0 || setuid(1000) < 0)
			_exit(2);
		fuzz();
		_exit(check_summary() ? 1 : 0);
	}
	expect_status(child, "exit 0", "the fuzzing client (uid 1000)");
	expect(pid_of("authd"), authd, "authd's pid after the fuzzing");
	for (int i = 0; i < 2; i++) {
		expect(chan_stat(victims[i], &st), 0, "chan_stat of root's channel %d", i);
		expect(st.count, 0, "messages authd sent into root's %s channel",
		       i ? "0622" : "0600");
		chan_destroy(victims[i]);
	}
	return check_done();
}
