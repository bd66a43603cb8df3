/*
 * The way back to user mode, where a process acts on pending signals and
 * gives the CPU away if the timer asked for it; and the end of a program
 * that a CPU exception stopped. trap() and the system-call entry call
 * proc_return_to_user; trap_user.c registers it with trap().
 */
#include <abi.h>
#include <kprintf.h>
#include <ksched.h>
#include <proc.h>
#include "proc_internal.h"
#include <arch/cpu.h>
#include <arch/idt.h>

void
proc_return_to_user(struct trapframe *tf)
{
	struct proc *p = proc_current();

	/* Check with interrupts off: nothing may slip in before the return. */
	for (;;) {
		cpu_cli();
		if (!sched_need_resched() && !signal_interrupts(p))
			return;
		cpu_sti();
		int sig = signal_next(p);
		if (sig)
			proc_exit(W_EXITCODE(0, sig));
		sched_yield();
	}
}

void
proc_fault(struct trapframe *tf, uint64_t cr2, int sig, const char *what)
{
	struct proc *p = proc_current();

	kprintf("user fault: pid %d (%s) killed by %s: %s at rip 0x%lx",
		p->pid, p->name, signal_name(sig), what, tf->rip);
	if (tf->vector == T_PAGE_FAULT)
		kprintf(", address 0x%lx", cr2);
	kprintf("\n");
	proc_exit(W_EXITCODE(0, sig));
}
