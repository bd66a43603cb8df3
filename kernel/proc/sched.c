/*
 * The scheduler (see sched.h). Interrupts are off whenever these lists
 * change: there is one CPU, and the timer interrupt also walks them.
 * A READY process is on the run queue, a SLEEPING one on the sleep
 * list; both use next_run. The idle process is on neither: it runs when
 * the run queue is empty.
 */
#include <stddef.h>
#include <kerrno.h>
#include <clock.h>
#include <irq.h>
#include <panic.h>
#include "proc_internal.h"
#include <ksched.h>
#include <timer.h>
#include <wait.h>
#include <uvm.h>
#include <arch/cpu.h>
#include <arch/percpu.h>

static struct proc *idle_proc;
static struct proc *run_head, *run_tail;
static struct proc *sleepers;
static bool need_resched;
static uint64_t wakeups;	/* wake_if calls: sched_sleep_many's seen */
static unsigned slice;

struct proc *
proc_current(void)
{
	return cpu0.proc;
}

static int
sleep_on(const void *chan)
{
	return sched_sleep(chan, 0);
}

/* How device code waits for an interrupt once there are processes. */
static const struct wait_ops sched_wait = { sched_can_sleep, sleep_on, sched_wakeup };

void
sched_init(struct proc *idle)
{
	idle_proc = idle;
	idle->state = P_RUNNING;
	cpu0.proc = idle;
	wait_register(&sched_wait);
	timer_set_hook(sched_tick);
}

void
sched_make_ready(struct proc *p)
{
	p->state = P_READY;
	p->next_run = NULL;
	if (run_tail)
		run_tail->next_run = p;
	else
		run_head = p;
	run_tail = p;
}

static struct proc *
pick_next(void)
{
	struct proc *p = run_head;

	if (!p)
		return idle_proc;
	run_head = p->next_run;
	if (!run_head)
		run_tail = NULL;
	p->next_run = NULL;
	return p;
}

#if SOL >= 4
/* Saves prev's CPU state, loads next's, and switches kernel stacks. */
static void
switch_to(struct proc *prev, struct proc *next)
{
	if (prev->vm)
		fpu_save(prev->fpu);
	acct_switch(prev, next);
	cpu0.proc = next;
	next->state = P_RUNNING;
	if (next->vm) {
		uvm_activate(next->vm);
		cpu_switch_user_state(next->kstack_top, next->fs_base, next->gs_base);
		fpu_restore(next->fpu);
	}
	swtch(&prev->ctx_rsp, next->ctx_rsp);
}
#else
static void
switch_to(struct proc *prev, struct proc *next)
{
	/* LAB 4: your code here. Save prev's FPU registers, account the
	 * switch (acct_switch), make next the current process, load its
	 * address space, kernel stack (TSS and per-CPU area), TLS bases and
	 * FPU registers, then swtch(). */
	(void)prev, (void)next;
	panic("switch_to: context switch not implemented");
}
#endif

void
sched_switch(void)
{
	struct proc *prev = cpu0.proc, *next = pick_next();

	slice = 0;
	need_resched = false;
	if (next == prev) {
		prev->state = P_RUNNING;
		return;
	}
	switch_to(prev, next);
}

void
sched_cond_resched(void)
{
	if (need_resched && cpu0.proc != idle_proc && interrupts_enabled())
		sched_yield();
}

void
sched_yield(void)
{
	uint64_t flags = irq_save();
	struct proc *p = cpu0.proc;

	if (p != idle_proc && p->state == P_RUNNING)
		sched_make_ready(p);
	sched_switch();
	irq_restore(flags);
}

int
sched_sleep_many(const void *const *chans, unsigned n, uint64_t deadline_ns, uint64_t seen)
{
	uint64_t flags = irq_save();
	struct proc *p = cpu0.proc;
	int r = 0;

	if (signal_interrupts(p)) {
		r = -ERESTARTSYS;
	} else if (wakeups != seen) {
		r = 0;			/* maybe what we wait for came: look again */
	} else {
		p->wait_chan = n == 1 ? chans[0] : NULL;
		p->wait_chans = n > 1 ? chans : NULL;
		p->nwait = n > 1 ? n : 0;
		p->wake_ns = deadline_ns;
		p->state = P_SLEEPING;
		p->next_run = sleepers;
		sleepers = p;
		sched_switch();
		p->wait_chan = NULL;
		p->wait_chans = NULL;
		p->nwait = 0;
		p->wake_ns = 0;
		r = signal_interrupts(p) ? -ERESTARTSYS : 0;
	}
	irq_restore(flags);
	return r;
}

int
sched_sleep(const void *chan, uint64_t deadline_ns)
{
	return sched_sleep_many(&chan, 1, deadline_ns, wakeups);
}

uint64_t
sched_wake_count(void)
{
	return wakeups;
}

/* Moves the sleepers for which wake(p, arg) holds to the run queue. */
static void
wake_if(bool (*wake)(struct proc *p, const void *arg), const void *arg)
{
	uint64_t flags = irq_save();

	wakeups++;
	for (struct proc **pp = &sleepers; *pp;) {
		struct proc *p = *pp;

		if (wake(p, arg)) {
			*pp = p->next_run;
			sched_make_ready(p);
			need_resched = true;
		} else {
			pp = &p->next_run;
		}
	}
	irq_restore(flags);
}

static bool
sleeps_on(struct proc *p, const void *chan)
{
	if (p->wait_chan == chan)
		return true;
	for (unsigned i = 0; i < p->nwait; i++)
		if (p->wait_chans[i] == chan)
			return true;
	return false;
}

static bool
is_proc(struct proc *p, const void *target)
{
	return p == target;
}

static bool
deadline_passed(struct proc *p, const void *now)
{
	return p->wake_ns && p->wake_ns <= *(const uint64_t *)now;
}

void
sched_wakeup(const void *chan)
{
	wake_if(sleeps_on, chan);
}

void
sched_wake_proc(struct proc *p)
{
	wake_if(is_proc, p);
}

static void (*tick_hook)(void);

void
sched_set_tick_hook(void (*fn)(void))
{
	tick_hook = fn;
}

void
sched_tick(void)
{
	const struct trapframe *tf = irq_frame();

	acct_tick(cpu0.proc == idle_proc ? ACCT_IDLE : tf && (tf->cs & 3) ? ACCT_USER : ACCT_SYSTEM);
	if (sleepers) {
		uint64_t now = clock_ns();

		wake_if(deadline_passed, &now);
	}
	if (tick_hook)
		tick_hook();
	if (++slice >= SCHED_SLICE_TICKS && run_head)
		need_resched = true;
}

bool
sched_can_sleep(void)
{
	return cpu0.proc != idle_proc;
}

bool
sched_need_resched(void)
{
	return need_resched;
}

void
sched_idle(void)
{
	for (;;) {
		cpu_cli();
		if (run_head)
			sched_switch();
		else
			cpu_sti_halt();
	}
}
