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
#include <arch/trapframe.h>

enum proc_state { P_NEW, P_READY, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct uvm;

/* Credentials; everyone is root until lab 7. */
struct cred {
	uint32_t uid, euid, gid, egid;
};

struct proc {
	int pid;
	enum proc_state state;
	char name[16];			/* the program's file name, for messages */
	struct proc *parent;
	struct proc *next_all;		/* every process, newest first */
	struct proc *next_run;		/* the run queue (sched.c) */
	struct uvm *vm;			/* NULL for the idle process */
	struct cred cred;
	void *files;			/* the file descriptor table: lab 5 (fds 0-2 are the console) */

	uint64_t kstack_top;		/* the kernel stack: the trapframe sits at its top */
	uint64_t ctx_rsp;		/* saved kernel rsp while switched out (swtch) */
	struct trapframe *tf;		/* user registers, at kstack_top */

	const void *wait_chan;		/* what it sleeps on, NULL if nothing */
	uint64_t wake_ns;		/* sleeping until clock_ns() reaches this; 0: no deadline */
	int killed;			/* a pending fatal signal, 0 if none */
	int exit_status;		/* wait4 status word, once a zombie */

	uint64_t fs_base;		/* user TLS (arch_prctl ARCH_SET_FS) */
	uint64_t clear_tid;		/* set_tid_address */
	uint64_t sigmask;		/* rt_sigprocmask; delivery comes in lab 6 */
	uint8_t fpu[512] __attribute__((aligned(16)));	/* fxsave image */
};

/* The process running on this CPU (the idle process when nothing else). */
struct proc *proc_current(void);

void proc_init(unsigned max_procs);
/* Starts the first user process from path; returns its pid or -errno. */
int proc_start_init(const char *path, char *const argv[], int argc);
struct proc *proc_find(int pid);
unsigned proc_count(void);
unsigned proc_max(void);

/* The system calls of the process life cycle (proc.c, exit.c). */
int proc_fork(void);
__attribute__((noreturn)) void proc_exit(int status);	/* status: a wait4 status word */
int proc_wait(int pid, uint64_t ustatus, int options);
int proc_kill(int pid, int sig);

/* Called on every return to user mode: delivers a pending kill, preempts. */
void proc_return_to_user(struct trapframe *tf);

/* A user-mode CPU exception: kills the current process with sig. */
__attribute__((noreturn)) void proc_fault(struct trapframe *tf, int sig, const char *what);

#endif
