/*
 * Signals with their default actions: kill() and friends set a pending
 * bit, and the process acts on it on its way back to user mode (or wakes
 * from a sleep to do so). A blocked signal waits in the pending set until
 * rt_sigprocmask unblocks it. Handlers, stopping and continuing come in
 * lab 6; until then the stop signals are ignored.
 */
#include <compiler.h>
#include <abi.h>
#include <kerrno.h>
#include <proc.h>
#include "proc_internal.h"
#include <ksched.h>
#include <arch/cpu.h>

static const char *const signal_names[32] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
	[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

const char *
signal_name(int sig)
{
	return sig > 0 && sig < 32 && signal_names[sig] ? signal_names[sig] : "signal";
}

/* Signals that SIGKILL-like never wait: they cannot be blocked. */
#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/*
 * Signals whose default action is to do nothing, and (until job control
 * comes with lab 6) those whose default action is to stop the process.
 */
static bool
ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The signals p may act on now: pending and not blocked. */
static uint64_t
deliverable(const struct proc *p)
{
	return p->sigpending & (~p->sigmask | UNBLOCKABLE);
}

bool
signal_interrupts(const struct proc *p)
{
	return deliverable(p) != 0;
}

bool
proc_fatal_pending(void)
{
	return signal_interrupts(proc_current());
}

/* Set to SIG_IGN and not blocked: the signal is dropped as it is sent (as Linux). */
static bool
ignored(const struct proc *p, int sig)
{
	return (p->sigignore & SIGBIT(sig)) && !(p->sigmask & SIGBIT(sig));
}

void
proc_signal(struct proc *p, int sig)
{
	if (sig == 0 || p->state == P_ZOMBIE || ignored_by_default(sig) || ignored(p, sig))
		return;
	uint64_t flags = irq_save();
	p->sigpending |= SIGBIT(sig);
	if (p->state == P_SLEEPING && signal_interrupts(p))
		sched_wake_proc(p);
	irq_restore(flags);
}

/* kill's delivery to one process: init takes only what it handles (nothing yet). */
static void
send(struct proc *p, int sig)
{
	if (p->pid != 1)
		proc_signal(p, sig);
}

int
proc_kill(int pid, int sig)
{
	struct proc *self = proc_current();
	int found = 0;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;		/* -pid does not exist */
	if (pid > 0) {
		struct proc *p = proc_find(pid);

		if (!p)
			return -ESRCH;
		send(p, sig);
		return 0;
	}
	int pgid = pid == 0 ? self->pgid : -pid;
	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p)) {
		if (pid == -1 ? p->pid > 1 && p != self : p->pgid == pgid) {
			send(p, sig);
			found++;
		}
	}
	return found ? 0 : -ESRCH;
}

int
signal_next(struct proc *p)
{
	for (;;) {
		uint64_t set = deliverable(p);

		if (!set)
			return 0;
		int sig = __builtin_ctzl(set) + 1;
		p->sigpending &= ~SIGBIT(sig);
		if (!(p->sigignore & SIGBIT(sig)))
			return sig;	/* an ignored one was blocked when it came: dropped now */
	}
}

int
signal_set_ignored(struct proc *p, int sig, bool ignore)
{
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (SIGBIT(sig) & UNBLOCKABLE)
		return -EINVAL;
	if (ignore) {
		p->sigignore |= SIGBIT(sig);
		p->sigpending &= ~SIGBIT(sig);	/* what was pending is dropped too */
	} else {
		p->sigignore &= ~SIGBIT(sig);
	}
	return 0;
}

/* A child ignores what its parent ignores; exec keeps it (POSIX). */
static int
signals_fork(struct proc *parent, struct proc *child)
{
	if (parent)
		child->sigignore = parent->sigignore;
	return 0;
}

PROC_HOOKS(signals, .fork = signals_fork);

void
signal_set_mask(struct proc *p, uint64_t mask)
{
	p->sigmask = mask & ~UNBLOCKABLE;
}
