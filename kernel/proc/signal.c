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
#include <arch/idt.h>
#include <arch/percpu.h>

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

static const struct signal_ops *ops;	/* lab 6's handlers, stops and continues */

void
signal_set_ops(const struct signal_ops *o)
{
	ops = o;
}

/* The signals p may act on now: pending and not blocked (a stopped p: SIGKILL only). */
static uint64_t
deliverable(const struct proc *p)
{
	if (p->stopped)
		return p->sigpending & SIGBIT(SIGKILL);
	return p->sigpending & (~p->sigmask | UNBLOCKABLE);
}

bool
signal_interrupts(const struct proc *p)
{
	return deliverable(p) != 0;
}

/* Whether p has a handler for sig (none before lab 6). */
static bool
handled(const struct proc *p, int sig)
{
	return ops && ops->handled(p, sig);
}

bool
proc_signal_pending(void)
{
	return signal_interrupts(proc_current());
}

/* As Linux's fatal_signal_pending: SIGKILL, or a signal whose default action ends p. */
bool
proc_fatal_pending(void)
{
	struct proc *p = proc_current();
	uint64_t set = deliverable(p) & ~p->sigignore;

	if (p->pid == 1)
		return false;	/* init dies of no signal */
	for (int sig = 1; set; sig++, set >>= 1)
		if ((set & 1) && (sig == SIGKILL || (!ignored_by_default(sig) && !handled(p, sig))))
			return true;
	return false;
}

/* Set to SIG_IGN and not blocked: the signal is dropped as it is sent (as Linux). */
static bool
ignored(const struct proc *p, int sig)
{
	return (p->sigignore & SIGBIT(sig)) && !(p->sigmask & SIGBIT(sig));
}

void
signal_make_pending(struct proc *p, int sig)
{
	uint64_t flags = irq_save();

	p->sigpending |= SIGBIT(sig);
	if (p->state == P_SLEEPING && signal_interrupts(p))
		sched_wake_proc(p);
	irq_restore(flags);
}

void
proc_signal_info(struct proc *p, int sig, const struct siginfo_abi *info)
{
	if (sig == 0 || p->state == P_ZOMBIE)
		return;
	if (ops) {
		ops->send(p, sig, info);
		return;
	}
	if (!ignored_by_default(sig) && !ignored(p, sig))
		signal_make_pending(p, sig);
}

void
proc_signal(struct proc *p, int sig)
{
	struct siginfo_abi info = { .si_signo = sig, .si_code = SI_KERNEL };

	proc_signal_info(p, sig, &info);
}

bool
signal_init_drops(const struct proc *p, int sig)
{
	return p->pid == 1 && !(p->sigmask & SIGBIT(sig)) && !handled(p, sig);
}

/* kill's delivery to one process, as sent by the caller: 0, or -EPERM (credentials). */
static int
send(struct proc *p, int sig, int code)
{
	struct proc *self = proc_current();
	struct siginfo_abi info = { .si_signo = sig, .si_code = code };

	/* The kernel's own signals (SI_KERNEL: a hang-up) need no permission. */
	if (code != SI_KERNEL && p != self && security_may_signal(p, sig) < 0)
		return -EPERM;
	info.f.proc.pid = self->pid;
	info.f.proc.uid = self->cred.uid;
	if (!signal_init_drops(p, sig))
		proc_signal_info(p, sig, &info);
	return 0;
}

int
proc_kill(int pid, int sig)
{
	return proc_kill_code(pid, sig, SI_USER);
}

int
proc_kill_code(int pid, int sig, int code)
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
		return send(p, sig, code);
	}
	/*
	 * As Linux: a group succeeds if one member took the signal, else
	 * fails as the last did; kill(-1) fails only for another reason
	 * than EPERM (or for nobody at all: ESRCH).
	 */
	int pgid = pid == 0 ? self->pgid : -pid, r = 0;
	bool sent = false;
	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p)) {
		if (pid == -1 ? p->pid > 1 && p != self : p->pgid == pgid) {
			int err = send(p, sig, code);

			found++;
			sent |= err == 0;
			if (pid != -1 || err != -EPERM)
				r = err;
		}
	}
	if (!found)
		return -ESRCH;
	return pid == -1 || !sent ? r : 0;
}

bool
signal_ignored_or_blocked(const struct proc *p, int sig)
{
	return (p->sigignore | p->sigmask) & SIGBIT(sig);
}

bool
signal_fault(struct proc *p, struct trapframe *tf, int sig, uint64_t addr, int code)
{
	return ops && ops->fault(p, tf, sig, addr, code);
}

int
signal_death_status(struct proc *p, int sig)
{
	return ops ? ops->death_status(p, sig) : W_EXITCODE(0, sig);
}

bool
signal_act(struct proc *p, struct trapframe *tf, int sig)
{
	return ops && ops->deliver(p, tf, sig);
}

/* Whether tf returns from a system call that a signal interrupted (-ERESTART...). */
static bool
interrupted_call(const struct trapframe *tf)
{
	int64_t r = (int64_t)tf->rax;

	return tf->vector == T_SYSCALL && r <= -ERESTARTSYS && r >= -ERESTART_RESTARTBLOCK;
}

void
signal_leave(struct proc *p, struct trapframe *tf)
{
	if (!interrupted_call(tf))
		return;
	if (ops) {
		ops->leave(p, tf);
	} else if ((int64_t)tf->rax == -ERESTARTNOINTR) {
		tf->rax = tf->error;		/* fork: always again, from its syscall */
		tf->rip -= 2;
	} else {
		tf->rax = (uint64_t)-EINTR;	/* no handlers before lab 6: nothing restarts */
	}
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
		if (p->sigignore & SIGBIT(sig))
			continue;	/* an ignored one was blocked when it came: dropped now */
		if (p->pid == 1 && !handled(p, sig))
			continue;	/* init's default action is to ignore */
		return sig;
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
