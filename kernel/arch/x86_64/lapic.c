/*
 * The local APIC in xAPIC mode: 4 KiB of registers in memory, each 32
 * bits wide on a 16-byte boundary. It takes interrupt messages from the
 * I/O APICs, keeps the one being handled in its in-service register
 * (ISR) until the EOI, and has a timer of its own.
 */
#include <kprintf.h>
#include <mmio.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/msr.h>

#define MSR_APIC_BASE	0x1B
#define APIC_BASE_ENABLE (1UL << 11)	/* the global enable */
#define APIC_BASE_X2APIC (1UL << 10)	/* registers in MSRs, not memory */
#define APIC_BASE_ADDR	0xFFFFFFFFFF000UL

#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080	/* task priority: 0 lets every vector in */
#define LAPIC_EOI	0x0B0
#define LAPIC_SVR	0x0F0	/* spurious vector, bit 8: software enable */
#define LAPIC_ISR	0x100	/* 8 registers of 32 bits, 0x10 apart */
#define LAPIC_ESR	0x280
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3E0

#define SVR_ENABLE	0x100
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define LVT_LEVEL	(1u << 15)
#define LVT_ACTIVE_LOW	(1u << 13)
#define LVT_NMI		(4u << 8)	/* delivery mode NMI */
#define TIMER_DIV_16	0x3

static volatile uint32_t *regs;

static uint32_t
lapic_read(unsigned reg)
{
	return regs[reg / 4];
}

static void
lapic_write(unsigned reg, uint32_t v)
{
	regs[reg / 4] = v;
	(void)regs[LAPIC_ID / 4];	/* wait for the write to land */
}

int
lapic_init(uint64_t pa, const struct madt_info *m)
{
	if (!(cpuid(1).edx & (1u << 9)))
		return -1;		/* no local APIC */
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if ((base & APIC_BASE_ADDR) != pa) {
		kprintf("apic: the MADT says the local APIC is at 0x%lx, the CPU 0x%lx; using the MADT's\n",
			pa, base & APIC_BASE_ADDR);
		base = (base & ~APIC_BASE_ADDR) | pa;
	}
	if (base & APIC_BASE_X2APIC) {
		/* x2APIC goes back to xAPIC only through disabled. */
		base &= ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE);
		wrmsr(MSR_APIC_BASE, base);
	}
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	regs = mmio_map(pa, 4096);
	if (!regs)
		return -1;
	lapic_write(LAPIC_TPR, 0);
	/* LINT0 would bring the 8259's interrupts (ExtINT): the 8259 is retired. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	uint32_t nmi = LVT_NMI;
	if ((m->nmi_flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW)
		nmi |= LVT_ACTIVE_LOW;
	if ((m->nmi_flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL)
		nmi |= LVT_LEVEL;
	/* PCs wire NMI to LINT1; the MADT says so (or differently). */
	lapic_write(m->nmi_lint == 0 ? LAPIC_LVT_LINT0 : LAPIC_LVT_LINT1, nmi);
	if (m->nmi_lint == 0)
		lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, APIC_ERROR_VECTOR);
	lapic_write(LAPIC_ESR, 0);		/* back-to-back writes clear it */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	lapic_eoi();		/* anything left in service from the firmware */
	return 0;
}

uint8_t
lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

uint32_t
lapic_version(void)
{
	return lapic_read(LAPIC_VERSION);
}

void
lapic_eoi(void)
{
	regs[LAPIC_EOI / 4] = 0;
}

bool
lapic_in_service(int vector)
{
	return lapic_read(LAPIC_ISR + (unsigned)(vector / 32) * 0x10) & (1u << (vector % 32));
}

/* The error register: written first so it latches what happened since. */
uint32_t
lapic_error(void)
{
	lapic_write(LAPIC_ESR, 0);
	return lapic_read(LAPIC_ESR);
}

void
lapic_timer_free_run(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
}

uint32_t
lapic_timer_count(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

void
lapic_timer_periodic(uint32_t count)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (!count) {
		lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
		return;
	}
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | APIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, count);
}
