/* Compiler attributes and small helpers used all over the kernel. */
#ifndef NEXA_COMPILER_H
#define NEXA_COMPILER_H

#define __noinline	__attribute__((noinline))
#define __noreturn	__attribute__((noreturn))
#define __used		__attribute__((used))
#define __packed	__attribute__((packed))
#define __section(s)	__attribute__((section(s)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
