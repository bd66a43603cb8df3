/* Stack backtraces by walking the chain of saved frame pointers. */
#ifndef NEXA_BACKTRACE_H
#define NEXA_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

/* Prints "Stack backtrace:" and one line per frame, starting at the caller. */
void backtrace_print(void);

/* The same for the frames from rbp up; frame #0 returns to rbp[1]. */
void backtrace_from(uint64_t rbp);

/* The memory manager says which kernel-stack addresses are mapped (lab 3). */
void backtrace_set_stack_check(bool (*mapped)(uint64_t va));

#endif
