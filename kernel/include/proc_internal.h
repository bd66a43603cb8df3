/* What the files of kernel/proc share among themselves, and nobody else. */
#ifndef NEXA_PROC_INTERNAL_H
#define NEXA_PROC_INTERNAL_H

#include <proc.h>

void proc_free(struct proc *p);
bool proc_reparent_children(struct proc *p, struct proc *init);
struct proc *proc_next_child(struct proc *p, struct proc *c);
const char *signal_name(int sig);

#endif
