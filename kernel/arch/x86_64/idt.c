/*
 * The IDT: one 16-byte gate per vector, all pointing at the stubs of
 * vectors.S. A gate:
 *
 *   127            96 95            64
 *  +----------------+----------------+
 *  |    reserved    | offset 63..32  |
 *  +----------------+--+-+--+-+----+-+-----+---------------+
 *  | offset 31..16  |P |DPL|0|type|0 0 0 0 0| IST | selector | offset 15..0 |
 *   63           48  47 46-45 44 43-40        34-32  31-16      15-0
 *
 * type 0xE is an interrupt gate: the CPU clears IF on entry, so handlers
 * start with interrupts off (a trap gate, 0xF, would leave them on).
 */
#include <compiler.h>
#include <arch/gdt.h>
#include <arch/idt.h>
#include <kprintf.h>

struct gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;

#define GATE_PRESENT	0x80
#define GATE_INTERRUPT	0x0E

static struct gate idt[NVECTORS] __attribute__((aligned(16)));
extern const uint64_t trap_vectors[NVECTORS];

#if SOL >= 2
void
idt_set_gate(int vector, uint64_t handler, int ist, int dpl)
{
	struct gate *g = &idt[vector];

	g->offset_lo = handler & 0xFFFF;
	g->selector = KERNEL_CS;
	g->ist = ist & 7;
	g->type_attr = GATE_PRESENT | (dpl & 3) << 5 | GATE_INTERRUPT;
	g->offset_mid = (handler >> 16) & 0xFFFF;
	g->offset_hi = handler >> 32;
	g->reserved = 0;
}
#else
void
idt_set_gate(int vector, uint64_t handler, int ist, int dpl)
{
	/* LAB 2: your code here. Fill idt[vector] as the diagram shows. */
	(void)vector, (void)handler, (void)ist, (void)dpl;
}
#endif

void
idt_init(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < NVECTORS; v++)
		idt_set_gate(v, trap_vectors[v], 0, 0);
	/* Own stacks for the faults that come when the stack is the problem. */
	idt_set_gate(T_DOUBLE_FAULT, trap_vectors[T_DOUBLE_FAULT], IST_DOUBLE_FAULT, 0);
	idt_set_gate(T_NMI, trap_vectors[T_NMI], IST_NMI, 0);
	idt_set_gate(T_BREAKPOINT, trap_vectors[T_BREAKPOINT], 0, 3);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
