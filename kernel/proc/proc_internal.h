/* What the files of kernel/proc share among themselves, and nobody else. */
#ifndef NEXA_PROC_INTERNAL_H
#define NEXA_PROC_INTERNAL_H

#include <proc.h>

void proc_free(struct proc *p);
bool proc_reparent_children(struct proc *p, struct proc *init);
struct proc *proc_next_child(struct proc *p, struct proc *c);
/* Every process but idle, newest first: proc_next_all(NULL) is the first. */
struct proc *proc_next_all(struct proc *p);

/* signal.c */
const char *signal_name(int sig);
/* True if p has a signal to act on: a sleep ends early for it. */
bool signal_interrupts(const struct proc *p);
/* Takes the lowest signal p may act on off its pending set; 0 if none. */
int signal_next(struct proc *p);
/* Sets the blocked set, leaving out what cannot be blocked. */
void signal_set_mask(struct proc *p, uint64_t mask);

#endif
