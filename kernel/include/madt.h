/*
 * ACPI's MADT ("APIC" table): where the local APIC and the I/O APICs are,
 * and how the ISA IRQs reach the I/O APICs' inputs (global system
 * interrupts, GSIs). madt_parse() only reads the bytes it is given, so
 * the host's unit tests run it on made-up tables.
 */
#ifndef NEXA_MADT_H
#define NEXA_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MADT_MAX_IOAPICS	8
#define MADT_ISA_IRQS		16

/* Interrupt flags (MPS INTI): polarity bits 1:0, trigger mode bits 3:2. */
#define MADT_POLARITY_MASK	0x3
#define MADT_POLARITY_HIGH	0x1
#define MADT_POLARITY_LOW	0x3
#define MADT_TRIGGER_MASK	0xC
#define MADT_TRIGGER_EDGE	0x4
#define MADT_TRIGGER_LEVEL	0xC

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;		/* physical address of its two registers */
	uint32_t gsi_base;	/* the GSI of its input 0 */
};

/* How ISA IRQ n arrives: on gsi, active low or level triggered if told so. */
struct madt_isa {
	uint32_t gsi;
	bool active_low, level;
	bool overridden;	/* an interrupt source override said so */
};

struct madt_info {
	uint64_t lapic_addr;	/* after the 64-bit override, if any */
	bool pcat_compat;	/* an 8259 pair is present (to be masked) */
	unsigned ncpus;		/* enabled local APICs */
	uint8_t bsp_apic_id;	/* the first one listed: the boot CPU by convention */
	unsigned nioapics;
	struct madt_ioapic ioapic[MADT_MAX_IOAPICS];
	struct madt_isa isa[MADT_ISA_IRQS];
	/* The local APIC input wired to NMI (LINT0/1; 0xFF: none listed), its flags. */
	uint8_t nmi_lint;
	uint16_t nmi_flags;
	unsigned skipped;	/* entries ignored: unknown or not for us */
};

/*
 * Parses the MADT of len bytes at table: its signature, length and
 * checksum, then each entry's length. 0, or -1 if the table is not a
 * usable MADT (bad header or checksum, an entry running past the end,
 * no I/O APIC).
 */
int madt_parse(const void *table, size_t len, struct madt_info *out);

#endif
