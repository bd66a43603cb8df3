/* Kernel-wide limits, one place for all of them. */
#ifndef NEXA_PARAM_H
#define NEXA_PARAM_H

#define NEXA_VERSION	"0.1.0"

#define CMDLINE_MAX	512	/* kernel command line, bytes with the NUL */
#define CMDLINE_ARGS	32	/* words on the kernel command line */
#define LOADER_NAME_MAX	64	/* boot loader name, bytes with the NUL */
#define MAX_MEM_REGIONS	64	/* entries kept from the firmware memory map */
#define MAX_RESERVED	16	/* ranges reserved at boot: kernel, boot info, modules */
#define MAX_MODULES	8	/* boot modules (initramfs, ...) */
#define MODULE_NAME_MAX	64	/* a module's command line, bytes with the NUL */
#define CONSOLE_LINE_MAX 256	/* one line of console input */
#define CONSOLE_INPUT_MAX 256	/* typed-ahead characters (a power of two) */
#define CONSOLE_LOG_SIZE 16384	/* the kernel's messages kept for dmesg */
#define MONITOR_ARGS	16	/* words in one monitor command */
#define NPROC_DEFAULT	256	/* processes at most, unless the command line says maxproc=N */
#define KSTACK_PAGES	4	/* a process's kernel stack: 16 KiB, plus its guard page */
#define ARG_MAX_BYTES	(128 * 1024)	/* execve: argument and environment strings */
#define ARG_MAX_COUNT	4096	/* execve: arguments plus environment entries */
#define PATH_MAX	4096	/* a path, with its NUL */
#define NOFILE_SOFT	1024	/* open descriptors per process: RLIMIT_NOFILE's soft limit */
#define NOFILE_HARD	4096	/* ... and its hard limit */
#define FILE_MAX	16384	/* open file descriptions in the system (ENFILE) */
#define PID_MAX		32768	/* process ids are below this (/proc/sys/kernel/pid_max) */

#endif
