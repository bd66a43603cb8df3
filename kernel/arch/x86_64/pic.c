/*
 * The two cascaded 8259A PICs. The BIOS leaves IRQ 0-7 on vectors 8-15,
 * where the CPU's own exceptions live, so we remap them to 32-47.
 *
 *   device --IRQ n--> PIC (master: IRQ 0-7, slave: IRQ 8-15 on master IRQ 2)
 *       --INTR--> CPU --vector 32+n--> IDT --> vectors.S --> trap() -->
 *       irq_dispatch(n) --> driver's handler --> EOI to the PIC(s)
 */
#include <irq.h>
#include <arch/idt.h>
#include <arch/io.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1
#define PIC_EOI		0x20
#define PIC_READ_ISR	0x0B	/* OCW3: next read of CMD gives the ISR */
#define PIC_READ_IRR	0x0A	/* OCW3: next read of CMD gives the IRR */
#define ICW1_INIT	0x11	/* edge triggered, cascade, ICW4 follows */
#define ICW4_8086	0x01

/* The in-service register of one PIC: which IRQs it is delivering now. */
static uint8_t
read_isr(uint16_t cmd)
{
	outb(cmd, PIC_READ_ISR);
	return inb(cmd);
}

/*
 * A line that drops before the CPU acknowledges it makes the PIC deliver
 * its lowest-priority IRQ (7, or 15 on the slave) with no ISR bit set.
 * That interrupt gets no EOI; a spurious 15 still owes the master one for
 * the cascade line.
 */
static bool
pic_spurious(int irq)
{
	if (irq == 7)
		return !(read_isr(PIC1_CMD) & 0x80);
	if (irq == 15 && !(read_isr(PIC2_CMD) & 0x80)) {
		outb(PIC1_CMD, PIC_EOI);
		return true;
	}
	return false;
}

/* The interrupt request register: lines raised but not delivered yet. */
static bool
pic_pending(int irq)
{
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;

	outb(cmd, PIC_READ_IRR);
	return inb(cmd) & (1u << (irq & 7));
}

#if SOL >= 2
static uint16_t mask = 0xFFFF;	/* bit n set: IRQ n masked */

static void
write_mask(void)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

static void
pic_mask(int irq)
{
	mask |= 1u << irq;
	write_mask();
}

static void
pic_unmask(int irq)
{
	mask &= ~(1u << irq);
	if (irq >= 8)
		mask &= ~(1u << IRQ_CASCADE);
	write_mask();
}

static void
pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void
pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT);
	io_wait();
	outb(PIC1_DATA, T_IRQ0);	/* ICW2: vector base */
	io_wait();
	outb(PIC2_DATA, T_IRQ0 + 8);
	io_wait();
	outb(PIC1_DATA, 1 << IRQ_CASCADE);	/* ICW3: slave on IRQ 2 */
	io_wait();
	outb(PIC2_DATA, IRQ_CASCADE);	/* ICW3: slave's cascade identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	write_mask();
	irq_init(&pic_chip);
}
#else
/*
 * LAB 2: your code here. Until the PICs are remapped, IRQ 0 would arrive
 * on vector 8 (#DF): keep every line masked.
 */
static void
pic_mask(int irq)
{
	(void)irq;
}

static void
pic_unmask(int irq)
{
	(void)irq;
}

static void
pic_eoi(int irq)
{
	(void)irq;
}

void
pic_init(void)
{
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	irq_init(&pic_chip);
}
#endif

const struct irq_chip pic_chip = {
	.name = "8259 PIC",
	.mask = pic_mask,
	.unmask = pic_unmask,
	.eoi = pic_eoi,
	.spurious = pic_spurious,
	.pending = pic_pending,
};
