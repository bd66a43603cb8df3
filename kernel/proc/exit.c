/*
 * The end of a process: exit, and the zombie its parent reaps with wait4.
 */
#include <compiler.h>
#include <abi.h>
#include <kerrno.h>
#include <kprintf.h>
#include <power.h>
#include <panic.h>
#include <proc.h>
#include "proc_internal.h"
#include <ksched.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/cpu.h>

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

/* Whether child c is one that wait4's pid and options ask for. */
static bool
wait_matches(const struct proc *p, const struct proc *c, int pid, int options)
{
	if ((options & __WCLONE) && !(options & __WALL))
		return false;		/* only clone children: there are none */
	if (c->autoreap)
		return false;		/* its parent ignores SIGCHLD: nobody waits for it */
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return true;
	return c->pgid == (pid == 0 ? p->pgid : -pid);
}

/*
 * Reaps the zombie child c, then copies its status and resource usage
 * out: as on Linux, a bad pointer gets -EFAULT but the child is gone.
 */
static int
reap(struct proc *p, struct proc *c, uint64_t ustatus, uint64_t urusage)
{
	int status = c->exit_status, pid = c->pid;
	struct rusage_abi ru;

	proc_rusage(c, RUSAGE_SELF, &ru);
	proc_adopt_times(p, c);
	proc_free(c);
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
		return -EFAULT;
	if (urusage && copy_to_user(urusage, &ru, sizeof(ru)) < 0)
		return -EFAULT;
	return pid;
}

#if SOL >= 4
void
proc_exit(int status)
{
	struct proc *p = proc_current();
	struct uvm *vm = p->vm;

	cpu_sti();		/* freeing a big address space takes a while */
	if (p->pid == 1)
		init_exited(status);
	if (vm) {
		proc_account_rss(p, vm);
		uvm_activate(NULL);	/* off the address space we free */
		p->vm = NULL;
		uvm_destroy(vm);
	}
	p->exit_status = status;	/* for the release hooks: lab 6 tells the parent */
	proc_hooks_release(p);		/* files close, before the parent hears of it */
	cpu_cli();
	struct proc *init = proc_find(1);
	if (proc_reparent_children(p, init))
		sched_wakeup(init);	/* a zombie for init to reap */
	p->state = P_ZOMBIE;
	sched_wakeup(p->parent);
	sched_switch();
	panic("proc_exit: a zombie ran again");
}

int
proc_wait(int pid, uint64_t ustatus, int options, uint64_t urusage)
{
	struct proc *p = proc_current();

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;		/* -pid does not exist */
	for (;;) {
		bool have = false;

		for (struct proc *c = proc_next_child(p, NULL); c; c = proc_next_child(p, c)) {
			if (!wait_matches(p, c, pid, options))
				continue;
			have = true;
			if (c->state == P_ZOMBIE)
				return reap(p, c, ustatus, urusage);
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sched_sleep(p, 0) < 0)
			return -ERESTARTSYS;
	}
}
#else
void
proc_exit(int status)
{
	/* LAB 4: your code here. With interrupts on, free the address
	 * space (after switching to the kernel's and clearing p->vm); keep
	 * status in p->exit_status and run the release hooks (later labs'
	 * files and signals go); then, with interrupts off, give the
	 * children to init, become a zombie, wake the parent, and switch
	 * away for good. */
	(void)init_exited, (void)status;
	panic("proc_exit not implemented");
}

int
proc_wait(int pid, uint64_t ustatus, int options, uint64_t urusage)
{
	/* LAB 4: your code here. Reap a zombie child that wait_matches()
	 * (reap), -ECHILD without such children, 0 with WNOHANG, else sleep
	 * on the parent. */
	(void)pid, (void)ustatus, (void)options, (void)urusage, (void)wait_matches,
		(void)reap;
	return -ECHILD;
}
#endif
