/* Waiting for interrupts (see wait.h): halting until the scheduler takes over. */
#include <stddef.h>
#include <wait.h>
#include <arch/cpu.h>

static const struct wait_ops *ops;

void
wait_register(const struct wait_ops *o)
{
	ops = o;
}

int
wait_for(const void *chan)
{
	if (ops && ops->can_sleep())
		return ops->sleep(chan);
	cpu_sti_halt();		/* no interrupt slips in between */
	cpu_cli();
	return 0;
}

void
wait_wakeup(const void *chan)
{
	if (ops)
		ops->wakeup(chan);
}
