/*
 * A device on a root hub port: a slot from the controller, its address,
 * its descriptors, then a driver (only HID boot keyboards: usbkbd.c).
 * A device no driver wants gives its slot back.
 */
#include <kstring.h>
#include <compiler.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <pmm.h>
#include "xhci.h"

#define REQ_GET_DESCRIPTOR 6
#define DESC_DEVICE	1
#define DESC_CONFIG	2
#define DESC_STRING	3
#define LANG_US		0x0409
#define CFG_MAX		1024	/* bytes of configuration descriptor read */

/* The context index of endpoint 0 in an input context (after the control context). */
#define IN_SLOT		1
#define IN_EP0		2

static void
free_dev(struct usb_dev *dev)
{
	struct xhci *hc = dev->hc;

	if (dev->slot) {
		xhci_command(hc, 0, TRB_TYPE(TRB_DISABLE_SLOT) | TRB_SLOT(dev->slot));
		hc->dcbaa[dev->slot] = 0;
		hc->slots[dev->slot] = NULL;
	}
	if (hc->ports[dev->port] == dev)
		hc->ports[dev->port] = NULL;
	uint64_t pages[] = { dev->out_ctx, dev->in_ctx, dev->ep0.pa, dev->intr.pa, dev->buf_pa };

	for (unsigned i = 0; i < ARRAY_SIZE(pages); i++)
		if (pages[i])
			pmm_free_frame(pages[i]);
	kfree(dev);
}

static uint32_t
get_descriptor(struct usb_dev *dev, uint8_t type, uint8_t index, uint16_t lang,
	       uint16_t len, unsigned *got)
{
	return xhci_control(dev, 0x80, REQ_GET_DESCRIPTOR, (uint16_t)type << 8 | index,
			    lang, len, got);
}

/* The product string in ASCII (UTF-16LE, the rest as '?'); "" if none. */
static void
read_product(struct usb_dev *dev, uint8_t index)
{
	unsigned got;
	uint16_t lang = LANG_US;

	dev->product[0] = '\0';
	if (!index)
		return;
	if (get_descriptor(dev, DESC_STRING, 0, 0, 255, &got) == CC_SUCCESS && got >= 4)
		lang = dev->buf[2] | dev->buf[3] << 8;	/* the first language it has */
	if (get_descriptor(dev, DESC_STRING, index, lang, 255, &got) != CC_SUCCESS || got < 2)
		return;
	unsigned n = 0, len = dev->buf[0] < got ? dev->buf[0] : got;

	for (unsigned i = 2; i + 1 < len && n + 1 < sizeof(dev->product); i += 2) {
		uint16_t c = dev->buf[i] | dev->buf[i + 1] << 8;

		dev->product[n++] = c >= 0x20 && c < 0x7F ? c : '?';
	}
	dev->product[n] = '\0';
}

/* Address Device: the controller picks an address and sends SET_ADDRESS. */
static int
address_device(struct usb_dev *dev, unsigned mps0)
{
	struct xhci *hc = dev->hc;
	uint32_t *ctl = xhci_ctx(hc, dev->in_ctx, 0);
	uint32_t *slot = xhci_ctx(hc, dev->in_ctx, IN_SLOT);
	uint32_t *ep0 = xhci_ctx(hc, dev->in_ctx, IN_EP0);

	ctl[1] = 1u << 0 | 1u << 1;		/* add the slot and endpoint 0 */
	slot[0] = (uint32_t)dev->speed << 20 | 1u << 27;	/* one context entry */
	slot[1] = (uint32_t)dev->port << 16;	/* root hub port */
	ep0[1] = 3u << 1 | 4u << 3 | mps0 << 16;	/* 3 retries, control, max packet */
	ep0[2] = (uint32_t)dev->ep0.pa | dev->ep0.cycle;
	ep0[3] = dev->ep0.pa >> 32;
	ep0[4] = 8;				/* average TRB length */
	uint32_t cc = xhci_command(hc, dev->in_ctx,
				   TRB_TYPE(TRB_ADDRESS_DEVICE) | TRB_SLOT(dev->slot));

	if (cc != CC_SUCCESS) {
		kprintf("usb: port %u: Address Device failed (completion %u)\n", dev->port, cc);
		return -1;
	}
	usb_dbg("usb: port %u: slot %u, address %u\n", dev->port, dev->slot,
		xhci_ctx(hc, dev->out_ctx, 0)[3] & 0xFF);
	return 0;
}

/* A full-speed device's endpoint 0 may take 8 to 64 bytes a packet: tell the controller. */
static int
set_mps0(struct usb_dev *dev, unsigned mps0)
{
	uint32_t *ctl = xhci_ctx(dev->hc, dev->in_ctx, 0);
	uint32_t *ep0 = xhci_ctx(dev->hc, dev->in_ctx, IN_EP0);

	ctl[0] = 0;
	ctl[1] = 1u << 1;
	ep0[1] = (ep0[1] & 0xFFFF) | mps0 << 16;
	return xhci_command(dev->hc, dev->in_ctx, TRB_TYPE(TRB_EVALUATE_CTX) |
			    TRB_SLOT(dev->slot)) == CC_SUCCESS ? 0 : -1;
}

static int
enumerate(struct usb_dev *dev)
{
	static const unsigned default_mps0[] = { 8, 8, 8, 64, 512, 512 };
	unsigned got, mps0 = dev->speed < ARRAY_SIZE(default_mps0) ?
			     default_mps0[dev->speed] : 512;
	const uint8_t *b = dev->buf;

	if (address_device(dev, mps0) < 0)
		return -1;
	if (get_descriptor(dev, DESC_DEVICE, 0, 0, 8, &got) != CC_SUCCESS || got < 8) {
		kprintf("usb: port %u: no device descriptor\n", dev->port);
		return -1;
	}
	unsigned want = dev->speed >= 4 ? 1u << (b[7] & 0xF) : b[7];

	if (want != mps0 && want >= 8 && want <= 512) {
		usb_dbg("usb: port %u: endpoint 0 takes %u-byte packets\n", dev->port, want);
		if (set_mps0(dev, want) < 0)
			return -1;
	}
	if (get_descriptor(dev, DESC_DEVICE, 0, 0, 18, &got) != CC_SUCCESS || got < 18)
		return -1;
	uint16_t vendor = b[8] | b[9] << 8, product = b[10] | b[11] << 8;
	uint8_t iproduct = b[15], class = b[4];

	usb_dbg("usb: port %u: device %04x:%04x, USB %x.%02x, class %u, %u configuration(s)\n",
		dev->port, vendor, product, b[3], b[2], class, b[17]);
	read_product(dev, iproduct);
	if (get_descriptor(dev, DESC_CONFIG, 0, 0, 9, &got) != CC_SUCCESS || got < 9)
		return -1;
	unsigned total = b[2] | b[3] << 8;

	if (total > CFG_MAX)
		total = CFG_MAX;
	if (get_descriptor(dev, DESC_CONFIG, 0, 0, total, &got) != CC_SUCCESS || got < 9)
		return -1;
	usb_dbg("usb: port %u: \"%s\", configuration %u, %u bytes, %u interface(s)\n",
		dev->port, dev->product, b[5], got, b[4]);
	if (usbkbd_probe(dev, b, got) < 0) {
		usb_dbg("usb: port %u: %04x:%04x has no driver here\n", dev->port, vendor,
			product);
		return -1;
	}
	return 0;
}

void
usb_port_connect(struct xhci *hc, unsigned port)
{
	int speed = xhci_port_reset(hc, port);

	if (speed < 0)
		return;
	usb_dbg("usb: port %u: %s-speed device\n", port, usb_speed_name(speed));
	struct usb_dev *dev = kzalloc(sizeof(*dev));

	if (!dev)
		return;
	dev->hc = hc;
	dev->port = port;
	dev->speed = speed;
	uint32_t cc = xhci_command(hc, 0, TRB_TYPE(TRB_ENABLE_SLOT));

	if (cc != CC_SUCCESS || hc->cmd_slot == 0 || hc->cmd_slot > hc->nslots) {
		kprintf("usb: port %u: no slot (completion %u)\n", port, cc);
		if (cc == CC_SUCCESS && hc->cmd_slot)
			xhci_command(hc, 0, TRB_TYPE(TRB_DISABLE_SLOT) | TRB_SLOT(hc->cmd_slot));
		kfree(dev);
		return;
	}
	dev->slot = hc->cmd_slot;
	dev->out_ctx = xhci_dma_page(hc);
	dev->in_ctx = xhci_dma_page(hc);
	dev->buf_pa = xhci_dma_page(hc);
	if (!dev->out_ctx || !dev->in_ctx || !dev->buf_pa || ring_init(hc, &dev->ep0) < 0) {
		kprintf("usb: port %u: out of memory\n", port);
		free_dev(dev);
		return;
	}
	dev->buf = phys_to_virt(dev->buf_pa);
	hc->dcbaa[dev->slot] = dev->out_ctx;
	hc->slots[dev->slot] = dev;
	hc->ports[port] = dev;
	if (enumerate(dev) < 0)
		free_dev(dev);
}

void
usb_port_disconnect(struct xhci *hc, unsigned port)
{
	struct usb_dev *dev = hc->ports[port];

	if (!dev)
		return;
	if (dev->is_kbd) {
		usbkbd_gone(dev);
		kprintf("usb: keyboard on port %u disconnected\n", port);
	}
	free_dev(dev);
}
