/*
 * The APICs take over from the 8259 and the PIT once paging is the
 * kernel's (INIT_PLATFORM), as Linux switches after its early boot:
 *
 *   1. the MADT says where the local APIC and the I/O APICs are and
 *      which GSI each ISA IRQ arrives on (QEMU: IRQ 0 on GSI 2);
 *   2. the local APIC is enabled, every I/O APIC pin masked, the 8259
 *      masked whole, and the lines drivers registered move to the I/O
 *      APIC (irq_set_chip), keeping their vectors 32 + IRQ;
 *   3. the local APIC timer and the TSC are measured against the HPET
 *      or the ACPI PM timer, and the local APIC timer becomes the tick
 *      (timer_tick, timer_hz() times a second) in place of the PIT.
 *
 * Kernel options: noapic (the 8259 and the PIT stay), nolapic_timer (the
 * APICs, but the PIT's tick on IRQ 0), nohpet (calibrate against the PM
 * timer), debug=apic (each step).
 */
#include <acpi.h>
#include <clock.h>
#include <cmdline.h>
#include <init.h>
#include <irq.h>
#include <kprintf.h>
#include <madt.h>
#include <timer.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/io.h>

#define PIC1_DATA	0x21
#define PIC2_DATA	0xA1
#define CAL_MS		10	/* one calibration run */
#define CAL_RUNS	5
#define TICK_WAIT_NS	100000000UL	/* the first ticks must come within 100 ms */

static bool debug;
static uint64_t errors;

static void
apic_timer_interrupt(void)
{
	timer_tick();
	lapic_eoi();
}

static void
apic_error_interrupt(void)
{
	uint32_t esr = lapic_error();

	if (errors++ < 10)
		kprintf("apic: error interrupt, ESR 0x%x\n", esr);
	lapic_eoi();
}

/* The local APIC's own spurious vector: no ISR bit was set, so no EOI. */
static void
apic_spurious_interrupt(void)
{
}

struct sample {
	uint64_t tsc_hz, lapic_hz;
};

/*
 * TSC cycles and local APIC timer counts per second, over CAL_MS of rc.
 * False if rc stopped: bounded by the TSC (calibrated against the PIT
 * at boot) or, without one, by a count of reads.
 */
static bool
measure(const struct refclock *rc, struct sample *s)
{
	uint32_t want = (uint32_t)(rc->hz * CAL_MS / 1000);
	uint64_t limit = tsc_khz() * CAL_MS * 20;	/* 20 times too long: stuck */
	uint32_t d;
	long spins = 0;

	lapic_timer_free_run();
	uint32_t r0 = rc->read();
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic_timer_count();
	do {
		d = (rc->read() - r0) & rc->mask;
		if (limit ? rdtsc() - t0 > limit : ++spins > 100000000)
			return false;
	} while (d < want);
	uint64_t t1 = rdtsc();
	uint32_t l1 = lapic_timer_count();
	s->tsc_hz = (t1 - t0) * rc->hz / d;	/* < 2^64: 200 ms of a 10 GHz TSC at 1 GHz */
	s->lapic_hz = (uint64_t)(l0 - l1) * rc->hz / d;
	return true;
}

/* The median of n values (sorted in place). */
static uint64_t
median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* The median of CAL_RUNS runs: a run the emulator interrupted is an outlier either way. */
static bool
calibrate(const struct refclock *rc, struct sample *out)
{
	uint64_t tsc[CAL_RUNS], lapic[CAL_RUNS];

	for (int i = 0; i < CAL_RUNS; i++) {
		struct sample s;

		if (!measure(rc, &s))
			return false;
		if (debug)
			kprintf("apic: run %d: TSC %lu Hz, local APIC timer %lu Hz\n", i,
				s.tsc_hz, s.lapic_hz);
		tsc[i] = s.tsc_hz;
		lapic[i] = s.lapic_hz;
	}
	out->tsc_hz = median(tsc, CAL_RUNS);
	out->lapic_hz = median(lapic, CAL_RUNS);
	return out->lapic_hz > 0 && out->tsc_hz > 0;
}

static void
print_madt(const struct madt_info *m)
{
	kprintf("apic: MADT: local APIC at 0x%lx, %u CPU%s (boot CPU APIC id %u), %s8259s, "
		"%u I/O APIC%s, NMI on LINT%d\n", m->lapic_addr, m->ncpus, m->ncpus == 1 ? "" : "s",
		m->bsp_apic_id, m->pcat_compat ? "" : "no ", m->nioapics,
		m->nioapics == 1 ? "" : "s", m->nmi_lint == 0xFF ? 1 : m->nmi_lint);
	for (unsigned i = 0; i < m->nioapics; i++)
		kprintf("apic: MADT: I/O APIC id %u at 0x%x, GSI base %u\n", m->ioapic[i].id,
			m->ioapic[i].addr, m->ioapic[i].gsi_base);
	for (unsigned irq = 0; irq < MADT_ISA_IRQS; irq++)
		if (m->isa[irq].overridden)
			kprintf("apic: MADT: override IRQ %u -> GSI %u, %s, active %s\n", irq,
				m->isa[irq].gsi, m->isa[irq].level ? "level" : "edge",
				m->isa[irq].active_low ? "low" : "high");
}

/* Waits with interrupts on until the tick has moved twice; false if it does not. */
static bool
ticking(void)
{
	uint64_t start = timer_ticks(), t0 = clock_ns();

	cpu_sti();
	while (timer_ticks() < start + 2 && clock_ns() - t0 < TICK_WAIT_NS)
		cpu_pause();
	cpu_cli();
	return timer_ticks() >= start + 2;
}

/* Replaces the PIT's tick with the local APIC timer's; false (the PIT stays) if it does not tick. */
static bool
start_lapic_timer(uint64_t lapic_hz)
{
	uint64_t count = lapic_hz / timer_hz();

	if (count == 0 || count > 0xFFFFFFFF)
		return false;
	timer_pit_stop();
	lapic_timer_periodic((uint32_t)count);
	if (debug)
		kprintf("apic: local APIC timer: %lu counts a tick, vector %d\n", count,
			APIC_TIMER_VECTOR);
	if (ticking())
		return true;
	lapic_timer_periodic(0);
	timer_init(timer_hz());		/* the PIT again, on the I/O APIC */
	kprintf("apic: the local APIC timer does not interrupt; the PIT stays the tick\n");
	return false;
}

static void
apic_init(void)
{
	struct madt_info m;
	uint32_t len;
	const void *madt;

	debug = cmdline_debug(boot_argc, boot_argv, "apic");
	if (cmdline_value(boot_argc, boot_argv, "noapic")) {
		kprintf("apic: noapic: interrupts from the 8259 PIC, tick from the PIT\n");
		return;
	}
	if (!timer_ticks()) {
		/* Interrupts do not work (an IDT or a PIC missing): nothing to move. */
		kprintf("apic: no timer interrupts from the 8259: the APICs stay off\n");
		return;
	}
	madt = acpi_table("APIC", &len);
	if (!madt || madt_parse(madt, len, &m) < 0) {
		kprintf("apic: %s: interrupts from the 8259 PIC, tick from the PIT\n",
			madt ? "the MADT is invalid" : "no MADT");
		return;
	}
	if (debug)
		print_madt(&m);

	uint64_t flags = irq_save();
	if (lapic_init(m.lapic_addr, &m) < 0) {
		irq_restore(flags);
		kprintf("apic: no usable local APIC: the 8259 PIC stays\n");
		return;
	}
	int pins = ioapic_init(&m, debug);
	if (pins < 0) {
		irq_restore(flags);
		kprintf("apic: no usable I/O APIC: the 8259 PIC stays\n");
		return;
	}
	irq_register_vector(APIC_TIMER_VECTOR, "LOC", "Local timer interrupts",
			    apic_timer_interrupt);
	irq_register_vector(APIC_SPURIOUS_VECTOR, "SPU", "Spurious interrupts",
			    apic_spurious_interrupt);
	irq_register_vector(APIC_ERROR_VECTOR, "ERR", "APIC error interrupts",
			    apic_error_interrupt);
	/* The 8259 masked whole: its lines reach the CPU through the I/O APIC now. */
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	irq_set_chip(&ioapic_chip);
	if (debug) {
		kprintf("apic: local APIC id %u, version 0x%x; ISA IRQs on the I/O APIC:\n",
			lapic_id(), lapic_version() & 0xFF);
		for (int irq = 0; irq < NIRQ; irq++)
			ioapic_describe(irq);
	}

	struct refclock rc;
	struct sample s = { 0, 0 };
	bool calibrated = refclock_init(&rc, !cmdline_value(boot_argc, boot_argv, "nohpet"),
					debug) == 0 && calibrate(&rc, &s);
	if (calibrated) {
		if (debug)
			kprintf("apic: calibrated against the %s: TSC %lu kHz (the PIT said %lu), "
				"local APIC timer %lu Hz\n", rc.name, s.tsc_hz / 1000, tsc_khz(),
				s.lapic_hz);
		tsc_set_khz(s.tsc_hz / 1000);
	} else {
		kprintf("apic: no HPET or ACPI PM timer to measure against: the PIT stays the tick\n");
	}
	bool lapic_tick = calibrated && !cmdline_value(boot_argc, boot_argv, "nolapic_timer") &&
			  start_lapic_timer(s.lapic_hz);
	irq_restore(flags);

	if (lapic_tick)
		kprintf("apic: local APIC timer %u Hz (%s-calibrated, %lu MHz bus), "
			"I/O APIC %d pins, TSC %lu MHz\n", timer_hz(), rc.name,
			s.lapic_hz * APIC_TIMER_DIVIDE / 1000000, pins, tsc_khz() / 1000);
	else
		kprintf("apic: PIT timer %u Hz on the I/O APIC (%d pins), TSC %lu MHz (%s)\n",
			timer_hz(), pins, tsc_khz() / 1000,
			calibrated ? (rc.name[0] == 'H' ? "HPET-calibrated" : "PM timer-calibrated") :
			"PIT-calibrated");
}
INITCALL(INIT_PLATFORM, apic_init);
