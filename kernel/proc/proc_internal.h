/* What the files of kernel/proc share among themselves, and nobody else. */
#ifndef NEXA_PROC_INTERNAL_H
#define NEXA_PROC_INTERNAL_H

#include <proc.h>

void proc_free(struct proc *p);
bool proc_reparent_children(struct proc *p, struct proc *init);
struct proc *proc_next_child(struct proc *p, struct proc *c);

/* signal.c */
const char *signal_name(int sig);
/* True if p has a signal to act on: a sleep ends early for it. */
bool signal_interrupts(const struct proc *p);
/* Takes the lowest signal p may act on off its pending set; 0 if none. */
int signal_next(struct proc *p);

#endif
