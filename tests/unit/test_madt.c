/*
 * The MADT parser on hand-made tables: QEMU's, then overrides of every
 * kind, then broken ones (checksum, lengths, entries past the end), which
 * must be refused, never followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <madt.h>

static uint8_t table[512];
static size_t len;

static void
begin(uint32_t lapic, uint32_t flags)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "APIC", 4);
	memcpy(table + 36, &lapic, 4);
	memcpy(table + 40, &flags, 4);
	len = 44;
}

static uint8_t *
entry(uint8_t type, uint8_t elen)
{
	uint8_t *e = table + len;

	e[0] = type;
	e[1] = elen;
	len += elen;
	return e;
}

static void
lapic(uint8_t id)
{
	uint8_t *e = entry(0, 8);
	uint32_t enabled = 1;

	e[3] = id;
	memcpy(e + 4, &enabled, 4);
}

static void
ioapic(uint8_t id, uint32_t addr, uint32_t gsi)
{
	uint8_t *e = entry(1, 12);

	e[2] = id;
	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &gsi, 4);
}

static void
override(uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = entry(2, 10);

	e[2] = bus;
	e[3] = irq;
	memcpy(e + 4, &gsi, 4);
	memcpy(e + 8, &flags, 2);
}

/* Sets the length and the checksum: the table is complete. */
static void
end(void)
{
	uint32_t l = (uint32_t)len;
	uint8_t sum = 0;

	memcpy(table + 4, &l, 4);
	table[9] = 0;
	for (size_t i = 0; i < len; i++)
		sum += table[i];
	table[9] = (uint8_t)-sum;
}

/* What QEMU's pc machine builds: IRQ 0 on GSI 2, the PCI IRQs level triggered. */
static void
qemu_madt(void)
{
	begin(0xFEE00000, 1);
	lapic(0);
	ioapic(0, 0xFEC00000, 0);
	override(0, 0, 2, 0);
	override(0, 9, 9, 0xD);
	uint8_t *nmi = entry(4, 6);
	nmi[2] = 0xFF;
	nmi[5] = 1;
	end();
}

static void
test_qemu(void **state)
{
	struct madt_info m;

	qemu_madt();
	assert_int_equal(madt_parse(table, len, &m), 0);
	assert_int_equal(m.lapic_addr, 0xFEE00000);
	assert_true(m.pcat_compat);
	assert_int_equal(m.ncpus, 1);
	assert_int_equal(m.nioapics, 1);
	assert_int_equal(m.ioapic[0].addr, 0xFEC00000);
	assert_int_equal(m.ioapic[0].gsi_base, 0);
	assert_int_equal(m.isa[0].gsi, 2);
	assert_true(m.isa[0].overridden);
	assert_false(m.isa[0].level);
	assert_false(m.isa[0].active_low);
	assert_int_equal(m.isa[1].gsi, 1);
	assert_false(m.isa[1].overridden);
	assert_true(m.isa[9].level);
	assert_false(m.isa[9].active_low);
	assert_int_equal(m.nmi_lint, 1);
}

static void
test_overrides(void **state)
{
	struct madt_info m;

	begin(0xFEE00000, 0);
	lapic(0);
	lapic(1);
	ioapic(0, 0xFEC00000, 0);
	ioapic(1, 0xFEC01000, 24);
	override(0, 11, 20, 0xF);	/* level, active low */
	override(1, 4, 30, 0);		/* not ISA: skipped */
	override(0, 200, 5, 0);		/* no such ISA IRQ: skipped */
	uint8_t *addr = entry(5, 12);
	uint64_t a = 0xFEE0000000ULL;
	memcpy(addr + 4, &a, 8);
	entry(0x7F, 4);			/* a type of the future: skipped */
	end();
	assert_int_equal(madt_parse(table, len, &m), 0);
	assert_false(m.pcat_compat);
	assert_int_equal(m.ncpus, 2);
	assert_int_equal(m.nioapics, 2);
	assert_int_equal(m.ioapic[1].gsi_base, 24);
	assert_int_equal(m.lapic_addr, 0xFEE0000000ULL);
	assert_int_equal(m.isa[11].gsi, 20);
	assert_true(m.isa[11].level);
	assert_true(m.isa[11].active_low);
	assert_int_equal(m.isa[4].gsi, 4);
	assert_false(m.isa[4].overridden);
	assert_int_equal(m.skipped, 3);
	assert_int_equal(m.nmi_lint, 0xFF);
}

static void
test_too_many_ioapics(void **state)
{
	struct madt_info m;

	begin(0xFEE00000, 0);
	for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++)
		ioapic((uint8_t)i, 0xFEC00000 + i * 0x1000, i * 24);
	end();
	assert_int_equal(madt_parse(table, len, &m), 0);
	assert_int_equal(m.nioapics, MADT_MAX_IOAPICS);
	assert_int_equal(m.skipped, 2);
}

static void
test_broken(void **state)
{
	struct madt_info m;

	qemu_madt();
	table[50] ^= 1;				/* checksum */
	assert_int_equal(madt_parse(table, len, &m), -1);

	qemu_madt();
	assert_int_equal(madt_parse(table, len - 1, &m), -1);	/* length field */
	assert_int_equal(madt_parse(table, 40, &m), -1);
	assert_int_equal(madt_parse(NULL, 0, &m), -1);
	table[0] = 'X';
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);	/* signature */

	begin(0xFEE00000, 1);
	ioapic(0, 0xFEC00000, 0);
	entry(0, 0);				/* length 0: would loop forever */
	len += 8;
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);

	begin(0xFEE00000, 1);
	ioapic(0, 0xFEC00000, 0);
	entry(1, 6);				/* an I/O APIC entry too short */
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);

	begin(0xFEE00000, 1);
	ioapic(0, 0xFEC00000, 0);
	entry(2, 10);
	len -= 4;				/* the last entry runs past the end */
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);

	begin(0xFEE00000, 1);
	lapic(0);				/* no I/O APIC */
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);

	begin(0, 1);				/* no local APIC address */
	ioapic(0, 0xFEC00000, 0);
	end();
	assert_int_equal(madt_parse(table, len, &m), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_too_many_ioapics),
		cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests_name("madt", tests, NULL, NULL);
}
