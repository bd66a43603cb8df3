/*
 * The end of a process: exit, the zombie its parent reaps with wait4,
 * kill with the default actions of SIGKILL and SIGTERM (signal handlers
 * come in lab 6), and CPU exceptions in user mode.
 */
#include <errno.h>
#include <abi.h>
#include <kprintf.h>
#include <power.h>
#include <panic.h>
#include <proc.h>
#include <proc_internal.h>
#include <sched.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/cpu.h>

static const char *const signal_names[32] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
};

const char *
signal_name(int sig)
{
	return sig > 0 && sig < 32 && signal_names[sig] ? signal_names[sig] : "signal";
}

/*
 * Signals whose default action is to do nothing, and (until job control
 * comes with lab 6) those whose default action is to stop the process.
 */
static bool
ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 /* SIGURG */ ||
	       sig == 28 /* SIGWINCH */ || (sig >= SIGSTOP && sig <= 22 /* SIGTTOU */);
}

/* init's exit ends the system, as on Linux (where the kernel panics). */
static void
init_exited(int status)
{
	if (status & 0x7F)
		kprintf("kernel: init killed by %s\n", signal_name(status & 0x7F));
	else
		kprintf("kernel: init exited with status %d\n", (status >> 8) & 0xFF);
	power_off(status == 0 ? POWER_OK : POWER_FAIL);
}

#if SOL >= 4
void
proc_exit(int status)
{
	struct proc *p = proc_current();

	cpu_cli();
	if (p->pid == 1)
		init_exited(status);
	uvm_activate(NULL);		/* off the address space we free */
	uvm_destroy(p->vm);
	p->vm = NULL;
	struct proc *init = proc_find(1);
	if (proc_reparent_children(p, init))
		sched_wakeup(init);	/* a zombie for init to reap */
	p->exit_status = status;
	p->state = P_ZOMBIE;
	sched_wakeup(p->parent);
	sched_switch();
	panic("proc_exit: a zombie ran again");
}

int
proc_wait(int pid, uint64_t ustatus, int options)
{
	struct proc *p = proc_current();

	if (options & ~(WNOHANG | WUNTRACED))
		return -EINVAL;
	for (;;) {
		bool have = false;

		for (struct proc *c = proc_next_child(p, NULL); c; c = proc_next_child(p, c)) {
			if (pid > 0 && c->pid != pid)
				continue;
			have = true;
			if (c->state != P_ZOMBIE)
				continue;
			if (ustatus && copy_to_user(ustatus, &c->exit_status, sizeof(int)) < 0)
				return -EFAULT;
			int found = c->pid;
			proc_free(c);
			return found;
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sched_sleep(p, 0) < 0)
			return -EINTR;
	}
}
#else
void
proc_exit(int status)
{
	/* LAB 4: your code here. Free the address space (after switching
	 * to the kernel's), give the children to init, become a zombie
	 * holding status, wake the parent, and switch away for good. */
	(void)init_exited, (void)status;
	panic("proc_exit not implemented");
}

int
proc_wait(int pid, uint64_t ustatus, int options)
{
	/* LAB 4: your code here. Reap a zombie child (proc_free), -ECHILD
	 * without children, 0 with WNOHANG, else sleep on the parent. */
	(void)pid, (void)ustatus, (void)options;
	return -ECHILD;
}
#endif

int
proc_kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid <= 0)
		return -ESRCH;		/* process groups come with lab 6 */
	struct proc *p = proc_find(pid);
	if (!p)
		return -ESRCH;
	if (sig == 0 || p->state == P_ZOMBIE || ignored_by_default(sig))
		return 0;
	if (p->pid == 1)
		return 0;		/* init ignores signals it does not handle */
	uint64_t flags = irq_save();
	if (!p->killed)
		p->killed = sig;
	if (p->state == P_SLEEPING)
		sched_wake_proc(p);
	irq_restore(flags);
	return 0;
}

void
proc_return_to_user(struct trapframe *tf)
{
	struct proc *p = proc_current();

	if (sched_need_resched())
		sched_yield();
	if (p->killed)
		proc_exit(W_EXITCODE(0, p->killed));
}

void
proc_fault(struct trapframe *tf, int sig, const char *what)
{
	struct proc *p = proc_current();

	kprintf("user fault: pid %d (%s) killed by %s: %s at rip 0x%lx",
		p->pid, p->name, signal_name(sig), what, tf->rip);
	if (tf->vector == 14)
		kprintf(", address 0x%lx", read_cr2());
	kprintf("\n");
	proc_exit(W_EXITCODE(0, sig));
}
