/*
 * logd: appends the records sent to /run/log.chan (auth.h) to
 * /var/log/messages, one line "TIME PID UID MESSAGE" each, written before
 * the next record is taken off the channel: a logd killed loses at most
 * the record it was writing, and the channel keeps the rest for the next.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "auth.h"
#include "nexa.h"

#define MESSAGES	"/var/log/messages"

/* The record made printable: control characters become '?'. */
static void
clean(struct log_rec *rec)
{
	rec->msg[sizeof(rec->msg) - 1] = '\0';
	for (char *p = rec->msg; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
}

/* Appends one line for rec: 0, or -1. */
static int
append(const struct log_rec *rec)
{
	char line[LOG_MSG_MAX + 64];
	int fd, n;

	n = snprintf(line, sizeof(line), "%lld %d %u %s\n", (long long)time(NULL),
		     (int)rec->pid, (unsigned)rec->uid, rec->msg);
	fd = open(MESSAGES, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	n = write(fd, line, (size_t)n) == n ? 0 : -1;
	close(fd);
	return n;
}

int
main(void)
{
	int chan = service_chan("log");

	if (chan < 0) {
		perror("logd: /run/log.chan");
		return 1;
	}
	mkdir("/var/log", 0755);
	if (keep_only_caps(0) < 0) {	/* root's own files are all it writes */
		perror("logd: giving up capabilities");
		return 1;
	}
	for (;;) {
		union {
			struct log_rec rec;
			char raw[CHAN_MSG_MAX];
		} u;
		ssize_t n;

		memset(&u, 0, sizeof(u));
		n = chan_recv(chan, &u, sizeof(u), 0, NULL);
		if (n < 0) {
			if (errno != EINTR)
				sleep(1);	/* the channel is gone: wait for init */
			continue;
		}
		if (n != sizeof(u.rec) || u.rec.magic != LOG_MAGIC)
			continue;
		clean(&u.rec);
		if (append(&u.rec) < 0)
			perror("logd: " MESSAGES);
	}
}
