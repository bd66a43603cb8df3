/*
 * Reference clocks to measure the local APIC timer and the TSC against,
 * better than the PIT: the HPET (ACPI table "HPET"; 10 MHz and up, a
 * 32- or 64-bit counter in memory) or the ACPI PM timer (the FADT's
 * PM_TMR_BLK port; 3.579545 MHz, 24 or 32 bits). Both count on their
 * own from power-on, so reading one twice measures time exactly.
 */
#include <kstring.h>
#include <acpi.h>
#include <kprintf.h>
#include <mmio.h>
#include <arch/apic.h>
#include <arch/io.h>

/* The HPET table: a generic address (GAS) at 40: space id, widths, then the address. */
#define HPET_TABLE_GAS	40
#define HPET_TABLE_ADDR	44
#define HPET_TABLE_LEN	56
#define GAS_MEMORY	0
#define GAS_IO		1

#define HPET_CAP	0x000	/* bits 63:32: the counter's period in femtoseconds */
#define HPET_CONFIG	0x010	/* bit 0: the counter runs */
#define HPET_COUNTER	0x0F0
#define HPET_ENABLE	0x1
#define HPET_MAX_PERIOD	100000000u	/* 100 ns: the specification's slowest */
#define FS_PER_SEC	1000000000000000ULL

/* The FADT's fields (ACPI 6.5, 5.2.9). */
#define FADT_PM_TMR_BLK	76
#define FADT_PM_TMR_LEN	91
#define FADT_FLAGS	112
#define FADT_X_PM_TMR	208	/* a GAS: space id, widths, then the 64-bit address at +4 */
#define FADT_TMR_VAL_EXT (1u << 8)	/* a 32-bit PM timer, not 24 */
#define PM_TIMER_HZ	3579545

#define ADVANCE_SPINS	100000	/* reads to see a reference count at all */

static volatile uint32_t *hpet;
static uint16_t pm_port;

static uint32_t
hpet_read(void)
{
	return hpet[HPET_COUNTER / 4];	/* the low half is enough to time milliseconds */
}

static uint32_t
pm_read(void)
{
	return inl(pm_port);
}

/* Whether rc's counter moves: a stopped or absent one reads the same forever. */
static bool
advances(const struct refclock *rc)
{
	uint32_t first = rc->read();

	for (int i = 0; i < ADVANCE_SPINS; i++)
		if (rc->read() != first)
			return true;
	return false;
}

static int
hpet_init(struct refclock *rc, bool debug)
{
	uint32_t len;
	const uint8_t *t = acpi_table("HPET", &len);
	uint64_t pa;

	if (!t || len < HPET_TABLE_LEN || t[HPET_TABLE_GAS] != GAS_MEMORY)
		return -1;
	memcpy(&pa, t + HPET_TABLE_ADDR, 8);
	hpet = pa ? mmio_map(pa, 0x100) : NULL;
	if (!hpet)
		return -1;
	uint32_t period = hpet[HPET_CAP / 4 + 1];
	if (period == 0 || period > HPET_MAX_PERIOD) {
		kprintf("apic: HPET at 0x%lx: period %u fs is out of range; not used\n", pa, period);
		return -1;
	}
	if (!(hpet[HPET_CONFIG / 4] & HPET_ENABLE))
		hpet[HPET_CONFIG / 4] |= HPET_ENABLE;	/* the count only; no timer interrupts */
	*rc = (struct refclock){ "HPET", FS_PER_SEC / period, 0xFFFFFFFF, hpet_read };
	if (!advances(rc)) {
		kprintf("apic: HPET at 0x%lx does not count; not used\n", pa);
		return -1;
	}
	if (debug)
		kprintf("apic: HPET at 0x%lx: %lu Hz\n", pa, rc->hz);
	return 0;
}

static int
pm_timer_init(struct refclock *rc, bool debug)
{
	uint32_t len, port = 0, flags = 0;
	const uint8_t *f = acpi_table("FACP", &len);

	if (!f || len < FADT_FLAGS + 4)
		return -1;
	memcpy(&port, f + FADT_PM_TMR_BLK, 4);
	memcpy(&flags, f + FADT_FLAGS, 4);
	if (!port && len >= FADT_X_PM_TMR + 12 && f[FADT_X_PM_TMR] == GAS_IO) {
		uint64_t x;

		memcpy(&x, f + FADT_X_PM_TMR + 4, 8);
		port = x <= 0xFFFF ? (uint32_t)x : 0;
	}
	if (!port || port > 0xFFFF || (f[FADT_PM_TMR_LEN] && f[FADT_PM_TMR_LEN] < 4))
		return -1;
	pm_port = (uint16_t)port;
	bool wide = flags & FADT_TMR_VAL_EXT;
	*rc = (struct refclock){ "PM timer", PM_TIMER_HZ, wide ? 0xFFFFFFFF : 0xFFFFFF, pm_read };
	if (!advances(rc)) {
		kprintf("apic: ACPI PM timer at port 0x%x does not count; not used\n", port);
		return -1;
	}
	if (debug)
		kprintf("apic: ACPI PM timer at port 0x%x, %d bits\n", port, wide ? 32 : 24);
	return 0;
}

int
refclock_init(struct refclock *rc, bool use_hpet, bool debug)
{
	if (use_hpet && hpet_init(rc, debug) == 0)
		return 0;
	if (debug)
		kprintf("apic: %s; trying the ACPI PM timer\n", use_hpet ? "no usable HPET" : "nohpet");
	return pm_timer_init(rc, debug);
}
