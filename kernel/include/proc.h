/*
 * Processes: the process control block, the process table, and the
 * process life cycle of the seed:
 *
 *   NEW -> READY <-> RUNNING -> ZOMBIE -> (reaped by wait4)
 *            ^          |
 *            +- SLEEPING <- (wait channel or a deadline)
 */
#ifndef NEXA_PROC_H
#define NEXA_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <abi.h>
#include <cred.h>
#include <arch/trapframe.h>

enum proc_state { P_NEW, P_READY, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct uvm;
struct fdtable;
struct fs_context;


/* A timed wait a stop interrupted, for restart_syscall to resume (Linux's restart block). */
struct restart_block {
	int64_t (*fn)(struct restart_block *r);	/* NULL: nothing to resume */
	uint64_t deadline;			/* clock_ns() time it ends */
	uint64_t arg[4];
};

struct proc {
	int pid;
	int pgid, sid;			/* process group and session */
	enum proc_state state;
	char name[16];			/* the program's file name, for messages */
	struct proc *parent;
	struct proc *next_all;		/* every process, newest first */
	struct proc *next_run;		/* the run queue (sched.c) */
	struct uvm *vm;			/* NULL for the idle process */
	struct cred cred;
	struct fdtable *files;		/* open files (lab 5; until then fds 0-2 are the console) */
	struct fs_context *fs;		/* root, current directory, umask (lab 5) */

	uint64_t kstack_top;		/* the kernel stack: the trapframe sits at its top */
	uint64_t ctx_rsp;		/* saved kernel rsp while switched out (swtch) */
	struct trapframe *tf;		/* user registers, at kstack_top */

	const void *wait_chan;		/* what it sleeps on, NULL if nothing */
	const void *const *wait_chans;	/* or several things (poll), nwait of them */
	unsigned nwait;
	uint64_t wake_ns;		/* sleeping until clock_ns() reaches this; 0: no deadline */
	uint64_t sigpending;		/* signals sent, not yet acted on: bit sig - 1 */
	uint64_t sigmask;		/* blocked signals (rt_sigprocmask) */
	uint64_t sigignore;		/* signals set to SIG_IGN (rt_sigaction) */
	bool stopped;			/* by SIGSTOP and its kin until SIGCONT (lab 6) */
	struct sigstate *sig;		/* handlers, alternate stack, timers (lab 6) */
	int exit_status;		/* wait4 status word, once a zombie */
	bool autoreap;			/* no wait4 will see it: freed as a zombie (lab 6) */
	bool did_exec;			/* ran execve since fork (setpgid's EACCES) */
	bool oom_victim;		/* chosen by the OOM killer, dying */
	int oom_score_adj;		/* -1000: the OOM killer never picks it */

	/* CPU time: exact run time, split into user and system by timer ticks. */
	uint64_t run_ns, ran_since;	/* ran_since: clock_ns() when it last got the CPU */
	uint64_t start_ns;		/* clock_ns() when it was made */
	uint64_t user_ticks, sys_ticks;
	uint64_t minflt, maxrss_pages;	/* page faults; the largest rss of past programs */
	uint64_t child_user_ns, child_sys_ns, child_minflt, child_maxrss_pages;	/* reaped */

	struct rlimit_abi rlim[RLIM_NLIMITS];	/* getrlimit/setrlimit */

	uint64_t fs_base, gs_base;	/* user TLS bases (arch_prctl) */
	uint64_t clear_tid;		/* set_tid_address */
	uint64_t set_child_tid;		/* clone: where a new child writes its pid */
	uint64_t robust_list;		/* set_robust_list (lab 6) */
	struct restart_block restart;	/* an interrupted timed wait: restart_syscall's */
	uint8_t fpu[512] __attribute__((aligned(16)));	/* fxsave image */
};

/*
 * What later labs keep per process (files, signal handlers) joins the
 * process's life through hooks that they register with PROC_HOOKS:
 * fork copies or shares it into child (parent is NULL for init; an error
 * fails the fork), exec drops what does not survive an exec, release
 * frees it (at exit, and for a child whose fork failed: it must cope
 * with what is half set up, and may run twice).
 */
struct proc_hooks {
	int (*fork)(struct proc *parent, struct proc *child);
	void (*exec)(struct proc *p);
	void (*release)(struct proc *p);
};

#define PROC_HOOKS(tag, ...)						\
	static const struct proc_hooks __proc_hooks_##tag		\
		__attribute__((used, section(".proc_hooks"), aligned(8))) = { __VA_ARGS__ }

/* Run the registered hooks (proc.c). */
int proc_hooks_fork(struct proc *parent, struct proc *child);
void proc_hooks_exec(struct proc *p);
void proc_hooks_release(struct proc *p);

/* The process running on this CPU (the idle process when nothing else). */
struct proc *proc_current(void);

/* Starts the first user process from path; returns its pid or -errno. */
int proc_start_init(const char *path, char *const argv[], int argc);
struct proc *proc_find(int pid);
/* Every process but idle, newest first: proc_next_all(NULL) is the first. */
struct proc *proc_next_all(struct proc *p);
unsigned proc_count(void);
/* Whether some process of session sid is in process group pgid. */
bool proc_group_in_session(int pgid, int sid);
/* Whether group pgrp has no member with a parent elsewhere in its session, gone's exit counted (gone may be NULL). */
bool proc_group_orphaned(int pgrp, const struct proc *gone);

/* The system calls of the process life cycle (proc.c, exit.c). */
int proc_fork(void);
__attribute__((noreturn)) void proc_exit(int status);	/* status: a wait4 status word */
/* wait4: reaps a child (pid as wait4's), copying its status and rusage out. */
int proc_wait(int pid, uint64_t ustatus, int options, uint64_t urusage);
/* kill: pid > 0 a process, 0 the caller's group, -1 everyone else, < -1 a group. */
int proc_kill(int pid, int sig);
/* The same with the si_code the receiver sees (SI_USER, SI_TKILL, SI_KERNEL). */
int proc_kill_code(int pid, int sig, int code);
/* Sends sig to p whatever init's protection says (the OOM killer): SI_KERNEL. */
void proc_signal(struct proc *p, int sig);
struct siginfo_abi;
/* The same with what the receiver's handler will learn of it. */
void proc_signal_info(struct proc *p, int sig, const struct siginfo_abi *info);
/* Whether p ignores (SIG_IGN) or blocks sig: the terminal's job control asks. */
bool signal_ignored_or_blocked(const struct proc *p, int sig);
/* Init (pid 1) takes only what it handles or blocks (and waits for); the rest is dropped as sent. */
bool signal_init_drops(const struct proc *p, int sig);
/* Marks sig pending in p and wakes p if it can act on it now (the bare mechanism). */
void signal_make_pending(struct proc *p, int sig);

/*
 * What lab 6 adds to signals: actions other than death. send replaces
 * lab 4's sending (it knows handlers, stops, SIGCONT); deliver acts on a
 * signal taken off the pending set on the way to user mode and returns
 * false to have the process killed (lab 4's only action); leave settles
 * an interrupted system call (restart, or EINTR) before the return;
 * handled says whether p has a handler for sig (init takes only those).
 */
struct signal_ops {
	void (*send)(struct proc *p, int sig, const struct siginfo_abi *info);
	bool (*deliver)(struct proc *p, struct trapframe *tf, int sig);
	void (*leave)(struct proc *p, struct trapframe *tf);
	bool (*handled)(const struct proc *p, int sig);
	/* A CPU exception's signal: true if a handler will take it (si_code, address). */
	bool (*fault)(struct proc *p, struct trapframe *tf, int sig, uint64_t addr, int code);
	/* The wait status of a death by sig (core dumped or not). */
	int (*death_status)(struct proc *p, int sig);
};
void signal_set_ops(const struct signal_ops *ops);
/* Sets p's blocked signals, leaving out those that cannot be blocked (signal.c). */
void signal_set_mask(struct proc *p, uint64_t mask);
/* rt_sigaction's SIG_IGN (ignore true) or SIG_DFL for sig; -EINVAL for SIGKILL, SIGSTOP. */
int signal_set_ignored(struct proc *p, int sig, bool ignore);
/* True if the current process must die (a pending signal whose action is to end it). */
bool proc_fatal_pending(void);
/* True if a signal needs the current process (to die, stop or run a handler): long calls end early. */
bool proc_signal_pending(void);

/* Accounting (acct.c). CPU time of p in nanoseconds, the running slice included. */
uint64_t proc_cpu_ns(struct proc *p);
void proc_times(struct proc *p, uint64_t *user_ns, uint64_t *sys_ns);
#define RUSAGE_BOTH	(-2)	/* the process and its reaped children (wait4's) */
struct rusage_abi;
void proc_rusage(struct proc *p, int who, struct rusage_abi *ru);
void proc_adopt_times(struct proc *parent, struct proc *child);	/* at reaping */
void proc_account_rss(struct proc *p, struct uvm *vm);	/* before vm goes */
enum acct_mode { ACCT_USER, ACCT_SYSTEM, ACCT_IDLE };
void acct_tick(enum acct_mode mode);			/* the timer, every tick */
void acct_switch(struct proc *prev, struct proc *next);	/* sched.c, at each switch */

/* The whole machine's CPU time and load, for /proc/stat and /proc/loadavg. */
struct cpu_stats {
	uint64_t user_ticks, sys_ticks, idle_ticks;
	uint64_t ctxt;			/* context switches */
	uint64_t forks;			/* processes made since boot */
	uint64_t avenrun[3];		/* load averages, fixed point with 11 fraction bits */
};
extern struct cpu_stats cpu_stats;

/* The host name (uname's nodename; sethostname). */
const char *uts_nodename(void);

/* Out of memory at a page fault: kill the biggest process and wait for it (oom.c). */
void oom_kill(void);

/* Called on every return to user mode: acts on pending signals, preempts (usermode.c). */
void proc_return_to_user(struct trapframe *tf);

/*
 * A user-mode CPU exception (cr2: the fault address): sig goes to the
 * process's handler (lab 6), or kills it.
 */
void proc_fault(struct trapframe *tf, uint64_t cr2, int sig, const char *what);
/* Sleeps until clock_ns() reaches deadline: 0, or -EINTR with the rest at urem. */
int64_t clock_sleep_until(uint64_t deadline, uint64_t urem);

#endif
