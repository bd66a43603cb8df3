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

void idt_init(void);

/* Points vector at handler; ist 0 keeps the current stack; dpl 3 lets int n from user mode in. */
void idt_set_gate(int vector, uint64_t handler, int ist, int dpl);

#endif
