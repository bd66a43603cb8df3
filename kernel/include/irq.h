/*
 * Hardware interrupt lines (IRQs), independent of the controller.
 * Drivers only call irq_register(); the controller (the 8259 PIC, or the
 * I/O APIC in the full tree) is an irq_chip behind irq.c, so replacing it
 * touches no driver.
 */
#ifndef NEXA_IRQ_H
#define NEXA_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct trapframe;

#define NIRQ		16
#define IRQ_TIMER	0
#define IRQ_KEYBOARD	1
#define IRQ_CASCADE	2
#define IRQ_COM1	4

struct irq_chip {
	const char *name;
	void (*mask)(int irq);
	void (*unmask)(int irq);
	void (*eoi)(int irq);
	/* True if the controller raised irq without a device asking (no EOI then). */
	bool (*spurious)(int irq);
	/* True if irq arrived but was not delivered yet (may be NULL). */
	bool (*pending)(int irq);
};

typedef void (*irq_handler)(void);

void irq_init(const struct irq_chip *chip);
/*
 * Moves every registered line to chip (the I/O APIC taking over from the
 * 8259): masks them on the old one, unmasks them on the new. Interrupts off.
 */
void irq_set_chip(const struct irq_chip *chip);
const struct irq_chip *irq_chip(void);	/* the controller in use */
/* Installs handler for irq and unmasks it; returns -1 if irq is taken. */
int irq_register(int irq, irq_handler handler);
void irq_unregister(int irq);	/* masks irq and forgets its handler */
void irq_dispatch(int irq, const struct trapframe *tf);	/* from trap(), interrupts off */
/*
 * A vector that is no line of the controller (the local APIC's timer,
 * error and spurious vectors; past the lines' T_IRQ0 + NIRQ, whose
 * vectors trap() gives to irq_dispatch): handler runs from trap() and
 * sends its own EOI. -1 if the vector is taken or the table is full.
 */
int irq_register_vector(int vector, const char *tag, const char *what, irq_handler handler);
/*
 * The i-th registered vector, for /proc/interrupts: its tag ("LOC"), what
 * it is and how often it came; false past the last.
 */
bool irq_vector_stat(unsigned i, const char **tag, const char **what, uint64_t *count);
/* From trap(): runs vector's handler; false if it has none. */
bool irq_dispatch_vector(int vector, const struct trapframe *tf);
/* The registers the interrupt being handled interrupted; NULL outside a handler. */
const struct trapframe *irq_frame(void);

extern uint64_t irq_count[NIRQ];	/* handled interrupts per line */
extern uint64_t irq_spurious[NIRQ];	/* spurious ones, not handled */

/* The 8259 pair, remapped to vectors 32..47. */
extern const struct irq_chip pic_chip;
void pic_init(void);

#endif
