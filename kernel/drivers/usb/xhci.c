/*
 * The xHCI host controller: taking it from the firmware, resetting it,
 * the rings and contexts it reads from memory, commands, control
 * transfers, and the event ring, which the timer's poller drains at
 * every tick (no interrupts: reading one TRB's cycle bit costs nothing
 * when nothing happened). Devices on the root hub's ports are handled
 * by usb.c, keyboards by usbkbd.c.
 *
 * Every wait on the controller is bounded; a controller that does not
 * answer is reported and left alone.
 */
#include <kstring.h>
#include <bootinfo.h>
#include <clock.h>
#include <cmdline.h>
#include <compiler.h>
#include <init.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <mmio.h>
#include <pmm.h>
#include <timer.h>
#include <arch/io.h>
#include "xhci.h"

/* capability registers */
#define CAP_LENGTH_VERSION 0x00	/* CAPLENGTH 7:0, HCIVERSION 31:16 */
#define CAP_HCSPARAMS1	0x04
#define CAP_HCSPARAMS2	0x08
#define CAP_HCCPARAMS1	0x10
#define CAP_DBOFF	0x14
#define CAP_RTSOFF	0x18
#define HCC_AC64	(1u << 0)
#define HCC_PPC		(1u << 3)	/* ports have power switches */
#define HCC_CSZ		(1u << 2)	/* 64-byte contexts */

/* operational registers */
#define OP_USBCMD	0x00
#define OP_USBSTS	0x04
#define OP_PAGESIZE	0x08
#define OP_CRCR		0x18
#define OP_DCBAAP	0x30
#define OP_CONFIG	0x38
#define OP_PORTSC(p)	(0x400 + 0x10 * ((p) - 1))
#define CMD_RUN		(1u << 0)
#define CMD_HCRST	(1u << 1)
#define STS_HCH		(1u << 0)	/* halted */
#define STS_HSE		(1u << 2)	/* host system error */
#define STS_CNR		(1u << 11)	/* controller not ready */

/* PORTSC */
#define PORT_CCS	(1u << 0)	/* a device is connected */
#define PORT_PED	(1u << 1)	/* enabled (writing 1 disables it) */
#define PORT_PR		(1u << 4)	/* reset */
#define PORT_PP		(1u << 9)	/* powered */
#define PORT_SPEED(s)	(((s) >> 10) & 0xF)
#define PORT_CSC	(1u << 17)
#define PORT_PRC	(1u << 21)
#define PORT_CHANGES	(0x7Fu << 17)	/* CSC PEC WRC OCC PRC PLC CEC: write 1 to clear */
/* Bits that read back what to write to leave the port as it is (Linux's). */
#define PORT_KEEP	((1u << 0) | (1u << 3) | (0xFu << 10) | (1u << 30) | \
			 (0xFu << 5) | (1u << 9) | (3u << 14) | (7u << 25))

/* interrupter 0 in the runtime registers */
#define RT_IMAN		0x20
#define RT_ERSTSZ	0x28
#define RT_ERSTBA	0x30
#define RT_ERDP		0x38
#define ERDP_EHB	(1u << 3)

/* extended capabilities */
#define XCAP_LEGACY	1
#define LEGACY_BIOS_OWNED (1u << 16)
#define LEGACY_OS_OWNED	(1u << 24)
#define LEGACY_SMI_KEEP	((7u << 1) | (0xFFu << 5) | (7u << 17))	/* the reserved bits */
#define LEGACY_SMI_EVENTS (7u << 29)	/* write 1 to clear */

#define EVENT_TRBS	256	/* one page */
#define CRCR_RCS	1u

bool usb_debug;
static struct xhci *hcs[XHCI_MAX_HC];
static unsigned nhcs;

/* A bounded wait: ms milliseconds by the TSC, or about that many spins without one. */
struct deadline {
	uint64_t end_ns, spins;
};

static struct deadline
deadline_in(unsigned ms)
{
	return (struct deadline){ clock_ns() + ms * 1000000ull, ms * 1000ull };
}

static bool
deadline_passed(struct deadline *d)
{
	io_wait();		/* about 1 us */
	if (tsc_khz())
		return clock_ns() > d->end_ns;
	return d->spins-- == 0;
}

static void
wait_ms(unsigned ms)
{
	struct deadline d = deadline_in(ms);

	while (!deadline_passed(&d))
		;
}

/* Waits until (op register & mask) == want; 0, or -1 after ms. */
static int
wait_op(struct xhci *hc, uint32_t off, uint32_t mask, uint32_t want, unsigned ms)
{
	struct deadline d = deadline_in(ms);

	while ((mmio_read32(hc->op, off) & mask) != want)
		if (deadline_passed(&d))
			return -1;
	return 0;
}

uint64_t
xhci_dma_page(struct xhci *hc)
{
	uint64_t pa = pmm_alloc_frame();

	if (pa && !hc->ac64 && pa + PAGE_SIZE > 0x100000000ull) {
		pmm_free_frame(pa);	/* 32-bit DMA only; RAM above 4 GiB is unusable here */
		return 0;
	}
	return pa;
}

int
ring_init(struct xhci *hc, struct ring *r)
{
	r->pa = xhci_dma_page(hc);
	if (!r->pa)
		return -1;
	r->trbs = phys_to_virt(r->pa);
	r->enq = 0;
	r->cycle = 1;
	return 0;
}

void
ring_push(struct ring *r, uint64_t param, uint32_t status, uint32_t control)
{
	struct trb *t = &r->trbs[r->enq];

	t->param = param;
	t->status = status;
	/* The cycle bit hands the TRB over: it is written last. */
	__atomic_store_n(&t->control, (control & ~TRB_CYCLE) | r->cycle, __ATOMIC_RELEASE);
	if (++r->enq == RING_TRBS - 1) {
		struct trb *link = &r->trbs[RING_TRBS - 1];

		link->param = r->pa;
		link->status = 0;
		__atomic_store_n(&link->control, TRB_TYPE(TRB_LINK) | TRB_TC | r->cycle,
				 __ATOMIC_RELEASE);
		r->enq = 0;
		r->cycle ^= 1;
	}
}

void
xhci_ring_doorbell(struct xhci *hc, unsigned slot, unsigned target)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the TRBs before the doorbell */
	mmio_write32(hc->db, slot * 4, target);
}

uint32_t *
xhci_ctx(struct xhci *hc, uint64_t pa, unsigned i)
{
	return (uint32_t *)((uint8_t *)phys_to_virt(pa) + i * hc->ctx_size);
}

uint32_t
xhci_portsc(struct xhci *hc, unsigned port)
{
	return mmio_read32(hc->op, OP_PORTSC(port));
}

const char *
usb_speed_name(unsigned speed)
{
	static const char *const names[] = { "?", "full", "low", "high", "super", "super+" };

	return speed < ARRAY_SIZE(names) ? names[speed] : "?";
}

static void
handle_event(struct xhci *hc, const struct trb *ev)
{
	uint32_t type = TRB_TYPE_OF(ev->control), cc = TRB_CC_OF(ev->status);
	struct usb_dev *dev;

	switch (type) {
	case TRB_EV_COMMAND:
		hc->cmd_cc = cc;
		hc->cmd_slot = TRB_SLOT_OF(ev->control);
		hc->cmd_done = true;
		break;
	case TRB_EV_TRANSFER: {
		unsigned slot = TRB_SLOT_OF(ev->control), ep = TRB_EP_OF(ev->control);

		if (slot > XHCI_MAX_SLOTS || !(dev = hc->slots[slot]))
			break;
		if (ep == 1) {
			/* A short Data stage reports its own event, then Status completes. */
			if (cc == CC_SHORT_PACKET) {
				dev->xfer_left = TRB_LEN_OF(ev->status);
				break;
			}
			dev->xfer_cc = cc;
			dev->xfer_done = true;
		} else if (ep == dev->intr_dci) {
			usbkbd_report(dev, cc, dev->intr_len - TRB_LEN_OF(ev->status));
		}
		break;
	}
	case TRB_EV_PORT: {
		unsigned port = ev->param >> 24;

		if (port >= 1 && port <= hc->nports)
			hc->port_changed |= 1ull << (port - 1);
		break;
	}
	}
}

/* Takes every event the controller has written; tells it how far we got. */
static void
xhci_events(struct xhci *hc)
{
	unsigned n = 0;

	for (;;) {
		struct trb *e = &hc->events[hc->ev_deq];
		uint32_t control = __atomic_load_n(&e->control, __ATOMIC_ACQUIRE);

		if ((control & TRB_CYCLE) != hc->ev_cycle)
			break;
		struct trb ev = { e->param, e->status, control };

		if (++hc->ev_deq == EVENT_TRBS) {
			hc->ev_deq = 0;
			hc->ev_cycle ^= 1;
		}
		handle_event(hc, &ev);
		n++;
	}
	if (n)
		mmio_write64(hc->rt, RT_ERDP, (hc->events_pa + hc->ev_deq * sizeof(struct trb)) |
			     ERDP_EHB);
}

uint32_t
xhci_command(struct xhci *hc, uint64_t param, uint32_t control)
{
	struct deadline d = deadline_in(1000);

	hc->cmd_done = false;
	ring_push(&hc->cmd, param, 0, control);
	xhci_ring_doorbell(hc, 0, 0);
	while (!hc->cmd_done) {
		xhci_events(hc);
		if (!hc->cmd_done && deadline_passed(&d)) {
			kprintf("xhci: %s: command %u got no completion\n", hc->name,
				TRB_TYPE_OF(control));
			return CC_TIMEOUT;
		}
	}
	return hc->cmd_cc;
}

/* After a stall, endpoint 0 halts: reset it and move past the failed TD. */
static void
ep0_recover(struct usb_dev *dev)
{
	struct xhci *hc = dev->hc;

	xhci_command(hc, 0, TRB_TYPE(14) | TRB_SLOT(dev->slot) | 1u << 16);	/* Reset Endpoint */
	xhci_command(hc, (dev->ep0.pa + dev->ep0.enq * sizeof(struct trb)) | dev->ep0.cycle,
		     TRB_TYPE(16) | TRB_SLOT(dev->slot) | 1u << 16);	/* Set TR Dequeue */
}

uint32_t
xhci_control(struct usb_dev *dev, uint8_t type, uint8_t req, uint16_t value,
	     uint16_t index, uint16_t len, unsigned *got)
{
	struct xhci *hc = dev->hc;
	bool in = type & 0x80;
	uint64_t setup = type | (uint32_t)req << 8 | (uint32_t)value << 16 |
			 (uint64_t)index << 32 | (uint64_t)len << 48;
	uint32_t trt = len == 0 ? 0 : in ? 3 : 2;	/* transfer type: none, OUT, IN */
	struct deadline d = deadline_in(1000);

	dev->xfer_done = false;
	dev->xfer_left = 0;
	ring_push(&dev->ep0, setup, 8, TRB_TYPE(TRB_SETUP) | TRB_IDT | trt << 16);
	if (len)
		ring_push(&dev->ep0, dev->buf_pa, len,
			  TRB_TYPE(TRB_DATA) | TRB_ISP | (in ? TRB_DIR_IN : 0));
	ring_push(&dev->ep0, 0, 0, TRB_TYPE(TRB_STATUS) | TRB_IOC |
		  (len && in ? 0 : TRB_DIR_IN));
	xhci_ring_doorbell(hc, dev->slot, 1);
	while (!dev->xfer_done) {
		xhci_events(hc);
		if (!dev->xfer_done && deadline_passed(&d)) {
			usb_dbg("usb: slot %u: request %02x:%02x timed out\n", dev->slot,
				type, req);
			return CC_TIMEOUT;
		}
	}
	if (got)
		*got = dev->xfer_left <= len ? len - dev->xfer_left : 0;
	if (dev->xfer_cc != CC_SUCCESS) {
		usb_dbg("usb: slot %u: request %02x:%02x failed (completion %u)\n",
			dev->slot, type, req, dev->xfer_cc);
		ep0_recover(dev);
	}
	return dev->xfer_cc;
}

/* Resets the port; its speed once enabled, or -1. */
int
xhci_port_reset(struct xhci *hc, unsigned port)
{
	uint32_t sc = xhci_portsc(hc, port);

	if (!(sc & PORT_CCS))
		return -1;
	mmio_write32(hc->op, OP_PORTSC(port), (sc & PORT_KEEP) | PORT_PR);
	if (wait_op(hc, OP_PORTSC(port), PORT_PRC, PORT_PRC, 500) < 0) {
		kprintf("xhci: %s: port %u: reset did not complete\n", hc->name, port);
		return -1;
	}
	wait_ms(10);		/* TRSTRCY: the device's recovery after a reset */
	sc = xhci_portsc(hc, port);
	mmio_write32(hc->op, OP_PORTSC(port), (sc & PORT_KEEP) | PORT_PRC);
	if (!(sc & PORT_PED)) {
		usb_dbg("usb: port %u: not enabled after its reset\n", port);
		return -1;
	}
	return PORT_SPEED(sc);
}

/*
 * A port's change: a device came (connect it after the 100 ms the USB
 * spec gives it to settle) or went. Our own port resets report changes
 * too; only a connect status change or a lost connection counts.
 */
static void
port_change(struct xhci *hc, unsigned port)
{
	uint32_t sc = xhci_portsc(hc, port);
	uint64_t bit = 1ull << (port - 1);

	mmio_write32(hc->op, OP_PORTSC(port), (sc & PORT_KEEP) | (sc & PORT_CHANGES));
	if ((sc & PORT_CSC) || !(sc & PORT_CCS)) {
		if (hc->ports[port])
			usb_port_disconnect(hc, port);
		hc->connect_pending &= ~bit;
	}
	if ((sc & PORT_CSC) && (sc & PORT_CCS)) {
		hc->connect_due[port] = timer_ticks() + timer_hz() / 10 + 1;
		hc->connect_pending |= bit;
	}
}

static void
service_ports(struct xhci *hc)
{
	while (hc->port_changed) {
		unsigned port = __builtin_ctzll(hc->port_changed) + 1;

		hc->port_changed &= ~(1ull << (port - 1));
		if (port <= XHCI_MAX_PORTS)
			port_change(hc, port);
	}
	for (uint64_t m = hc->connect_pending; m; m &= m - 1) {
		unsigned port = __builtin_ctzll(m) + 1;

		if (timer_ticks() < hc->connect_due[port])
			continue;
		hc->connect_pending &= ~(1ull << (port - 1));
		if (xhci_portsc(hc, port) & PORT_CCS)
			usb_port_connect(hc, port);
	}
}

/* At every timer tick: cheap unless the controller wrote an event. */
static void
xhci_poll(void)
{
	for (unsigned i = 0; i < nhcs; i++) {
		struct xhci *hc = hcs[i];

		if (hc->busy)
			continue;
		hc->busy = true;
		xhci_events(hc);
		if (hc->port_changed | hc->connect_pending)
			service_ports(hc);
		for (unsigned p = 1; p <= hc->nports; p++)	/* at most XHCI_MAX_PORTS */
			if (hc->ports[p] && hc->ports[p]->is_kbd)
				usbkbd_tick(hc->ports[p]);
		hc->busy = false;
	}
}

/*
 * Firmware that drives the controller itself (a USB keyboard in the BIOS
 * setup) says so in the USB Legacy Support capability: ask for it with
 * the OS-owned semaphore, wait for the BIOS to let go, then make sure no
 * SMI fires on our events.
 */
static void
take_from_firmware(struct xhci *hc, uint32_t hccparams1)
{
	uint32_t off = (hccparams1 >> 16) * 4;

	for (int n = 0; off && n < 64; n++) {
		uint32_t cap = mmio_read32(hc->cap, off);

		if ((cap & 0xFF) == XCAP_LEGACY) {
			struct deadline d = deadline_in(1000);

			usb_dbg("xhci: %s: legacy support: %s\n", hc->name,
				cap & LEGACY_BIOS_OWNED ? "BIOS-owned, asking" : "not BIOS-owned");
			mmio_write32(hc->cap, off, cap | LEGACY_OS_OWNED);
			while (mmio_read32(hc->cap, off) & LEGACY_BIOS_OWNED)
				if (deadline_passed(&d)) {
					kprintf("xhci: %s: the BIOS kept the controller; "
						"taking it anyway\n", hc->name);
					mmio_write32(hc->cap, off, (mmio_read32(hc->cap, off) &
						     ~LEGACY_BIOS_OWNED) | LEGACY_OS_OWNED);
					break;
				}
			uint32_t ctl = mmio_read32(hc->cap, off + 4);

			mmio_write32(hc->cap, off + 4, (ctl & LEGACY_SMI_KEEP) | LEGACY_SMI_EVENTS);
			usb_dbg("xhci: %s: hand-off done, SMIs off\n", hc->name);
			return;
		}
		uint32_t next = (cap >> 8) & 0xFF;

		off = next ? off + next * 4 : 0;
	}
	usb_dbg("xhci: %s: no legacy support capability\n", hc->name);
}

static int
reset_controller(struct xhci *hc)
{
	uint32_t cmd = mmio_read32(hc->op, OP_USBCMD);

	if (cmd & CMD_RUN) {
		mmio_write32(hc->op, OP_USBCMD, cmd & ~CMD_RUN);
		if (wait_op(hc, OP_USBSTS, STS_HCH, STS_HCH, 100) < 0) {
			kprintf("xhci: %s: does not halt\n", hc->name);
			return -1;
		}
	}
	mmio_write32(hc->op, OP_USBCMD, CMD_HCRST);
	if (wait_op(hc, OP_USBCMD, CMD_HCRST, 0, 1000) < 0 ||
	    wait_op(hc, OP_USBSTS, STS_CNR, 0, 1000) < 0) {
		kprintf("xhci: %s: reset did not complete\n", hc->name);
		return -1;
	}
	usb_dbg("xhci: %s: reset\n", hc->name);
	return 0;
}

/* The device context array, its scratchpad, the command and event rings. */
static int
setup_memory(struct xhci *hc, uint32_t hcsparams2)
{
	unsigned nscratch = (hcsparams2 >> 27 & 0x1F) | (hcsparams2 >> 21 & 0x1F) << 5;

	if (!(mmio_read32(hc->op, OP_PAGESIZE) & 1)) {
		kprintf("xhci: %s: does not support 4 KiB pages\n", hc->name);
		return -1;
	}
	hc->dcbaa_pa = xhci_dma_page(hc);
	if (!hc->dcbaa_pa)
		return -1;
	hc->dcbaa = phys_to_virt(hc->dcbaa_pa);
	if (nscratch) {
		/* Memory the controller keeps its own state in: ours to give, never to touch. */
		uint64_t array = xhci_dma_page(hc);

		if (!array || nscratch > PAGE_SIZE / 8)
			return -1;
		uint64_t *pages = phys_to_virt(array);

		for (unsigned i = 0; i < nscratch; i++)
			if (!(pages[i] = xhci_dma_page(hc)))
				return -1;
		hc->dcbaa[0] = array;
		usb_dbg("xhci: %s: %u scratchpad pages\n", hc->name, nscratch);
	}
	if (ring_init(hc, &hc->cmd) < 0)
		return -1;
	hc->events_pa = xhci_dma_page(hc);
	uint64_t erst_pa = xhci_dma_page(hc);

	if (!hc->events_pa || !erst_pa)
		return -1;
	hc->events = phys_to_virt(hc->events_pa);
	hc->ev_cycle = 1;
	uint64_t *erst = phys_to_virt(erst_pa);	/* one segment: base, size */

	erst[0] = hc->events_pa;
	erst[1] = EVENT_TRBS;
	mmio_write32(hc->op, OP_CONFIG, hc->nslots);
	mmio_write64(hc->op, OP_DCBAAP, hc->dcbaa_pa);
	mmio_write64(hc->op, OP_CRCR, hc->cmd.pa | CRCR_RCS);
	mmio_write32(hc->rt, RT_ERSTSZ, 1);
	mmio_write64(hc->rt, RT_ERDP, hc->events_pa);
	mmio_write64(hc->rt, RT_ERSTBA, erst_pa);
	return 0;
}

static int
xhci_start(const struct pci_dev *pci)
{
	struct xhci *hc = kzalloc(sizeof(*hc));
	uint64_t bar, size;

	if (!hc)
		return -1;
	hc->pci = pci;
	ksnprintf(hc->name, sizeof(hc->name), "0000:%02x:%02x.%x", pci->bus, pci->dev, pci->fn);
	usb_dbg("xhci: %s: controller %04x:%04x\n", hc->name, pci->vendor, pci->device);
	if (pci_bar_mem(pci, PCI_BAR0, &bar, &size) < 0 || size < 0x1000) {
		kprintf("xhci: %s: no usable BAR0\n", hc->name);
		goto fail;
	}
	pci_write16(pci, PCI_COMMAND, pci_read16(pci, PCI_COMMAND) | PCI_COMMAND_MEMORY |
		    PCI_COMMAND_MASTER | PCI_COMMAND_INTX_OFF);
	hc->cap = mmio_map(bar, size);
	if (!hc->cap) {
		kprintf("xhci: %s: cannot map BAR0 at 0x%lx\n", hc->name, bar);
		goto fail;
	}
	usb_dbg("xhci: %s: BAR0 0x%lx, %lu KiB\n", hc->name, bar, size / 1024);
	uint32_t lv = mmio_read32(hc->cap, CAP_LENGTH_VERSION);
	uint32_t hcs1 = mmio_read32(hc->cap, CAP_HCSPARAMS1);
	uint32_t hcs2 = mmio_read32(hc->cap, CAP_HCSPARAMS2);
	uint32_t hcc1 = mmio_read32(hc->cap, CAP_HCCPARAMS1);
	uint16_t version = lv >> 16;

	if (lv == 0xFFFFFFFF || (lv & 0xFF) < 0x20) {
		kprintf("xhci: %s: registers read 0x%x: no controller there\n", hc->name, lv);
		goto fail;
	}
	hc->op = hc->cap + (lv & 0xFF);
	hc->rt = hc->cap + (mmio_read32(hc->cap, CAP_RTSOFF) & ~0x1Fu);
	hc->db = hc->cap + (mmio_read32(hc->cap, CAP_DBOFF) & ~0x3u);
	hc->nslots = hcs1 & 0xFF;
	if (hc->nslots > XHCI_MAX_SLOTS)
		hc->nslots = XHCI_MAX_SLOTS;
	hc->nports = hcs1 >> 24;
	hc->ctx_size = hcc1 & HCC_CSZ ? 64 : 32;
	hc->ac64 = hcc1 & HCC_AC64;
	usb_dbg("xhci: %s: version %x.%x, %u slots, %u ports, %u-byte contexts, %s DMA\n",
		hc->name, version >> 8, version >> 4 & 0xF, hcs1 & 0xFF, hc->nports,
		hc->ctx_size, hc->ac64 ? "64-bit" : "32-bit");
	take_from_firmware(hc, hcc1);
	if (reset_controller(hc) < 0 || setup_memory(hc, hcs2) < 0)
		goto fail;
	mmio_write32(hc->op, OP_USBCMD, CMD_RUN);
	if (wait_op(hc, OP_USBSTS, STS_HCH, 0, 100) < 0) {
		kprintf("xhci: %s: does not run\n", hc->name);
		goto fail;
	}
	kprintf("xhci: %s xHCI %x.%x, %u ports\n", hc->name, version >> 8, version >> 4 & 0xF,
		hc->nports);
	if (hc->nports > XHCI_MAX_PORTS) {
		kprintf("xhci: %s: only ports 1..%d are used\n", hc->name, XHCI_MAX_PORTS);
		hc->nports = XHCI_MAX_PORTS;
	}
	if (hcc1 & HCC_PPC) {
		for (unsigned p = 1; p <= hc->nports; p++) {
			uint32_t sc = xhci_portsc(hc, p);

			if (!(sc & PORT_PP))
				mmio_write32(hc->op, OP_PORTSC(p), (sc & PORT_KEEP) | PORT_PP);
		}
		wait_ms(20);
	}
	hcs[nhcs++] = hc;
	/* The devices there already: connect them now, the boot log tells them. */
	hc->busy = true;
	xhci_events(hc);
	hc->port_changed = 0;
	for (unsigned p = 1; p <= hc->nports; p++) {
		uint32_t sc = xhci_portsc(hc, p);

		mmio_write32(hc->op, OP_PORTSC(p), (sc & PORT_KEEP) | (sc & PORT_CHANGES));
		usb_dbg("xhci: %s: port %u: %s%s\n", hc->name, p,
			sc & PORT_CCS ? "connected" : "empty",
			sc & PORT_PED ? ", enabled" : "");
		if (sc & PORT_CCS)
			usb_port_connect(hc, p);
	}
	hc->busy = false;
	return 0;
fail:
	kprintf("xhci: %s: not used\n", hc->name);
	kfree(hc);	/* its DMA pages stay: the controller may still hold them */
	return -1;
}

static void
xhci_init(void)
{
	const struct pci_dev *d;

	usb_debug = cmdline_debug(boot_argc, boot_argv, "usb");
	const char *opt = cmdline_value(boot_argc, boot_argv, "xhci");

	if (opt && strcmp(opt, "off") == 0) {
		usb_dbg("xhci: off (xhci=off)\n");
		return;
	}
	for (unsigned n = 0; nhcs < XHCI_MAX_HC && (d = pci_find_class(0x0C, 0x03, 0x30, n)); n++)
		xhci_start(d);
	if (nhcs > 0 && timer_add_poller(xhci_poll) < 0)
		kprintf("xhci: no timer poller left: devices are not serviced\n");
}

/* After the console (keys go to it) and the page tables (mmio_map). */
INITCALL(INIT_FS, xhci_init);
