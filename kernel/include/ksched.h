/*
 * The scheduler: one CPU, round robin over READY processes, preemption
 * from the timer tick, sleep and wakeup on wait channels.
 */
#ifndef NEXA_KSCHED_H
#define NEXA_KSCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <proc.h>

#define SCHED_SLICE_TICKS 1	/* ticks a process runs before another gets the CPU */

void sched_init(struct proc *idle);
void sched_make_ready(struct proc *p);
/* Gives up the CPU; returns when the scheduler picks the caller again. */
void sched_yield(void);
/*
 * Gives up the CPU if the timer asked for it, in a process with
 * interrupts on: long loops in system calls call this now and then.
 */
void sched_cond_resched(void);
/* Switches away for good (the caller is a zombie or sleeping); interrupts off. */
void sched_switch(void);

/*
 * Sleeps on chan until wakeup(chan), a signal to act on, or (deadline_ns
 * != 0) until clock_ns() reaches deadline_ns. Returns 0, or -ERESTARTSYS
 * for a signal (the call runs again if no handler runs or the handler has
 * SA_RESTART, else it returns EINTR: signal.c settles it on the way back).
 * Callers check their condition again: wakeups can be spurious.
 */
int sched_sleep(const void *chan, uint64_t deadline_ns);
/*
 * The same for any of n channels (poll and select), unless a wakeup came
 * since sched_wake_count() returned seen: poll checks its files with
 * interrupts on, and a key typed meanwhile must not be slept through.
 */
int sched_sleep_many(const void *const *chans, unsigned n, uint64_t deadline_ns, uint64_t seen);
/* Wakeups so far (any channel, any process): for sched_sleep_many's seen. */
uint64_t sched_wake_count(void);
void sched_wakeup(const void *chan);
void sched_wake_proc(struct proc *p);	/* wakes p whatever it sleeps on */
/* True in a process (which may sleep); false in the idle process and at boot. */
bool sched_can_sleep(void);

void sched_tick(void);		/* from the timer interrupt */
/* fn runs at every tick too, in the interrupt (lab 6's interval timers). */
void sched_set_tick_hook(void (*fn)(void));
bool sched_need_resched(void);

/* The idle loop: halts until an interrupt makes a process ready. */
__attribute__((noreturn)) void sched_idle(void);

/* Context switch (swtch.S): saves callee-saved registers on the old stack. */
void swtch(uint64_t *old_rsp, uint64_t new_rsp);

#endif
