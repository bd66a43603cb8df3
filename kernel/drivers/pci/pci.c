/*
 * PCI configuration space through the legacy ports (mechanism #1), which
 * every PC chipset still has: write the function's address to 0xCF8,
 * then read or write the dword at 0xCFC. Buses are found the way the
 * firmware numbered them: from bus 0 through each PCI-to-PCI bridge's
 * secondary bus.
 */
#include <stdbool.h>
#include <kprintf.h>
#include <pci.h>
#include <arch/io.h>

#define PCI_ADDR	0xCF8
#define PCI_DATA	0xCFC
#define PCI_ENABLE	0x80000000u

#define PCI_VENDOR	0x00
#define PCI_CLASS_REV	0x08
#define PCI_HEADER	0x0E
#define PCI_HEADER_MULTI 0x80
#define PCI_SECONDARY	0x19	/* a bridge's (header type 1) secondary bus */
#define PCI_CLASS_BRIDGE 0x06
#define PCI_SUB_PCI_PCI	0x04
#define PCI_BAR_IO	0x1
#define PCI_BAR_64	0x4	/* type field (bits 2:1) = 2 */

static struct pci_dev devs[PCI_MAX_DEVICES];
static unsigned ndevs;
static bool scanned, bus_seen[256];

static uint32_t
cfg_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	return PCI_ENABLE | (uint32_t)bus << 16 | (uint32_t)dev << 11 |
	       (uint32_t)fn << 8 | (off & 0xFC);
}

static uint32_t
cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	outl(PCI_ADDR, cfg_addr(bus, dev, fn, off));
	return inl(PCI_DATA);
}

uint32_t
pci_read32(const struct pci_dev *d, uint8_t off)
{
	return cfg_read(d->bus, d->dev, d->fn, off);
}

uint16_t
pci_read16(const struct pci_dev *d, uint8_t off)
{
	return pci_read32(d, off) >> ((off & 2) * 8);
}

void
pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	outl(PCI_ADDR, cfg_addr(d->bus, d->dev, d->fn, off));
	outl(PCI_DATA, v);
}

void
pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	uint32_t old = pci_read32(d, off & 0xFC);
	int shift = (off & 2) * 8;

	pci_write32(d, off & 0xFC, (old & ~(0xFFFFu << shift)) | (uint32_t)v << shift);
}

static void scan_bus(uint8_t bus);

static void
scan_fn(uint8_t bus, uint8_t dev, uint8_t fn)
{
	uint32_t id = cfg_read(bus, dev, fn, PCI_VENDOR);
	uint32_t cls = cfg_read(bus, dev, fn, PCI_CLASS_REV);
	struct pci_dev d = {
		.bus = bus, .dev = dev, .fn = fn,
		.vendor = id & 0xFFFF, .device = id >> 16,
		.class = cls >> 24, .subclass = cls >> 16, .progif = cls >> 8,
	};

	if (ndevs < PCI_MAX_DEVICES)
		devs[ndevs++] = d;
	if (d.class == PCI_CLASS_BRIDGE && d.subclass == PCI_SUB_PCI_PCI) {
		uint8_t sec = cfg_read(bus, dev, fn, PCI_SECONDARY & 0xFC) >> 8;

		if (sec != 0)
			scan_bus(sec);
	}
}

static void
scan_bus(uint8_t bus)
{
	if (bus_seen[bus])
		return;		/* a bad bridge numbering must not loop */
	bus_seen[bus] = true;
	for (uint8_t dev = 0; dev < 32; dev++) {
		if ((cfg_read(bus, dev, 0, PCI_VENDOR) & 0xFFFF) == 0xFFFF)
			continue;
		uint8_t hdr = cfg_read(bus, dev, 0, PCI_HEADER & 0xFC) >> 16;
		int nfn = hdr & PCI_HEADER_MULTI ? 8 : 1;

		for (uint8_t fn = 0; fn < nfn; fn++)
			if ((cfg_read(bus, dev, fn, PCI_VENDOR) & 0xFFFF) != 0xFFFF)
				scan_fn(bus, dev, fn);
	}
}

static void
pci_scan(void)
{
	if (scanned)
		return;
	scanned = true;
	outl(PCI_ADDR, PCI_ENABLE);
	if (inl(PCI_ADDR) != PCI_ENABLE)
		return;		/* no mechanism #1: no PCI as we know it */
	/* A multi-function host bridge: function n is the root of bus n. */
	uint8_t hdr = cfg_read(0, 0, 0, PCI_HEADER & 0xFC) >> 16;
	int roots = hdr & PCI_HEADER_MULTI ? 8 : 1;

	for (int fn = 0; fn < roots; fn++)
		if (fn == 0 || (cfg_read(0, 0, fn, PCI_VENDOR) & 0xFFFF) != 0xFFFF)
			scan_bus(fn);
	if (ndevs == PCI_MAX_DEVICES)
		kprintf("pci: more than %d functions; the rest are ignored\n",
			PCI_MAX_DEVICES);
}

const struct pci_dev *
pci_find_class(uint8_t class, uint8_t subclass, uint8_t progif, unsigned n)
{
	pci_scan();
	for (unsigned i = 0; i < ndevs; i++) {
		const struct pci_dev *d = &devs[i];

		if (d->class == class && d->subclass == subclass &&
		    d->progif == progif && n-- == 0)
			return d;
	}
	return NULL;
}

int
pci_bar_mem(const struct pci_dev *d, uint8_t bar, uint64_t *pa, uint64_t *size)
{
	uint32_t lo = pci_read32(d, bar), hi = 0, mask_lo, mask_hi = 0xFFFFFFFF;
	bool is64 = (lo & 0x6) == PCI_BAR_64;
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	if (lo & PCI_BAR_IO || bar > 0x24 || (is64 && bar > 0x20))
		return -1;
	/* Size it with the decoder off: all ones back, the size's bits read 0. */
	pci_write16(d, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	pci_write32(d, bar, 0xFFFFFFFF);
	mask_lo = pci_read32(d, bar);
	pci_write32(d, bar, lo);
	if (is64) {
		hi = pci_read32(d, bar + 4);
		pci_write32(d, bar + 4, 0xFFFFFFFF);
		mask_hi = pci_read32(d, bar + 4);
		pci_write32(d, bar + 4, hi);
	}
	pci_write16(d, PCI_COMMAND, cmd);
	uint64_t mask = ((uint64_t)mask_hi << 32 | (mask_lo & ~0xFu));

	if (!is64)
		mask |= 0xFFFFFFFF00000000ull;
	*pa = ((uint64_t)hi << 32 | lo) & ~0xFull;
	*size = ~mask + 1;
	if (*pa == 0 || (mask_lo & ~0xFu) == 0)
		return -1;
	return 0;
}
