/*
 * FIFOs (lab 6): a named pipe in the file tree. Its ring lives while it
 * is open (inode->pipe), and opening it follows Linux's rules: a reader
 * waits for a writer and a writer for a reader (unless O_NONBLOCK: the
 * reader goes ahead, the writer gets ENXIO), O_RDWR waits for nobody.
 * A FIFO end never seeks: a reader's pos holds the writers' open count it
 * started from, so that poll reports a hang-up only after a writer it saw.
 */
#include <init.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <ksched.h>
#include <vfs.h>
#include "fs_internal.h"

/* Waits until the other side has opened at least once since we came (counter moved). */
static int
wait_for(struct pipe *p, const unsigned *counter)
{
	unsigned seen = *counter;

	while (*counter == seen) {
		int r = sched_sleep(&p->wait_open, 0);

		if (r < 0)
			return r;
	}
	return 0;
}

#if SOL >= 6
static int
fifo_open(struct inode *inode, struct file *f)
{
	unsigned acc = f->flags & O_ACCMODE;
	bool nonblock = f->flags & O_NONBLOCK;
	struct pipe *p = inode->pipe;
	int r = 0;

	if (!p && !(p = inode->pipe = pipe_alloc()))
		return -ENOMEM;
	if (acc == O_WRONLY && nonblock && !p->readers) {
		if (!p->writers) {	/* nobody else holds it: it goes again */
			inode->pipe = NULL;
			kfree(p);
		}
		return -ENXIO;
	}
	pipe_attach(f, p);
	if (acc == O_RDONLY && nonblock && !p->writers)
		f->pos = p->w_counter;	/* no POLLHUP before a writer it has not seen */
	else if (acc == O_RDONLY && !p->writers)
		r = wait_for(p, &p->w_counter);
	else if (acc == O_WRONLY && !p->readers)
		r = wait_for(p, &p->r_counter);
	return r;	/* on a signal the caller's file_put takes our end back */
}
#else
static int
fifo_open(struct inode *inode, struct file *f)
{
	/* LAB 6: your code here. The FIFO's ring is inode->pipe, made on the
	 * first open (pipe_alloc). O_WRONLY|O_NONBLOCK without a reader:
	 * -ENXIO (freeing a ring nobody holds). Otherwise make f an end of
	 * it (pipe_attach); then a reader without O_NONBLOCK waits for a
	 * writer, a writer for a reader (wait_for the other side's open
	 * counter); O_RDWR waits for nobody. A reader that goes ahead with
	 * no writer keeps p->w_counter in f->pos (see pipe_poll). */
	(void)inode, (void)f, (void)wait_for;
	return -ENXIO;
}
#endif

static void
fifo_init(void)
{
	vfs_set_fifo_open(fifo_open);
}
INITCALL(INIT_SERVICES, fifo_init);
