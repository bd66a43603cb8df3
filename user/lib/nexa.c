/* The wrappers of NexaOS's own system calls (nexa.h). */
#include <unistd.h>
#include <sys/syscall.h>
#include "nexa.h"

int
chan_create(unsigned mode)
{
	return (int)syscall(SYS_chan_create, mode);
}

int
chan_send(int id, const void *buf, size_t len)
{
	return (int)syscall(SYS_chan_send, id, buf, len);
}

ssize_t
chan_recv(int id, void *buf, size_t len, int flags, const struct timespec *timeout)
{
	return syscall(SYS_chan_recv, id, buf, len, flags, timeout);
}

int
chan_clear(int id)
{
	return (int)syscall(SYS_chan_clear, id);
}

int
chan_destroy(int id)
{
	return (int)syscall(SYS_chan_destroy, id);
}

int
chan_stat(int id, struct chan_stat *st)
{
	return (int)syscall(SYS_chan_stat, id, st);
}
