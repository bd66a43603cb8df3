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
#include <uvm.h>
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
			break;
		cpu_sti();
		int sig = signal_next(p);
		if (sig && !signal_act(p, tf, sig))
			proc_exit(W_EXITCODE(0, sig));
		sched_yield();
	}
	signal_leave(p, tf);
}

/* Linux's si_code for an exception's signal, and the address it reports. */
static int
fault_code(const struct trapframe *tf, uint64_t cr2, int sig, uint64_t *addr)
{
	struct proc *p = proc_current();

	*addr = tf->vector == T_PAGE_FAULT ? cr2 : tf->rip;
	switch (sig) {
	case SIGSEGV:
		if (tf->vector != T_PAGE_FAULT) {
			*addr = 0;
			return SI_KERNEL;	/* a #GP: Linux reports no address */
		}
		return p->vm && uvm_find(p->vm, cr2) ? SEGV_ACCERR : SEGV_MAPERR;
	case SIGBUS:
		return BUS_ADRERR;
	case SIGFPE:
		return tf->vector == T_DIVIDE ? FPE_INTDIV : FPE_FLTDIV;
	case SIGILL:
		return ILL_ILLOPN;
	case SIGTRAP:
		return TRAP_BRKPT;
	default:
		return SI_KERNEL;
	}
}

void
proc_fault(struct trapframe *tf, uint64_t cr2, int sig, const char *what)
{
	struct proc *p = proc_current();
	uint64_t addr;
	int code = fault_code(tf, cr2, sig, &addr);

	if (signal_fault(p, tf, sig, addr, code))
		return;			/* a handler takes it (lab 6) */
	kprintf("user fault: pid %d (%s) killed by %s: %s at rip 0x%lx",
		p->pid, p->name, signal_name(sig), what, tf->rip);
	if (tf->vector == T_PAGE_FAULT)
		kprintf(", address 0x%lx", cr2);
	kprintf("\n");
	proc_exit(signal_death_status(p, sig));
}
