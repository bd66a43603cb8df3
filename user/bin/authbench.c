/*
 * Benchmark, not a test: lab 7's rows of /bin/bench, which runs this
 * program last when it is installed. As pid 1's child and root, it plays
 * init's part for lab 7's services (their channels published in /run,
 * logd and authd started, authd with AUTHD_COST=4) and times a login
 * round trip through authd at cost 4 (the student's password set anew
 * over the admin channel) and at cost 12 (root's, from the build), and a
 * record through logd until it is in /var/log/messages. Rows in bench's
 * format; nothing printed where there is no authd.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "auth.h"
#include "nexa.h"
#include "timing.h"

#define LOGINS_4	40
#define LOGINS_12	3
#define RECORDS		300
#define MESSAGES	"/var/log/messages"
#define WAIT_NS		(60 * 1000000000LL)	/* for logd to write them all */

/* Makes a channel and writes its id to /run/NAME.chan, as init does: 0 or -1. */
static int
publish(const char *name, unsigned mode)
{
	char path[64];
	FILE *fp;
	int id = chan_create(mode);

	snprintf(path, sizeof(path), "/run/%s.chan", name);
	if (id < 0 || !(fp = fopen(path, "w")))
		return -1;
	fprintf(fp, "%d\n", id);
	return fclose(fp);
}

static pid_t
start(const char *path)
{
	char *argv[] = { (char *)path, NULL }, *envp[] = { "AUTHD_COST=4", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	return pid;
}

/* n logins of user with pass through authd; 0, or -1 if one is not AUTH_OK. */
static int
logins(const char *name, const char *user, const char *pass, long n)
{
	struct stamp t0 = now();

	for (long i = 0; i < n; i++)
		if (auth_request(AUTH_LOGIN, user, pass, NULL, NULL) != AUTH_OK)
			return -1;
	report(name, t0, n);
	return 0;
}

/* Whether /var/log/messages ends with the line "... tail\n". */
static int
logged(const char *tail)
{
	char buf[64];
	size_t len = strlen(tail) + 1;
	int fd = open(MESSAGES, O_RDONLY), ok = 0;
	off_t end;

	if (fd < 0)
		return 0;
	end = lseek(fd, 0, SEEK_END);
	if (end >= (off_t)len && pread(fd, buf, len, end - len) == (ssize_t)len)
		ok = memcmp(buf, tail, len - 1) == 0 && buf[len - 1] == '\n';
	close(fd);
	return ok;
}

/* RECORDS records sent to logd as fast as its channel takes them, until the last is written. */
static int
records(void)
{
	struct log_rec rec = { .magic = LOG_MAGIC, .pid = getpid(), .uid = getuid() };
	int to = service_chan("log");
	struct stamp t0 = now();

	for (long i = 0; i < RECORDS; i++) {
		snprintf(rec.msg, sizeof(rec.msg), "authbench: record %ld", i);
		while (chan_send(to, &rec, sizeof(rec)) < 0)
			if (errno != EAGAIN || sched_yield() < 0)
				return -1;
	}
	while (!logged(rec.msg))
		if (now().ns - t0.ns > WAIT_NS || sched_yield() < 0)
			return -1;
	report("logd record", t0, RECORDS);
	return 0;
}

int
main(void)
{
	pid_t logd, authd;
	int err;

	if (access("/sbin/authd", X_OK) < 0 || access("/sbin/logd", X_OK) < 0)
		return 0;
	mkdir("/run", 0755);
	if (publish("log", 0622) < 0 || publish("auth", 0622) < 0 ||
	    publish("authadm", 0600) < 0) {
		printf("bench: FAIL lab 7's channels: %s\n", strerror(errno));
		return 1;
	}
	logd = start("/sbin/logd");
	authd = start("/sbin/authd");
	err = auth_request(AUTH_SETPASS, "student", NULL, "bench", NULL) != AUTH_OK ||
	      logins("login cost 4 (authd)", "student", "bench", LOGINS_4) < 0 ||
	      logins("login cost 12 (authd)", "root", "nexaos", LOGINS_12) < 0 ||
	      records() < 0;
	if (err)
		printf("bench: FAIL lab 7's services: %s\n", strerror(errno));
	kill(authd, SIGKILL);
	kill(logd, SIGKILL);
	while (wait(NULL) > 0)
		;
	return err;
}
