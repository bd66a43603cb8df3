/* Segments: the GDT and the TSS (kernel stack for ring changes, IST stacks). */
#ifndef NEXA_GDT_H
#define NEXA_GDT_H


/*
 * Selector layout. syscall/sysret (lab 4) need the user segments in this
 * order: STAR takes KERNEL_CS and USER_CS32, sysret adds 8 and 16.
 */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_CS32	0x18	/* unused, keeps the sysret arithmetic */
#define USER_DS		(0x20 | 3)
#define USER_CS		(0x28 | 3)
#define TSS_SEL		0x30

/* Interrupt stack table slots (1-based, as the IDT gates name them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI		2

#ifndef __ASSEMBLER__
#include <stdint.h>

void gdt_init(void);
void tss_set_rsp0(uint64_t rsp0);	/* the stack for entries from ring 3 */
#endif

#endif
