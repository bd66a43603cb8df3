/*
 * The MADT parser. The table (ACPI 6.5, 5.2.12):
 *
 *   0   header, 36 bytes ("APIC", length, checksum, ...)
 *   36  u32 local APIC address      40  u32 flags (bit 0: 8259s present)
 *   44  entries: u8 type, u8 length, type-specific fields ...
 *
 * Firmware tables are input like any other: the checksum, the length and
 * every entry's length are checked before a field is read, and fields
 * are copied byte by byte (entries are not aligned).
 */
#include <kstring.h>
#include <madt.h>

#define MADT_HEADER	44
#define T_LAPIC		0	/* u8 uid, u8 apic id, u32 flags */
#define T_IOAPIC	1	/* u8 id, u8 0, u32 address, u32 gsi base */
#define T_OVERRIDE	2	/* u8 bus, u8 source irq, u32 gsi, u16 flags */
#define T_NMI_SOURCE	3	/* u16 flags, u32 gsi */
#define T_LAPIC_NMI	4	/* u8 uid (0xFF: all), u16 flags, u8 lint */
#define T_LAPIC_ADDR	5	/* u16 0, u64 address */
#define LAPIC_ENABLED	0x1
#define LAPIC_ONLINE_CAPABLE 0x2

/* Each type's smallest valid length: shorter entries are corrupt. */
static const uint8_t min_len[] = {
	[T_LAPIC] = 8, [T_IOAPIC] = 12, [T_OVERRIDE] = 10,
	[T_NMI_SOURCE] = 8, [T_LAPIC_NMI] = 6, [T_LAPIC_ADDR] = 12,
};

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t
get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void
parse_override(const uint8_t *e, struct madt_info *m)
{
	uint8_t irq = e[3];
	uint16_t flags = get16(e + 8);

	if (e[2] != 0 || irq >= MADT_ISA_IRQS) {	/* bus 0 is ISA, the only one */
		m->skipped++;
		return;
	}
	struct madt_isa *isa = &m->isa[irq];
	isa->gsi = get32(e + 4);
	/* "Conforms to the bus": ISA is edge triggered, active high. */
	isa->active_low = (flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW;
	isa->level = (flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL;
	isa->overridden = true;
}

static void
parse_entry(const uint8_t *e, struct madt_info *m)
{
	switch (e[0]) {
	case T_LAPIC:
		if (get32(e + 4) & LAPIC_ENABLED) {
			if (m->ncpus++ == 0)
				m->bsp_apic_id = e[3];
		}
		break;
	case T_IOAPIC:
		if (m->nioapics == MADT_MAX_IOAPICS) {
			m->skipped++;
			break;
		}
		m->ioapic[m->nioapics++] = (struct madt_ioapic){
			.id = e[2], .addr = get32(e + 4), .gsi_base = get32(e + 8),
		};
		break;
	case T_OVERRIDE:
		parse_override(e, m);
		break;
	case T_LAPIC_NMI:
		/* One CPU here: entries for all (0xFF) or for the first count. */
		m->nmi_lint = e[5];
		m->nmi_flags = get16(e + 3);
		break;
	case T_LAPIC_ADDR: {
		uint64_t a;

		memcpy(&a, e + 4, 8);
		if (a)
			m->lapic_addr = a;
		break;
	}
	default:	/* NMI sources, x2APIC entries, ...: not used */
		m->skipped++;
	}
}

int
madt_parse(const void *table, size_t len, struct madt_info *out)
{
	const uint8_t *t = table;
	uint8_t sum = 0;

	if (!t || len < MADT_HEADER || memcmp(t, "APIC", 4) || get32(t + 4) != len)
		return -1;
	for (size_t i = 0; i < len; i++)
		sum += t[i];
	if (sum)
		return -1;

	struct madt_info m = { .lapic_addr = get32(t + 36), .pcat_compat = get32(t + 40) & 1,
			       .nmi_lint = 0xFF };
	for (unsigned irq = 0; irq < MADT_ISA_IRQS; irq++)
		m.isa[irq].gsi = irq;		/* identity unless overridden */
	for (size_t off = MADT_HEADER; off < len;) {
		const uint8_t *e = t + off;

		if (len - off < 2 || e[1] < 2 || e[1] > len - off)
			return -1;
		if (e[0] < sizeof(min_len) && e[1] < min_len[e[0]])
			return -1;
		parse_entry(e, &m);
		off += e[1];
	}
	if (!m.nioapics || !m.lapic_addr)
		return -1;
	*out = m;
	return 0;
}
