/*
 * Waiting for what an interrupt brings (console input, ...). Until there
 * are processes, a wait halts the CPU until the next interrupt; the
 * scheduler (lab 4) registers itself, and from then on a process that
 * waits gives the CPU to others and an interrupt handler's wakeup makes
 * it ready again.
 */
#ifndef NEXA_WAIT_H
#define NEXA_WAIT_H

#include <stdbool.h>
#include <stdint.h>

struct wait_ops {
	bool (*can_sleep)(void);		/* in a process, not at boot */
	int (*sleep)(const void *chan);		/* 0, or -EINTR for a signal */
	void (*wakeup)(const void *chan);
};

void wait_register(const struct wait_ops *ops);

/*
 * With interrupts off (it enables them while it waits): waits for
 * wait_wakeup(chan) or any interrupt, as the caller cannot tell which;
 * the caller checks its condition again. 0, or -EINTR if a process was
 * sent a signal. Returns with interrupts off.
 */
int wait_for(const void *chan);
/* Wakes what waits on chan; safe in an interrupt handler. */
void wait_wakeup(const void *chan);

#endif
