/* The kernel monitor: a small command interpreter on the console (JOS-style). */
#ifndef NEXA_MONITOR_H
#define NEXA_MONITOR_H

#include <compiler.h>

struct monitor_command {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

/* Adds the command name (a bare word) to the monitor, from any file. */
#define MONITOR_COMMAND(name, help, fn)					\
	static const struct monitor_command __monitor_command_##name	\
		__used __section(".monitor_commands") __attribute__((aligned(8))) = \
		{ #name, help, fn }

__noreturn void monitor_run(void);

/* Prints the boot memory map, each line after prefix (the memmap command). */
void memmap_print(const char *prefix);

#endif
