/*
 * NexaOS's own system calls, which musl does not know: the seed's message
 * channels (lab 6). A channel is a queue of up to CHAN_MSGS messages of at
 * most CHAN_MSG_MAX bytes each, named by a small number that every process
 * may use (it is not a file descriptor): it outlives the processes that use
 * it until someone destroys it. Each call returns -1 and sets errno on
 * failure, like the libc calls.
 *
 *   int chan_create(mode)                  a new channel owned by the caller,
 *                                          permissions like a file's: r to
 *                                          receive, w to send (ENOSPC: all
 *                                          CHAN_MAX are taken)
 *   int chan_send(id, buf, len)            queues one message; never waits
 *                                          (EAGAIN when full; EMSGSIZE)
 *   ssize_t chan_recv(id, buf, len, flags, timeout)
 *                                          the oldest message, waiting for
 *                                          one unless CHAN_NONBLOCK (EAGAIN);
 *                                          timeout (relative) NULL: forever,
 *                                          else ETIMEDOUT; EMSGSIZE if len is
 *                                          smaller than the message (it stays);
 *                                          EINTR for a signal's handler (a
 *                                          stop does not end it); EIDRM when the
 *                                          channel is destroyed meanwhile
 *   int chan_clear(id)                     drops every message: how many
 *   int chan_destroy(id)                   the owner (or root) removes it
 *   int chan_stat(id, struct chan_stat *)  owner, mode, messages queued
 *
 * Ids outside 0..CHAN_MAX-1 are EINVAL, ids of no channel EBADF.
 */
#ifndef NEXA_USER_NEXA_H
#define NEXA_USER_NEXA_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define CHAN_MAX	32	/* channels in the system */
#define CHAN_MSGS	32	/* messages a channel holds */
#define CHAN_MSG_MAX	256	/* bytes in one message */
#define CHAN_NONBLOCK	1

#define SYS_chan_create		500
#define SYS_chan_send		501
#define SYS_chan_recv		502
#define SYS_chan_clear		503
#define SYS_chan_destroy	504
#define SYS_chan_stat		505

struct chan_stat {
	unsigned uid, gid;
	unsigned mode;		/* permission bits */
	unsigned count;		/* messages queued */
	unsigned waiting;	/* receivers waiting */
};

int chan_create(unsigned mode);
int chan_send(int id, const void *buf, size_t len);
ssize_t chan_recv(int id, void *buf, size_t len, int flags, const struct timespec *timeout);
int chan_clear(int id);
int chan_destroy(int id);
int chan_stat(int id, struct chan_stat *st);

#endif
