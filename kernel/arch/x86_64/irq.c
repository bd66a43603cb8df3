/* IRQ dispatch: from the vector to the driver's handler, then EOI. */
#include <stddef.h>
#include <compiler.h>
#include <irq.h>
#include <kprintf.h>

static const struct irq_chip *chip;
static irq_handler handlers[NIRQ];
static const struct trapframe *frame;	/* of the interrupt being handled */
uint64_t irq_count[NIRQ];
uint64_t irq_spurious[NIRQ];
/* Vectors outside the lines, few: a table searched per interrupt is enough. */
static struct {
	int vector;
	const char *tag, *what;
	irq_handler handler;
	uint64_t count;
} local[4];

void
irq_init(const struct irq_chip *c)
{
	chip = c;
}

void
irq_set_chip(const struct irq_chip *c)
{
	const struct irq_chip *old = chip;

	for (int irq = 0; irq < NIRQ; irq++)
		if (handlers[irq] && old)
			old->mask(irq);
	chip = c;
	for (int irq = 0; irq < NIRQ; irq++) {
		if (!handlers[irq])
			continue;
		chip->unmask(irq);
		/*
		 * An edge the old controller latched is lost to the new one,
		 * and a device that keeps its line up until served (the
		 * keyboard with a byte waiting) would never raise another.
		 */
		if (old && old->pending && old->pending(irq)) {
			irq_count[irq]++;
			handlers[irq]();
		}
	}
}

const struct irq_chip *
irq_chip(void)
{
	return chip;
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

int
irq_register_vector(int vector, const char *tag, const char *what, irq_handler handler)
{
	for (size_t i = 0; i < ARRAY_SIZE(local); i++)
		if (local[i].handler && local[i].vector == vector)
			return -1;
	for (size_t i = 0; i < ARRAY_SIZE(local); i++) {
		if (!local[i].handler) {
			local[i].vector = vector;
			local[i].tag = tag;
			local[i].what = what;
			local[i].handler = handler;
			return 0;
		}
	}
	return -1;
}

bool
irq_dispatch_vector(int vector, const struct trapframe *tf)
{
	for (size_t i = 0; i < ARRAY_SIZE(local); i++) {
		if (local[i].handler && local[i].vector == vector) {
			local[i].count++;
			frame = tf;
			local[i].handler();
			frame = NULL;
			return true;
		}
	}
	return false;
}

bool
irq_vector_stat(unsigned i, const char **tag, const char **what, uint64_t *count)
{
	if (i >= ARRAY_SIZE(local) || !local[i].handler)
		return false;
	*tag = local[i].tag;
	*what = local[i].what;
	*count = local[i].count;
	return true;
}

const struct trapframe *
irq_frame(void)
{
	return frame;
}
