/*
 * The I/O APICs: each has a few dozen inputs (pins), numbered across all
 * of them as global system interrupts (GSIs), and a redirection entry per
 * pin that says which vector goes to which local APIC, how the line
 * signals (edge or level, active high or low) and whether it is masked.
 * Two registers in memory reach everything else: a select and a window.
 *
 * ISA IRQ n is on GSI n unless the MADT overrides it: on QEMU and most
 * PCs the PIT's IRQ 0 is on GSI 2. IRQ n keeps vector 32 + n, so trap()
 * and the drivers do not see the change.
 */
#include <kprintf.h>
#include <mmio.h>
#include <arch/apic.h>
#include <arch/idt.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01	/* bits 23:16: the last redirection entry */
#define IOAPIC_REDTBL	0x10	/* pin n: registers 0x10 + 2n (low), + 1 (high) */

#define RTE_ACTIVE_LOW	(1u << 13)
#define RTE_LEVEL	(1u << 15)
#define RTE_MASKED	(1u << 16)
#define MAX_PINS	240

static struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned pins;
} ioapics[MADT_MAX_IOAPICS];
static unsigned nioapics;
static struct madt_isa isa[MADT_ISA_IRQS];
static uint8_t dest;		/* the boot CPU's local APIC id */

static uint32_t
io_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void
io_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

/* The I/O APIC and pin of gsi; NULL if no I/O APIC has it. */
static struct ioapic *
find_pin(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

/*
 * The GSI of ISA irq; -1 if it has none: when an override moved another
 * IRQ onto irq's own GSI (IRQ 0 on GSI 2 leaves IRQ 2, the old cascade,
 * nowhere), the GSI is the other's.
 */
static int
isa_gsi(int irq)
{
	if (irq < 0 || irq >= MADT_ISA_IRQS)
		return -1;
	if (!isa[irq].overridden)
		for (int other = 0; other < MADT_ISA_IRQS; other++)
			if (other != irq && isa[other].overridden && isa[other].gsi == (uint32_t)irq)
				return -1;
	return (int)isa[irq].gsi;
}

static void
route(int irq, bool masked)
{
	int gsi = isa_gsi(irq);
	unsigned pin;
	struct ioapic *io = gsi < 0 ? NULL : find_pin((uint32_t)gsi, &pin);

	if (!io)
		return;
	uint32_t low = (uint32_t)(T_IRQ0 + irq);	/* fixed delivery, physical destination */
	if (isa[irq].active_low)
		low |= RTE_ACTIVE_LOW;
	if (isa[irq].level)
		low |= RTE_LEVEL;
	if (masked)
		low |= RTE_MASKED;
	/* Masked first, so the entry is never live half written. */
	io_write(io, IOAPIC_REDTBL + 2 * pin, RTE_MASKED);
	io_write(io, IOAPIC_REDTBL + 2 * pin + 1, (uint32_t)dest << 24);
	io_write(io, IOAPIC_REDTBL + 2 * pin, low);
}

static void
ioapic_mask(int irq)
{
	route(irq, true);
}

static void
ioapic_unmask(int irq)
{
	route(irq, false);
}

static void
ioapic_eoi(int irq)
{
	(void)irq;
	lapic_eoi();	/* the local APIC tells a level-triggered pin's I/O APIC */
}

/*
 * A vector the local APIC is not delivering came from software (int $n)
 * or from the retired 8259: an EOI now would end whichever interrupt is
 * in service, so none.
 */
static bool
ioapic_spurious(int irq)
{
	return !lapic_in_service(T_IRQ0 + irq);
}

const struct irq_chip ioapic_chip = {
	.name = "I/O APIC",
	.mask = ioapic_mask,
	.unmask = ioapic_unmask,
	.eoi = ioapic_eoi,
	.spurious = ioapic_spurious,
};

void
ioapic_describe(int irq)
{
	int gsi = isa_gsi(irq);
	unsigned pin;

	if (gsi < 0 || !find_pin((uint32_t)gsi, &pin)) {
		kprintf("apic:   IRQ %d: not connected\n", irq);
		return;
	}
	kprintf("apic:   IRQ %d -> GSI %d (pin %u), vector %d, %s, active %s%s\n", irq, gsi,
		pin, T_IRQ0 + irq, isa[irq].level ? "level" : "edge",
		isa[irq].active_low ? "low" : "high",
		isa[irq].overridden ? " (override)" : "");
}

int
ioapic_init(const struct madt_info *m, bool debug)
{
	unsigned total = 0;

	dest = lapic_id();
	for (unsigned i = 0; i < MADT_ISA_IRQS; i++)
		isa[i] = m->isa[i];
	for (unsigned i = 0; i < m->nioapics; i++) {
		struct ioapic *io = &ioapics[nioapics];

		io->regs = mmio_map(m->ioapic[i].addr, 0x20);
		if (!io->regs)
			continue;
		uint32_t ver = io_read(io, IOAPIC_VER);
		if (ver == 0xFFFFFFFF) {	/* nothing answers there */
			kprintf("apic: no I/O APIC at 0x%x; ignored\n", m->ioapic[i].addr);
			continue;
		}
		io->gsi_base = m->ioapic[i].gsi_base;
		io->pins = ((ver >> 16) & 0xFF) + 1;
		if (io->pins > MAX_PINS)
			io->pins = MAX_PINS;
		for (unsigned pin = 0; pin < io->pins; pin++)
			io_write(io, IOAPIC_REDTBL + 2 * pin, RTE_MASKED);
		if (debug)
			kprintf("apic: I/O APIC id %u at 0x%x: version 0x%x, GSIs %u-%u\n",
				m->ioapic[i].id, m->ioapic[i].addr, ver & 0xFF, io->gsi_base,
				io->gsi_base + io->pins - 1);
		total += io->pins;
		nioapics++;
	}
	return nioapics ? (int)total : -1;
}
