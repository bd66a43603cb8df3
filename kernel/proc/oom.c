/*
 * The out-of-memory killer. When a page fault finds no free frame, the
 * process with the largest footprint is killed so that the others can go
 * on, as on Linux; the faulting process waits for it to die and runs the
 * access again. init goes last (its death ends the system), and a process
 * whose oom_score_adj is -1000 (a service the system relies on) never.
 */
#include <abi.h>
#include <clock.h>
#include <kprintf.h>
#include <pmm.h>
#include <proc.h>
#include "proc_internal.h"
#include <ksched.h>
#include <timer.h>
#include <uvm.h>

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000

static char oom_wait;		/* what a faulting process waits on: nobody wakes it */

/* Linux's badness: resident pages, moved by oom_score_adj per mille of RAM. */
static int64_t
badness(const struct proc *p, uint64_t total_pages)
{
	return (int64_t)p->vm->rss + (int64_t)total_pages * p->oom_score_adj / OOM_SCORE_ADJ_MAX;
}

static struct proc *
pick_victim(void)
{
	struct proc *best = NULL, *init = NULL;
	int64_t best_points = 0;
	uint64_t total = pmm_managed_frames();

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p)) {
		if (p->state == P_ZOMBIE || !p->vm || p->oom_score_adj == OOM_SCORE_ADJ_MIN)
			continue;
		if (p->pid == 1) {
			init = p;
			continue;
		}
		int64_t points = badness(p, total);
		if (!best || points > best_points) {
			best = p;
			best_points = points;
		}
	}
	return best ? best : init;
}

/* A victim chosen earlier has not finished dying: killing more would not help. */
static bool
victim_dying(void)
{
	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		if (p->oom_victim && p->state != P_ZOMBIE)
			return true;
	return false;
}

void
oom_kill(void)
{
	struct proc *self = proc_current();

	if (!victim_dying()) {
		struct proc *v = pick_victim();

		if (!v)
			v = self;
		v->oom_victim = true;
		kprintf("kernel: Out of memory: Killed process %d (%s) total-vm:%lukB, "
			"anon-rss:%lukB, file-rss:0kB, shmem-rss:0kB, UID:%u oom_score_adj:%d\n",
			v->pid, v->name, uvm_size(v->vm) / 1024, v->vm->rss * (PAGE_SIZE / 1024),
			v->cred.uid, v->oom_score_adj);
		proc_signal(v, SIGKILL);
	}
	/* Let the victim run and free its memory; a signal for us ends the wait. */
	sched_sleep(&oom_wait, clock_ns() + 1000000000UL / timer_hz());
}
