/* Stack backtraces by walking the chain of saved frame pointers. */
#ifndef NEXA_BACKTRACE_H
#define NEXA_BACKTRACE_H

#include <stdint.h>

/* Prints "Stack backtrace:" and one line per frame, starting at the caller. */
void backtrace_print(void);

/* The same for the frames from rbp up; frame #0 returns to rbp[1]. */
void backtrace_from(uint64_t rbp);

#endif
