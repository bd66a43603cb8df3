/* PCI devices: configuration space through ports 0xCF8/0xCFC. */
#ifndef NEXA_PCI_H
#define NEXA_PCI_H

#include <stdint.h>

#define PCI_MAX_DEVICES	64	/* functions remembered by the bus scan */

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x0002	/* decode its memory BARs */
#define PCI_COMMAND_MASTER	0x0004	/* may do DMA */
#define PCI_COMMAND_INTX_OFF	0x0400
#define PCI_BAR0		0x10

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class, subclass, progif;
};

uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);

/*
 * Scans the buses (once: later calls reuse the scan) and returns the n-th
 * function of class/subclass/progif, or NULL when there are fewer.
 */
const struct pci_dev *pci_find_class(uint8_t class, uint8_t subclass,
				     uint8_t progif, unsigned n);

/*
 * The memory BAR at offset bar (a 64-bit BAR uses two): its physical
 * address and size; -1 if it is unset, an I/O BAR, or out of range.
 */
int pci_bar_mem(const struct pci_dev *d, uint8_t bar, uint64_t *pa, uint64_t *size);

#endif
