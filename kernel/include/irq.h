/*
 * Hardware interrupt lines (IRQs), independent of the controller.
 * Drivers only call irq_register(); the controller (the 8259 PIC now, the
 * IOAPIC later) is an irq_chip behind irq.c, so replacing it touches no
 * driver.
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
};

typedef void (*irq_handler)(void);

void irq_init(const struct irq_chip *chip);
/* Installs handler for irq and unmasks it; returns -1 if irq is taken. */
int irq_register(int irq, irq_handler handler);
void irq_unregister(int irq);	/* masks irq and forgets its handler */
void irq_dispatch(int irq, const struct trapframe *tf);	/* from trap(), interrupts off */
/* The registers the interrupt being handled interrupted; NULL outside a handler. */
const struct trapframe *irq_frame(void);

extern uint64_t irq_count[NIRQ];	/* handled interrupts per line */
extern uint64_t irq_spurious[NIRQ];	/* spurious ones, not handled */

/* The 8259 pair, remapped to vectors 32..47. */
extern const struct irq_chip pic_chip;
void pic_init(void);

#endif
