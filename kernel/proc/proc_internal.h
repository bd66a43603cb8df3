/* What the files of kernel/proc share among themselves, and nobody else. */
#ifndef NEXA_PROC_INTERNAL_H
#define NEXA_PROC_INTERNAL_H

#include <proc.h>

void proc_free(struct proc *p);
void proc_reap_detached(void);
bool proc_reparent_children(struct proc *p, struct proc *init);
struct proc *proc_next_child(struct proc *p, struct proc *c);

/* signal.c */
const char *signal_name(int sig);
/* True if p has a signal to act on: a sleep ends early for it. */
bool signal_interrupts(const struct proc *p);
/* Takes the lowest signal p may act on off its pending set; 0 if none. */
int signal_next(struct proc *p);
/* A CPU exception's sig: true if a handler will take it (lab 6). */
bool signal_fault(struct proc *p, struct trapframe *tf, int sig, uint64_t addr, int code);
/* The wait status of a death by sig (lab 6 knows core dumps). */
int signal_death_status(struct proc *p, int sig);
/* Acts on sig (lab 6's handlers and stops): false if it ends the process. */
bool signal_act(struct proc *p, struct trapframe *tf, int sig);
/* Settles a system call a signal interrupted: restarted, or EINTR. */
void signal_leave(struct proc *p, struct trapframe *tf);

#endif
