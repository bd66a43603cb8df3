/* The interrupt descriptor table. */
#ifndef NEXA_IDT_H
#define NEXA_IDT_H

#include <stdint.h>

#define NVECTORS	256
#define T_DIVIDE	0	/* #DE */
#define T_NMI		2
#define T_BREAKPOINT	3	/* #BP, from int3 */
#define T_INVALID_OP	6	/* #UD */
#define T_DOUBLE_FAULT	8	/* #DF */
#define T_GPF		13	/* #GP */
#define T_PAGE_FAULT	14	/* #PF */
#define T_MACHINE_CHECK	18	/* #MC */
#define T_IRQ0		32	/* the 16 legacy IRQs are vectors 32..47 */
#define T_SPURIOUS_APIC	255

/* Page-fault error code bits. */
#define PF_PRESENT	0x01	/* 0: page not present; 1: protection violation */
#define PF_WRITE	0x02
#define PF_USER		0x04
#define PF_RSVD		0x08	/* a reserved bit was set in a page-table entry */
#define PF_FETCH	0x10	/* instruction fetch (no-execute) */

void idt_init(void);

/* Points vector at handler; ist 0 keeps the current stack; dpl 3 lets int n from user mode in. */
void idt_set_gate(int vector, uint64_t handler, int ist, int dpl);

#endif
