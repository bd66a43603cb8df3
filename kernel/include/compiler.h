/* Compiler attributes and small helpers used all over the kernel. */
#ifndef NEXA_COMPILER_H
#define NEXA_COMPILER_H

#include <stddef.h>

#define __noinline	__attribute__((noinline))
#define __noreturn	__attribute__((noreturn))
#define __used		__attribute__((used))
#define __packed	__attribute__((packed))
#define __section(s)	__attribute__((section(s)))

#ifndef INT_MAX
#define INT_MAX		__INT_MAX__
#define INT_MIN		(-__INT_MAX__ - 1)
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* The structure of type that holds member at ptr. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif
