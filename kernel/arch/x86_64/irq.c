/* IRQ dispatch: from the vector to the driver's handler, then EOI. */
#include <stddef.h>
#include <irq.h>
#include <kprintf.h>

static const struct irq_chip *chip;
static irq_handler handlers[NIRQ];
static const struct trapframe *frame;	/* of the interrupt being handled */
uint64_t irq_count[NIRQ];
uint64_t irq_spurious[NIRQ];

void
irq_init(const struct irq_chip *c)
{
	chip = c;
}

int
irq_register(int irq, irq_handler handler)
{
	if (irq < 0 || irq >= NIRQ || handlers[irq])
		return -1;
	handlers[irq] = handler;
	if (chip)
		chip->unmask(irq);
	return 0;
}

void
irq_unregister(int irq)
{
	if (irq < 0 || irq >= NIRQ)
		return;
	if (chip)
		chip->mask(irq);
	handlers[irq] = NULL;
}

void
irq_dispatch(int irq, const struct trapframe *tf)
{
	if (chip && chip->spurious(irq)) {
		irq_spurious[irq]++;
		return;
	}
	irq_count[irq]++;
	frame = tf;
	if (handlers[irq])
		handlers[irq]();
	frame = NULL;
	if (chip)
		chip->eoi(irq);
}

const struct trapframe *
irq_frame(void)
{
	return frame;
}
