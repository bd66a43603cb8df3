/* The kernel monitor: a small command interpreter on the console (JOS-style). */
#ifndef NEXA_MONITOR_H
#define NEXA_MONITOR_H

#include <compiler.h>

__noreturn void monitor_run(void);

/* Prints the boot memory map, each line after prefix (the memmap command). */
void memmap_print(const char *prefix);

#endif
