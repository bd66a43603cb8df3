/*
 * Signals, complete (lab 6): actions (handlers, SIG_IGN, the defaults:
 * terminate, dump core, ignore, stop, continue), the alternate stack,
 * siginfo, restarting interrupted calls, sigsuspend and friends, the
 * real-time interval timer, and the stops and continues that wait4
 * reports. Lab 4's signal.c keeps the pending and blocked sets; this
 * file plugs into it (signal_set_ops) and into the life of a process
 * (PROC_HOOKS).
 */
#include <abi.h>
#include <clock.h>
#include <init.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <kstring.h>
#include <ksched.h>
#include <layout.h>
#include <ksyscall.h>
#include <proc.h>
#include <usercopy.h>
#include <arch/percpu.h>
#include <arch/sigframe.h>
#include "proc_internal.h"

/*
 * A signal sent and not yet taken, with its siginfo. A standard signal is
 * queued once (the first sending's information stays); a real-time one as
 * many times as it is sent, up to RLIMIT_SIGPENDING.
 */
struct queued {
	struct siginfo_abi info;
	struct queued *next;
};

struct sigstate {
	struct k_sigaction_abi action[NSIG];
	struct queued *queue, **tail;	/* in the order they came */
	unsigned queued;
	struct queued *spare;		/* one kept for the next signal: no allocation per signal */
	struct stack_abi altstack;
	uint64_t saved_mask;		/* sigsuspend's: the mask a handler's return puts back */
	bool restore_mask;
	int stop_sig;			/* what stopped the process */
	bool report_stop, report_cont;	/* for the parent's wait4 (WUNTRACED, WCONTINUED) */
	uint64_t alarm_ns, interval_ns;	/* ITIMER_REAL: when (clock_ns), and again every */
	char stop_chan;			/* where a stopped process sleeps */
	char pause_chan;		/* ... and one waiting for a signal */
};

enum action { TERM, CORE, IGNORE, STOP, CONT };

/* The default action of each signal (Linux's). */
static enum action
default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return STOP;
	case SIGCONT:
		return CONT;
	default:
		return TERM;
	}
}

static bool
is_stop(int sig)
{
	return default_action(sig) == STOP;
}

static struct k_sigaction_abi *
action_of(const struct proc *p, int sig)
{
	return &p->sig->action[sig - 1];
}

/* Whether sending sig to p would do nothing (its action is to ignore it). */
static bool
ignores(const struct proc *p, int sig)
{
	const struct k_sigaction_abi *ka = action_of(p, sig);

	if (ka->handler == SIG_IGN_ABI)
		return true;
	return ka->handler == SIG_DFL_ABI &&
	       (default_action(sig) == IGNORE || default_action(sig) == CONT);
}

static bool
sig_handled(const struct proc *p, int sig)
{
	return p->sig && action_of(p, sig)->handler > SIG_IGN_ABI;
}

/* p's parent hears that p stopped or went on (SIGCHLD, and a wait4 that waits). */
static void
notify_parent(struct proc *p, int code, int status)
{
	struct proc *parent = p->parent;

	if (!parent || parent == p)
		return;
	bool job_change = code == CLD_STOPPED || code == CLD_CONTINUED;
	if (!(job_change && parent->sig && (action_of(parent, SIGCHLD)->flags & SA_NOCLDSTOP))) {
		struct siginfo_abi info = { .si_signo = SIGCHLD, .si_code = code };

		info.f.proc.pid = p->pid;
		info.f.proc.uid = p->cred.uid;
		info.f.proc.status = status;
		proc_signal_info(parent, SIGCHLD, &info);
	}
	sched_wakeup(parent);
}

static bool
is_queued(const struct sigstate *s, int sig)
{
	for (const struct queued *q = s->queue; q; q = q->next)
		if (q->info.si_signo == sig)
			return true;
	return false;
}

/*
 * Queues info for sig: false when a real-time signal finds the queue
 * full (it is still pending, without its information, as on Linux).
 */
static bool
queue(struct proc *p, int sig, const struct siginfo_abi *info)
{
	struct sigstate *s = p->sig;

	if (sig < SIGRTMIN && is_queued(s, sig))
		return true;		/* one instance of a standard signal */
	if (sig >= SIGRTMIN && s->queued >= p->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return false;
	struct queued *q = s->spare ? s->spare : kmalloc(sizeof(*q));
	if (!q)
		return false;
	s->spare = NULL;
	q->info = info ? *info : (struct siginfo_abi){ .si_signo = sig, .si_code = SI_KERNEL };
	q->info.si_signo = sig;
	q->next = NULL;
	if (!s->tail || !s->queue)
		s->tail = &s->queue;
	*s->tail = q;
	s->tail = &q->next;
	s->queued++;
	return true;
}

static void
sig_send(struct proc *p, int sig, const struct siginfo_abi *info)
{
	struct sigstate *s = p->sig;

	if (!s) {
		signal_make_pending(p, sig);
		return;
	}
	/* A stop and a continue cancel each other, as they are sent. */
	if (sig == SIGCONT) {
		p->sigpending &= ~(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) |
				   SIGBIT(SIGTTOU));
		if (p->stopped) {
			p->stopped = false;
			s->report_cont = true;
			s->report_stop = false;
			sched_wake_proc(p);
			notify_parent(p, CLD_CONTINUED, SIGCONT);
		}
	} else if (is_stop(sig)) {
		p->sigpending &= ~SIGBIT(SIGCONT);
	}
	/* Ignored and not blocked: dropped now (a blocked one waits: the action may change). */
	if (ignores(p, sig) && !(p->sigmask & SIGBIT(sig)))
		return;
	queue(p, sig, info);
	signal_make_pending(p, sig);
}

/* A queued entry is done with: kept as the spare, or freed. */
static void
drop(struct sigstate *s, struct queued *q)
{
	if (s->spare)
		kfree(q);
	else
		s->spare = q;
}

/* Takes sig's oldest queued information (or makes some); sig stays pending if more are queued. */
static void
take_info(struct proc *p, int sig, struct siginfo_abi *info)
{
	struct sigstate *s = p->sig;
	bool found = false, more = false;

	for (struct queued **pp = &s->queue; *pp;) {
		struct queued *q = *pp;

		if (q->info.si_signo != sig) {
			pp = &q->next;
			continue;
		}
		if (found) {
			more = true;
			break;
		}
		*info = q->info;
		*pp = q->next;
		if (s->tail == &q->next)
			s->tail = pp;
		drop(s, q);
		s->queued--;
		found = true;
	}
	if (!found)
		*info = (struct siginfo_abi){ .si_signo = sig, .si_code = SI_KERNEL };
	if (more)
		p->sigpending |= SIGBIT(sig);
}

/* Drops whatever of sig is queued (it became ignored). */
static void
drop_queued(struct proc *p, int sig)
{
	struct sigstate *s = p->sig;

	p->sigpending &= ~SIGBIT(sig);
	for (struct queued **pp = &s->queue; *pp;) {
		struct queued *q = *pp;

		if (q->info.si_signo != sig) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		drop(s, q);
		s->queued--;
	}
	for (s->tail = &s->queue; *s->tail; s->tail = &(*s->tail)->next)
		;
}

static bool
group_has_stopped(int pgrp)
{
	for (struct proc *q = proc_next_all(NULL); q; q = proc_next_all(q))
		if (q->pgid == pgrp && q->stopped && q->state != P_ZOMBIE)
			return true;
	return false;
}

/* A group that gone's exit orphans, with a stopped member: SIGHUP, then SIGCONT (as Linux). */
static void
hang_up_if_orphaned(int pgrp, const struct proc *parent, const struct proc *gone)
{
	if (parent && parent->pgid != pgrp && parent->sid == gone->sid &&
	    proc_group_orphaned(pgrp, gone) && group_has_stopped(pgrp)) {
		proc_kill_code(-pgrp, SIGHUP, SI_KERNEL);
		proc_kill_code(-pgrp, SIGCONT, SI_KERNEL);
	}
}

/* Stops p until SIGCONT (or SIGKILL): its parent hears of both. */
static void
stop(struct proc *p, int sig)
{
	struct sigstate *s = p->sig;

	p->stopped = true;
	s->stop_sig = sig;
	s->report_stop = true;
	s->report_cont = false;
	notify_parent(p, CLD_STOPPED, sig);
	while (p->stopped && !(p->sigpending & SIGBIT(SIGKILL)))
		sched_sleep(&s->stop_chan, 0);
	p->stopped = false;
}

/* Whether tf is a system call that a signal interrupted (its result -ERESTART...). */
static bool
interrupted(const struct trapframe *tf)
{
	int64_t r = (int64_t)tf->rax;

	return tf->vector == T_SYSCALL && r <= -ERESTARTSYS && r >= -ERESTART_RESTARTBLOCK;
}

/* The call runs again from its syscall instruction (or as restart_syscall). */
static void
restart(struct trapframe *tf, bool block)
{
	tf->rax = block ? SYS_restart_syscall : tf->error;
	tf->rip -= 2;
}

/* A handler is about to run: the interrupted call fails with EINTR or runs again. */
static void
settle_for_handler(struct trapframe *tf, const struct k_sigaction_abi *ka)
{
	if (!interrupted(tf))
		return;
	int64_t r = (int64_t)tf->rax;
	if (r == -ERESTARTNOINTR || (r == -ERESTARTSYS && (ka->flags & SA_RESTART)))
		restart(tf, false);
	else
		tf->rax = (uint64_t)-EINTR;
}

static bool
run_handler(struct proc *p, struct trapframe *tf, int sig, const struct siginfo_abi *ip)
{
	struct sigstate *s = p->sig;
	struct k_sigaction_abi *ka = action_of(p, sig);
	struct siginfo_abi info = *ip;
	uint64_t oldmask = s->restore_mask ? s->saved_mask : p->sigmask;

	settle_for_handler(tf, ka);
	struct sigframe_args a = {
		ka->handler, ka->flags & SA_RESTORER ? ka->restorer : 0, oldmask,
		info.si_code > 0 && info.si_code < SI_KERNEL && sig != SIGCHLD ?
			info.f.fault.addr : 0,
		ka->flags & SA_ONSTACK, &s->altstack, &info,
	};
	if (sigframe_build(tf, &a) < 0)
		proc_exit(W_EXITCODE(0, SIGSEGV));	/* no room for the frame: Linux's force_sigsegv */
	s->restore_mask = false;
	if ((s->altstack.ss_flags & SS_AUTODISARM) && (ka->flags & SA_ONSTACK))
		s->altstack = (struct stack_abi){ 0, SS_DISABLE, 0, 0 };
	signal_set_mask(p, p->sigmask | ka->mask | (ka->flags & SA_NODEFER ? 0 : SIGBIT(sig)));
	if (ka->flags & SA_RESETHAND)
		*ka = (struct k_sigaction_abi){ SIG_DFL_ABI, 0, 0, 0 };
	return true;
}

/*
 * A status word for a death by sig: core dumped when RLIMIT_CORE lets
 * one be written (Linux writes none smaller than a page).
 */
static int
death_status(struct proc *p, int sig)
{
	bool core = default_action(sig) == CORE && p->rlim[RLIMIT_CORE].rlim_cur >= PAGE_SIZE;

	return W_EXITCODE(0, sig) | (core ? WCOREFLAG : 0);
}

static bool
sig_deliver(struct proc *p, struct trapframe *tf, int sig)
{
	const struct k_sigaction_abi *ka = action_of(p, sig);
	struct siginfo_abi info;

	take_info(p, sig, &info);
	if (ka->handler == SIG_IGN_ABI)
		return true;
	if (ka->handler > SIG_IGN_ABI)
		return run_handler(p, tf, sig, &info);
	switch (default_action(sig)) {
	case IGNORE:
	case CONT:
		return true;
	case STOP:
		if (sig == SIGSTOP || !proc_group_orphaned(p->pgid, NULL))
			stop(p, sig);	/* an orphaned group ignores the terminal's stops */
		return true;
	case CORE:
		proc_exit(death_status(p, sig));
	case TERM:
	default:
		return false;
	}
}

/* No handler ran: an interrupted call runs again (sigsuspend's mask stays). */
static void
sig_leave(struct proc *p, struct trapframe *tf)
{
	if (!interrupted(tf))
		return;
	int64_t r = (int64_t)tf->rax;
	restart(tf, r == -ERESTART_RESTARTBLOCK);
}

/*
 * A CPU exception in user mode: the signal goes to a handler if there is
 * one that may run; one blocked or ignored is made to kill instead, as
 * Linux's force_sig does.
 */
static bool
sig_fault(struct proc *p, struct trapframe *tf, int sig, uint64_t addr, int code)
{
	struct k_sigaction_abi *ka = action_of(p, sig);

	if (ka->handler == SIG_IGN_ABI || (p->sigmask & SIGBIT(sig))) {
		*ka = (struct k_sigaction_abi){ SIG_DFL_ABI, 0, 0, 0 };
		signal_set_mask(p, p->sigmask & ~SIGBIT(sig));
	}
	if (ka->handler == SIG_DFL_ABI)
		return false;
	struct siginfo_abi info = { .si_signo = sig, .si_code = code };
	info.f.fault.addr = addr;
	sig_send(p, sig, &info);
	return true;
}

static bool handlers_on;	/* the frame code is written (sigaction_init) */

static const struct signal_ops sig_ops = {
	.send = sig_send, .deliver = sig_deliver, .leave = sig_leave, .handled = sig_handled,
	.fault = sig_fault, .death_status = death_status,
};

/* ---- the life of a process ---- */

static int
sig_fork(struct proc *parent, struct proc *child)
{
	struct sigstate *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->altstack.ss_flags = SS_DISABLE;
	if (parent && parent->sig) {
		memcpy(s->action, parent->sig->action, sizeof(s->action));
		s->altstack = parent->sig->altstack;
	}
	child->sig = s;
	return 0;
}

/* exec: handlers go back to SIG_DFL (ignored signals stay ignored), the alternate stack goes. */
static void
sig_exec(struct proc *p)
{
	struct sigstate *s = p->sig;

	for (int i = 0; s && i < NSIG; i++)
		if (s->action[i].handler > SIG_IGN_ABI)
			s->action[i] = (struct k_sigaction_abi){ SIG_DFL_ABI, 0, 0, 0 };
	if (s)
		s->altstack = (struct stack_abi){ 0, SS_DISABLE, 0, 0 };
}

/* p's exit may orphan its own group (its parent linked it to the session) or a child's. */
static void
orphan_groups(struct proc *p)
{
	hang_up_if_orphaned(p->pgid, p->parent, p);
	for (struct proc *c = proc_next_child(p, NULL); c; c = proc_next_child(p, c))
		if (c->pgid != p->pgid && c->sid == p->sid && c->state != P_ZOMBIE)
			hang_up_if_orphaned(c->pgid, p, p);
}

/* A parent that ignores SIGCHLD or set SA_NOCLDWAIT leaves no zombies (POSIX). */
static bool
ignores_children(const struct proc *parent)
{
	if (!parent || !parent->sig)
		return false;
	const struct k_sigaction_abi *ka = action_of(parent, SIGCHLD);
	return ka->handler == SIG_IGN_ABI || (ka->flags & SA_NOCLDWAIT);
}

/* At exit (not for a child whose fork failed, nor at reaping): the parent's SIGCHLD. */
static void
sig_release(struct proc *p)
{
	if (p->state == P_RUNNING && p->sig) {
		int st = p->exit_status;

		p->autoreap = ignores_children(p->parent);

		notify_parent(p, st & 0x7F ? (st & WCOREFLAG ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED,
			      st & 0x7F ? st & 0x7F : (st >> 8) & 0xFF);
		orphan_groups(p);
	}
	if (p->state != P_RUNNING && p->sig) {
		while (p->sig->queue) {
			struct queued *q = p->sig->queue;
			p->sig->queue = q->next;
			kfree(q);
		}
		kfree(p->sig->spare);
		kfree(p->sig);
		p->sig = NULL;
	}
}

PROC_HOOKS(sigaction, .fork = sig_fork, .exec = sig_exec, .release = sig_release);

/* ---- the system calls ---- */

SYSCALL(rt_sigaction, 6)
{
	struct proc *p = proc_current();
	int sig = (int)a0;
	struct k_sigaction_abi act, old;

	if (a3 != sizeof(uint64_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a1 && copy_from_user(&act, a1, sizeof(act)) < 0)
		return -EFAULT;
	if (a1 && (SIGBIT(sig) & (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))))
		return -EINVAL;
	if (a1 && act.handler > SIG_IGN_ABI && !handlers_on)
		return -ENOSYS;		/* as before lab 6 */
	old = *action_of(p, sig);
	if (a1) {
		act.mask &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
		*action_of(p, sig) = act;
		signal_set_ignored(p, sig, act.handler == SIG_IGN_ABI);
		/* Set to be ignored, a pending one goes (POSIX), blocked or not. */
		if (ignores(p, sig))
			drop_queued(p, sig);
	}
	if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* Whether sp is on the alternate stack of s (an enabled one). */
static bool
on_altstack(const struct sigstate *s, uint64_t sp)
{
	return s->altstack.ss_size && !(s->altstack.ss_flags & SS_DISABLE) &&
	       sp - s->altstack.ss_sp < s->altstack.ss_size;
}

/*
 * Sets the alternate stack of s as sigaltstack(2) does, for a caller
 * whose stack pointer is sp: -EPERM while on it, -EINVAL for bad flags,
 * -ENOMEM for too small a stack; then nothing changes.
 */
static int
altstack_change(struct sigstate *s, struct stack_abi set, uint64_t sp)
{
	uint32_t mode = (uint32_t)set.ss_flags & ~SS_AUTODISARM;

	if (on_altstack(s, sp))
		return -EPERM;		/* cannot change the stack it runs on */
	if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
		return -EINVAL;
	if (mode == SS_DISABLE)
		set = (struct stack_abi){ 0, SS_DISABLE, 0, 0 };
	else if (set.ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	set.ss_flags &= (int32_t)(SS_DISABLE | SS_AUTODISARM);
	s->altstack = set;
	return 0;
}

SYSCALL(rt_sigreturn, 6)
{
	struct proc *p = proc_current();
	struct trapframe *tf = p->tf;
	struct stack_abi stack;
	uint64_t mask;

	if (sigframe_return(tf, &mask, &stack) < 0)
		proc_exit(W_EXITCODE(0, SIGSEGV));	/* a forged or broken frame */
	signal_set_mask(p, mask);
	/* The stack state comes back as sigaltstack sets it; errors are ignored (Linux). */
	altstack_change(p->sig, stack, tf->rsp);
	return (int64_t)tf->rax;	/* the dispatcher puts it back in rax */
}

SYSCALL(sigaltstack, 6)
{
	struct sigstate *s = proc_current()->sig;
	uint64_t sp = proc_current()->tf->rsp;
	struct stack_abi old = s->altstack, set;

	old.ss_flags = on_altstack(s, sp) ? SS_ONSTACK :
		       s->altstack.ss_flags & (SS_DISABLE | SS_AUTODISARM);
	if (old.ss_flags & SS_DISABLE)
		old = (struct stack_abi){ 0, SS_DISABLE, 0, 0 };
	if (a0) {
		if (copy_from_user(&set, a0, sizeof(set)) < 0)
			return -EFAULT;
		int r = altstack_change(s, set, sp);
		if (r < 0)
			return r;
	}
	if (a1 && copy_to_user(a1, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigpending, 6)
{
	struct proc *p = proc_current();
	uint64_t set = p->sigpending & p->sigmask;

	if (a1 > sizeof(uint64_t))
		return -EINVAL;
	return copy_to_user(a0, &set, a1) < 0 ? -EFAULT : 0;
}

/* Sleeps until a signal needs the process; the calling syscall then gives ERESTARTNOHAND. */
static int64_t
wait_for_signal(struct proc *p)
{
	while (!signal_interrupts(p))
		sched_sleep(&p->sig->pause_chan, 0);
	return -ERESTARTNOHAND;
}

SYSCALL(rt_sigsuspend, 6)
{
	struct proc *p = proc_current();
	uint64_t mask;

	if (a1 != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&mask, a0, sizeof(mask)) < 0)
		return -EFAULT;
	p->sig->saved_mask = p->sigmask;
	p->sig->restore_mask = true;
	signal_set_mask(p, mask);
	return wait_for_signal(p);
}

SYSCALL(pause, 6)
{
	return wait_for_signal(proc_current());
}

/*
 * rt_sigtimedwait: waits for one of set (normally blocked) and takes it
 * without running a handler: its number and siginfo, EAGAIN at the
 * timeout, EINTR for another signal.
 */
SYSCALL(rt_sigtimedwait, 6)
{
	struct proc *p = proc_current();
	uint64_t set, deadline = 0;

	if (a3 != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&set, a0, sizeof(set)) < 0)
		return -EFAULT;
	set &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	if (a2) {
		uint64_t ns, now = clock_ns();
		int r = timespec_from_user(a2, &ns);

		if (r < 0)
			return r;
		deadline = now + ns >= now ? now + ns : UINT64_MAX;	/* never 0: now > 0 */
	}
	uint64_t saved = p->sigmask;
	for (;;) {
		uint64_t ready = p->sigpending & set;

		if (ready) {
			int sig = __builtin_ctzl(ready) + 1;
			struct siginfo_abi info;

			p->sigpending &= ~SIGBIT(sig);
			signal_set_mask(p, saved);
			take_info(p, sig, &info);
			if (a1 && copy_to_user(a1, &info, sizeof(info)) < 0)
				return -EFAULT;
			return sig;
		}
		if (deadline && clock_ns() >= deadline) {
			signal_set_mask(p, saved);
			return -EAGAIN;
		}
		/* The awaited signals may wake the sleep meanwhile. */
		signal_set_mask(p, saved & ~set);
		int r = sched_sleep(&p->sig->pause_chan, deadline);
		signal_set_mask(p, saved);
		if (r < 0 && !(p->sigpending & set))
			return -EINTR;
	}
}

/*
 * sigqueue(3)'s calls: a signal with the caller's siginfo (its value).
 * A process may not forge a code the kernel uses, except to itself;
 * a full queue is EAGAIN.
 */
static int64_t
queue_to(int pid, int sig, uint64_t uinfo)
{
	struct proc *self = proc_current(), *p = pid > 0 ? proc_find(pid) : NULL;
	struct siginfo_abi info;

	if (copy_from_user(&info, uinfo, sizeof(info)) < 0)
		return -EFAULT;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!p || p->state == P_ZOMBIE)
		return -ESRCH;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && p != self)
		return -EPERM;
	if (p != self && security_may_signal(p, sig) < 0)
		return -EPERM;
	if (!sig || !p->sig || signal_init_drops(p, sig))
		return 0;
	if (sig >= SIGRTMIN && p->sig->queued >= p->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return -EAGAIN;
	info.si_signo = sig;
	proc_signal_info(p, sig, &info);
	return 0;
}

SYSCALL(rt_sigqueueinfo, 6)
{
	return queue_to((int)a0, (int)a1, a2);
}

/* One thread per process: the thread is the process. */
SYSCALL(rt_tgsigqueueinfo, 6)
{
	if ((int)a0 != (int)a1)
		return (int)a0 <= 0 || (int)a1 <= 0 ? -EINVAL : -ESRCH;
	return queue_to((int)a1, (int)a2, a3);
}

/* ---- wait4 with stops and continues ---- */

/* A stopped or continued child c that wait4's options ask for: its pid, status out. */
static int
report_change(struct proc *c, int options, uint64_t ustatus, uint64_t urusage)
{
	struct sigstate *s = c->sig;
	int status;

	if ((options & WUNTRACED) && s->report_stop && c->stopped) {
		status = W_STOPCODE(s->stop_sig);
		s->report_stop = false;
	} else if ((options & WCONTINUED) && s->report_cont) {
		status = W_CONTINUED;
		s->report_cont = false;
	} else {
		return 0;
	}
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
		return -EFAULT;
	if (urusage) {
		struct rusage_abi ru;

		proc_rusage(c, RUSAGE_SELF, &ru);
		if (copy_to_user(urusage, &ru, sizeof(ru)) < 0)
			return -EFAULT;
	}
	return c->pid;
}

static bool
wanted(const struct proc *p, const struct proc *c, int pid)
{
	return pid > 0 ? c->pid == pid : pid == -1 ? true :
	       c->pgid == (pid == 0 ? p->pgid : -pid);
}

SYSCALL(wait4, 6)
{
	struct proc *p = proc_current();
	int pid = (int)a0, options = (int)a2;

	/* As Linux, a signal ends the wait only when no child could end it now. */
	for (bool interrupted = false;; interrupted = sched_sleep(p, 0) < 0) {
		proc_reap_detached();
		if (options & (WUNTRACED | WCONTINUED) && !(options & ~(WNOHANG | WUNTRACED |
			WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))) {
			for (struct proc *c = proc_next_child(p, NULL); c; c = proc_next_child(p, c)) {
				if (c->state == P_ZOMBIE || !c->sig || !wanted(p, c, pid))
					continue;
				int r = report_change(c, options, a1, a3);
				if (r)
					return r;
			}
		}
		int r = proc_wait(pid, a1, options | WNOHANG, a3);
		if (r != 0 || (options & WNOHANG))
			return r;
		if (interrupted)
			return -ERESTARTSYS;
	}
}

/* ---- the real-time interval timer ---- */

static unsigned armed;		/* processes with ITIMER_REAL running */

static uint64_t
to_ns(struct timeval_abi tv)
{
	return (uint64_t)tv.tv_sec * 1000000000UL + (uint64_t)tv.tv_usec * 1000UL;
}

static struct timeval_abi
to_tv(uint64_t ns)
{
	/* Rounded up, as Linux never reports 0 for a timer still running. */
	uint64_t us = (ns + 999) / 1000;

	return (struct timeval_abi){ (int64_t)(us / 1000000), (int64_t)(us % 1000000) };
}

static void
set_alarm(struct sigstate *s, uint64_t value_ns, uint64_t interval_ns)
{
	armed -= s->alarm_ns != 0;
	s->alarm_ns = value_ns ? clock_ns() + value_ns : 0;
	s->interval_ns = value_ns ? interval_ns : 0;
	armed += s->alarm_ns != 0;
}

static struct itimerval_abi
get_alarm(const struct sigstate *s)
{
	uint64_t now = clock_ns();
	struct itimerval_abi v = { to_tv(s->interval_ns), { 0, 0 } };

	if (s->alarm_ns)
		v.it_value = to_tv(s->alarm_ns > now ? s->alarm_ns - now : 1);
	return v;
}

/* Every tick, with a timer running: SIGALRM for those that are due. */
static void
alarm_tick(void)
{
	if (!armed)
		return;
	uint64_t now = clock_ns();
	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p)) {
		struct sigstate *s = p->sig;

		if (!s || !s->alarm_ns || s->alarm_ns > now || p->state == P_ZOMBIE)
			continue;
		struct siginfo_abi info = { .si_signo = SIGALRM, .si_code = SI_KERNEL };
		proc_signal_info(p, SIGALRM, &info);
		if (s->interval_ns) {
			s->alarm_ns += s->interval_ns;
			if (s->alarm_ns <= now)	/* behind: one signal, then on time again */
				s->alarm_ns = now + s->interval_ns;
		} else {
			s->alarm_ns = 0;
			armed--;
		}
	}
}

SYSCALL(setitimer, 6)
{
	struct sigstate *s = proc_current()->sig;
	struct itimerval_abi v, old = get_alarm(s);

	if ((int)a0 != ITIMER_REAL)
		return (int)a0 == ITIMER_VIRTUAL || (int)a0 == ITIMER_PROF ? -ENOSYS : -EINVAL;
	/* No new value is a zero one: the timer stops (Linux's old misfeature). */
	if (!a1)
		v = (struct itimerval_abi){ { 0, 0 }, { 0, 0 } };
	else if (copy_from_user(&v, a1, sizeof(v)) < 0)
		return -EFAULT;
	if (v.it_value.tv_sec < 0 || v.it_value.tv_usec < 0 || v.it_value.tv_usec >= 1000000 ||
	    v.it_interval.tv_sec < 0 || v.it_interval.tv_usec < 0 ||
	    v.it_interval.tv_usec >= 1000000)
		return -EINVAL;
	set_alarm(s, to_ns(v.it_value), to_ns(v.it_interval));
	if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(getitimer, 6)
{
	struct itimerval_abi v = get_alarm(proc_current()->sig);

	if ((int)a0 != ITIMER_REAL)
		return (int)a0 == ITIMER_VIRTUAL || (int)a0 == ITIMER_PROF ? -ENOSYS : -EINVAL;
	return copy_to_user(a1, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

/* alarm(seconds): the seconds left of the previous one (rounded), 0 if none. */
SYSCALL(alarm, 6)
{
	struct sigstate *s = proc_current()->sig;
	struct itimerval_abi old = get_alarm(s);

	set_alarm(s, (uint64_t)(uint32_t)a0 * 1000000000UL, 0);
	return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 ||
				      (!old.it_value.tv_sec && old.it_value.tv_usec));
}

/* An interrupted timed wait that no handler ended (a stop and a continue): the rest of it. */
SYSCALL(restart_syscall, 6)
{
	struct proc *p = proc_current();
	struct restart_block r = p->restart;

	p->restart.fn = NULL;
	return r.fn ? r.fn(&r) : -EINTR;
}

static void
sigaction_init(void)
{
	/* Handlers need the frame code: while it is a stub, SIG_IGN and SIG_DFL only. */
	handlers_on = sigframe_build(NULL, NULL) != -ENOSYS;
	signal_set_ops(&sig_ops);
	sched_set_tick_hook(alarm_tick);
	syscalls_enable(6);
}
INITCALL(INIT_SERVICES, sigaction_init);
