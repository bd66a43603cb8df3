/*
 * The APICs (full tree): the local APIC of the CPU (lapic.c), the I/O
 * APICs that turn device lines into messages to it (ioapic.c), and the
 * clocks their timer is measured against (refclock.c). apic.c brings
 * them up in place of the 8259 and the PIT.
 */
#ifndef NEXA_ARCH_APIC_H
#define NEXA_ARCH_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include <irq.h>
#include <madt.h>

#define APIC_TIMER_VECTOR	0xEF	/* Linux's LOCAL_TIMER_VECTOR neighbourhood */
#define APIC_ERROR_VECTOR	0xFE
#define APIC_SPURIOUS_VECTOR	0xFF	/* low 4 bits all ones: older APICs demand it */
#define APIC_TIMER_DIVIDE	16

/* Maps and enables the local APIC at pa; 0, or -1. Interrupts off. */
int lapic_init(uint64_t pa, const struct madt_info *m);
uint8_t lapic_id(void);
uint32_t lapic_version(void);
void lapic_eoi(void);
bool lapic_in_service(int vector);	/* the ISR bit: vector is being delivered */
uint32_t lapic_error(void);	/* the error status register's bits */
/* The timer counting down from 0xFFFFFFFF (masked, one-shot) / what is left. */
void lapic_timer_free_run(void);
uint32_t lapic_timer_count(void);
/* Interrupts on vector every count timer ticks (divide APIC_TIMER_DIVIDE); 0 stops it. */
void lapic_timer_periodic(uint32_t count);

/* Maps and masks every I/O APIC the MADT lists; the number of pins, or -1. */
int ioapic_init(const struct madt_info *m, bool debug);
/* The 16 ISA lines on the I/O APIC, as the MADT's overrides say. */
extern const struct irq_chip ioapic_chip;
/* Prints where ISA irq goes ("IRQ 0 -> GSI 2 edge high"). */
void ioapic_describe(int irq);

/* A free-running counter of known frequency: the HPET's, or the ACPI PM timer. */
struct refclock {
	const char *name;	/* "HPET", "PM timer" */
	uint64_t hz;
	uint32_t mask;		/* the counter's width: it wraps at mask + 1 */
	uint32_t (*read)(void);
};

/* The best reference on this machine: the HPET unless nohpet, else the PM timer; -1 if none. */
int refclock_init(struct refclock *rc, bool use_hpet, bool debug);

#endif
