/* The clients' side of authd and logd (auth.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "auth.h"
#include "nexa.h"

#define AUTH_WAIT	120	/* seconds to wait for authd's answer */

int
service_chan(const char *name)
{
	char path[64], buf[16];
	int fd, n;

	snprintf(path, sizeof(path), "/run/%s.chan", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = EINVAL;
		return -1;
	}
	buf[n] = '\0';
	return atoi(buf);
}

/* Copies s into a field of size n: 0, or -1 (EINVAL) if it does not fit. */
static int
put_field(char *field, size_t n, const char *s)
{
	if (!s)
		s = "";
	if (strlen(s) >= n) {
		errno = EINVAL;
		return -1;
	}
	strcpy(field, s);
	return 0;
}

/* Waits on my channel for the answer to req: its status, or -1. */
static int
await_reply(int me, const struct auth_req *req, unsigned *retry)
{
	struct timespec deadline, now, left;
	struct auth_rep rep;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += AUTH_WAIT;
	for (;;) {
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = deadline.tv_sec - now.tv_sec;
		left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = chan_recv(me, &rep, sizeof(rep), 0, &left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == sizeof(rep) && rep.magic == AUTH_MAGIC && rep.id == req->id &&
		    strncmp(rep.user, req->user, sizeof(rep.user)) == 0) {
			if (retry)
				*retry = rep.retry;
			return rep.status;
		}
		/* anything else is not our answer: dropped */
	}
}

int
auth_request(int op, const char *user, const char *pass, const char *newpass,
	     unsigned *retry)
{
	struct auth_req req;
	int to, me, status, saved;

	memset(&req, 0, sizeof(req));
	if (put_field(req.user, sizeof(req.user), user) < 0 ||
	    put_field(req.pass, sizeof(req.pass), pass) < 0 ||
	    put_field(req.newpass, sizeof(req.newpass), newpass) < 0)
		return -1;
	to = service_chan(op == AUTH_SETPASS ? "authadm" : "auth");
	if (to < 0)
		return -1;
	if (getrandom(&req.id, sizeof(req.id), 0) != sizeof(req.id))
		return -1;
	if ((me = chan_create(0600)) < 0)
		return -1;
	req.magic = AUTH_MAGIC;
	req.op = op;
	req.reply = me;
	status = chan_send(to, &req, sizeof(req));
	if (status == 0)
		status = await_reply(me, &req, retry);
	saved = errno;
	memset(&req, 0, sizeof(req));	/* no password left in memory */
	chan_destroy(me);
	errno = saved;
	return status;
}

#define CAP_V3		0x20080522	/* linux/capability.h's _LINUX_CAPABILITY_VERSION_3 */
#define CAP_LAST	40		/* Linux 6.1's CAP_LAST_CAP */
/* NOROOT and NO_SETUID_FIXUP on, KEEP_CAPS off, each locked (linux/securebits.h) */
#define SECBITS_SERVICE	0x2f

int
keep_only_caps(uint64_t keep)
{
	struct { uint32_t version; int pid; } head = { CAP_V3, 0 };
	struct { uint32_t effective, permitted, inheritable; } data[2];

	for (int c = 0; c <= CAP_LAST; c++)
		if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return -1;
	if (prctl(PR_SET_SECUREBITS, SECBITS_SERVICE, 0, 0, 0) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		data[i].effective = data[i].permitted = (uint32_t)(keep >> (32 * i));
		data[i].inheritable = 0;
	}
	return (int)syscall(SYS_capset, &head, data);
}

int
log_send(const char *msg)
{
	struct log_rec rec;
	int to = service_chan("log");

	if (to < 0)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.magic = LOG_MAGIC;
	rec.pid = getpid();
	rec.uid = getuid();
	snprintf(rec.msg, sizeof(rec.msg), "%s", msg);
	for (int tries = 0; tries < 200; tries++) {
		if (chan_send(to, &rec, sizeof(rec)) == 0)
			return 0;
		if (errno != EAGAIN)
			return -1;
		usleep(10000);	/* logd restarting and its channel full: wait */
	}
	return -1;
}
