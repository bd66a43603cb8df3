/*
 * The xHCI host controller (eXtensible Host Controller Interface 1.x) as
 * the USB code sees it: rings of 16-byte TRBs shared with the controller
 * in memory, device contexts, and the few registers we touch.
 *
 *   driver --TRBs--> command ring --doorbell 0--> controller
 *   driver --TRBs--> a device's transfer ring --doorbell slot--> controller
 *   driver <--TRBs-- event ring <-- controller (completions, port changes)
 *
 * A ring's owner is told by the cycle bit of each TRB: the producer
 * writes TRBs with its cycle state, the consumer takes those that match
 * its own. The last TRB of a transfer or command ring is a Link back to
 * the start that toggles the cycle state.
 */
#ifndef NEXA_XHCI_H
#define NEXA_XHCI_H

#include <stdbool.h>
#include <stdint.h>
#include <pci.h>

#define XHCI_MAX_HC	4	/* controllers driven */
#define XHCI_MAX_SLOTS	32	/* device slots enabled per controller */
#define XHCI_MAX_PORTS	64	/* root hub ports handled per controller */
#define RING_TRBS	256	/* TRBs in a ring: one 4 KiB page, the last a Link */

struct trb {
	uint64_t param;
	uint32_t status;
	uint32_t control;
};

/* control field of a TRB */
#define TRB_CYCLE	(1u << 0)
#define TRB_TC		(1u << 1)	/* Link: toggle the cycle state */
#define TRB_ISP		(1u << 2)	/* interrupt on short packet */
#define TRB_IOC		(1u << 5)	/* interrupt (an event) on completion */
#define TRB_IDT		(1u << 6)	/* the data is in param (Setup) */
#define TRB_DIR_IN	(1u << 16)	/* Data and Status stages */
#define TRB_TYPE(t)	((uint32_t)(t) << 10)
#define TRB_TYPE_OF(c)	(((c) >> 10) & 0x3F)
#define TRB_SLOT(s)	((uint32_t)(s) << 24)
#define TRB_SLOT_OF(c)	((c) >> 24)
#define TRB_EP_OF(c)	(((c) >> 16) & 0x1F)
#define TRB_CC_OF(s)	((s) >> 24)
#define TRB_LEN_OF(s)	((s) & 0xFFFFFF)	/* the bytes NOT transferred */

enum {
	TRB_NORMAL = 1, TRB_SETUP = 2, TRB_DATA = 3, TRB_STATUS = 4,
	TRB_LINK = 6, TRB_ENABLE_SLOT = 9, TRB_DISABLE_SLOT = 10,
	TRB_ADDRESS_DEVICE = 11, TRB_CONFIGURE_EP = 12, TRB_EVALUATE_CTX = 13,
	TRB_EV_TRANSFER = 32, TRB_EV_COMMAND = 33, TRB_EV_PORT = 34,
};

/* completion codes */
#define CC_SUCCESS	1
#define CC_SHORT_PACKET	13
#define CC_TIMEOUT	0x100	/* ours: no event came */

struct ring {
	struct trb *trbs;
	uint64_t pa;
	unsigned enq;
	uint32_t cycle;
};

struct xhci;

/* A device on a root hub port with a slot; usb.c fills it in. */
struct usb_dev {
	struct xhci *hc;
	uint8_t slot, port, speed;
	uint64_t out_ctx, in_ctx;	/* device and input contexts (pages) */
	struct ring ep0;
	uint8_t *buf;			/* one page for descriptors and reports */
	uint64_t buf_pa;
	/* the last control transfer's completion, from the event ring */
	volatile bool xfer_done;
	uint32_t xfer_cc, xfer_left;
	/* the HID keyboard's interrupt IN endpoint (usbkbd.c) */
	struct ring intr;
	uint8_t intr_dci;
	uint16_t intr_len;
	bool is_kbd;
	uint8_t report[8];		/* the last report: keys held */
	uint8_t repeat_usage;		/* the held key that repeats, 0: none */
	uint64_t repeat_at;		/* the tick of its next repeat */
	char product[40];
};

struct xhci {
	const struct pci_dev *pci;
	char name[16];			/* 0000:00:04.0 */
	volatile uint8_t *cap, *op, *rt, *db;
	unsigned nslots, nports, ctx_size;
	bool ac64;			/* may DMA above 4 GiB */
	uint64_t *dcbaa;
	uint64_t dcbaa_pa;
	struct ring cmd;
	struct trb *events;
	uint64_t events_pa;
	unsigned ev_deq;
	uint32_t ev_cycle;
	volatile bool cmd_done;
	uint32_t cmd_cc;
	uint8_t cmd_slot;
	bool busy;			/* bring-up or enumeration in progress */
	uint64_t port_changed;		/* bit p-1: port p reported a change */
	uint64_t connect_pending;	/* bit p-1: a device on port p waits to settle */
	uint64_t connect_due[XHCI_MAX_PORTS + 1];	/* the tick it is connected at */
	struct usb_dev *slots[XHCI_MAX_SLOTS + 1];
	struct usb_dev *ports[XHCI_MAX_PORTS + 1];
};

extern bool usb_debug;		/* debug=usb: print every bring-up step */
#define usb_dbg(...)	do { if (usb_debug) kprintf(__VA_ARGS__); } while (0)

/* xhci.c */
uint64_t xhci_dma_page(struct xhci *hc);	/* a zeroed page the controller can reach; 0 if none */
int ring_init(struct xhci *hc, struct ring *r);
void ring_push(struct ring *r, uint64_t param, uint32_t status, uint32_t control);
/* Queues a command and waits (bounded) for its completion; its completion code. */
uint32_t xhci_command(struct xhci *hc, uint64_t param, uint32_t control);
void xhci_ring_doorbell(struct xhci *hc, unsigned slot, unsigned target);
/* The context at index i (0: input control or slot) of the page at pa. */
uint32_t *xhci_ctx(struct xhci *hc, uint64_t pa, unsigned i);
/*
 * A control transfer on dev's endpoint 0: setup packet fields, then len
 * bytes to or from dev->buf. The completion code; *got the bytes moved.
 */
uint32_t xhci_control(struct usb_dev *dev, uint8_t type, uint8_t req, uint16_t value,
		      uint16_t index, uint16_t len, unsigned *got);
uint32_t xhci_portsc(struct xhci *hc, unsigned port);
int xhci_port_reset(struct xhci *hc, unsigned port);	/* its speed once enabled, or -1 */
const char *usb_speed_name(unsigned speed);

/* usb.c: a device appeared on / left port */
void usb_port_connect(struct xhci *hc, unsigned port);
void usb_port_disconnect(struct xhci *hc, unsigned port);

/* usbkbd.c */
void usbkbd_tick(struct usb_dev *dev);	/* at every tick: a held key's repeat */
/* Drives dev if cfg (its configuration descriptor, in dev->buf) has a boot keyboard. */
int usbkbd_probe(struct usb_dev *dev, const uint8_t *cfg, unsigned len);
void usbkbd_report(struct usb_dev *dev, uint32_t cc, unsigned got);
void usbkbd_gone(struct usb_dev *dev);

#endif
