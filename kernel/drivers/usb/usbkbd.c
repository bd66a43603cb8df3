/*
 * A USB keyboard in the HID boot protocol: every report is 8 bytes, the
 * modifier keys as bits, then the usage codes of up to six keys held.
 * The keys that changed since the last report become scancode set 1
 * make and break codes for keyboard_translate(), so a USB key reaches
 * the console exactly as the same key on the PS/2 keyboard does.
 *
 *   byte 0: modifiers  bit 0 LCtrl 1 LShift 2 LAlt 3 LGUI 4 RCtrl 5 RShift 6 RAlt 7 RGUI
 *   byte 1: reserved
 *   bytes 2..7: usage codes of the keys held (0: none, 1: too many held)
 */
#include <kstring.h>
#include <compiler.h>
#include <keyboard.h>
#include <kprintf.h>
#include <timer.h>
#include "xhci.h"

#define DESC_INTERFACE	4
#define DESC_ENDPOINT	5
#define CLASS_HID	3
#define SUBCLASS_BOOT	1
#define PROTOCOL_KBD	1
#define REQ_SET_CONFIG	9
#define REQ_SET_IDLE	0x0A
#define REQ_SET_PROTOCOL 0x0B
#define HID_CLASS_OUT	0x21	/* class request to an interface */
#define REPORT_OFF	2048	/* the report's place in dev->buf */
#define REPORT_LEN	8
#define USAGE_ROLLOVER	1
#define E0		0x100	/* the scancode has the 0xE0 prefix */
/*
 * A USB keyboard does not repeat a held key (a PS/2 one does, in its
 * own firmware): the host does, at the PS/2 default, 500 ms, then about
 * 30 a second (every 33 ms). Not the lock keys: each make toggles them.
 */
#define REPEAT_DELAY_MS	500
#define REPEAT_EVERY_MS	33
#define USAGE_CAPS	0x39
#define USAGE_SCROLL	0x47
#define USAGE_NUM	0x53

/* HID usage (keyboard page) -> scancode set 1; 0: not a key we send. */
static const uint16_t usage_to_sc[0x68] = {
	[0x04] = 0x1E, [0x05] = 0x30, [0x06] = 0x2E, [0x07] = 0x20, [0x08] = 0x12,
	[0x09] = 0x21, [0x0A] = 0x22, [0x0B] = 0x23, [0x0C] = 0x17, [0x0D] = 0x24,
	[0x0E] = 0x25, [0x0F] = 0x26, [0x10] = 0x32, [0x11] = 0x31, [0x12] = 0x18,
	[0x13] = 0x19, [0x14] = 0x10, [0x15] = 0x13, [0x16] = 0x1F, [0x17] = 0x14,
	[0x18] = 0x16, [0x19] = 0x2F, [0x1A] = 0x11, [0x1B] = 0x2D, [0x1C] = 0x15,
	[0x1D] = 0x2C,						/* a .. z */
	[0x1E] = 0x02, [0x1F] = 0x03, [0x20] = 0x04, [0x21] = 0x05, [0x22] = 0x06,
	[0x23] = 0x07, [0x24] = 0x08, [0x25] = 0x09, [0x26] = 0x0A, [0x27] = 0x0B,
	[0x28] = 0x1C, [0x29] = 0x01, [0x2A] = 0x0E, [0x2B] = 0x0F, [0x2C] = 0x39,
	[0x2D] = 0x0C, [0x2E] = 0x0D, [0x2F] = 0x1A, [0x30] = 0x1B, [0x31] = 0x2B,
	[0x32] = 0x2B, [0x33] = 0x27, [0x34] = 0x28, [0x35] = 0x29, [0x36] = 0x33,
	[0x37] = 0x34, [0x38] = 0x35, [0x39] = 0x3A,		/* Caps Lock */
	[0x3A] = 0x3B, [0x3B] = 0x3C, [0x3C] = 0x3D, [0x3D] = 0x3E, [0x3E] = 0x3F,
	[0x3F] = 0x40, [0x40] = 0x41, [0x41] = 0x42, [0x42] = 0x43, [0x43] = 0x44,
	[0x44] = 0x57, [0x45] = 0x58,				/* F1 .. F12 */
	[0x46] = E0 | 0x37, [0x47] = 0x46,
	[0x49] = E0 | 0x52, [0x4A] = E0 | 0x47, [0x4B] = E0 | 0x49, [0x4C] = E0 | 0x53,
	[0x4D] = E0 | 0x4F, [0x4E] = E0 | 0x51, [0x4F] = E0 | 0x4D, [0x50] = E0 | 0x4B,
	[0x51] = E0 | 0x50, [0x52] = E0 | 0x48,			/* the editing keys, arrows */
	[0x53] = 0x45, [0x54] = E0 | 0x35, [0x55] = 0x37, [0x56] = 0x4A, [0x57] = 0x4E,
	[0x58] = E0 | 0x1C, [0x59] = 0x4F, [0x5A] = 0x50, [0x5B] = 0x51, [0x5C] = 0x4B,
	[0x5D] = 0x4C, [0x5E] = 0x4D, [0x5F] = 0x47, [0x60] = 0x48, [0x61] = 0x49,
	[0x62] = 0x52, [0x63] = 0x53, [0x64] = 0x56,		/* the keypad */
};

/* The modifier bits of byte 0, in order. */
static const uint16_t modifier_sc[8] = {
	0x1D, 0x2A, 0x38, E0 | 0x5B, E0 | 0x1D, 0x36, E0 | 0x38, E0 | 0x5C,
};

static void
send_sc(uint16_t sc, bool press)
{
	if (!sc)
		return;
	if (sc & E0)
		keyboard_translate(0xE0);
	keyboard_translate((sc & 0x7F) | (press ? 0 : 0x80));
}

static uint16_t
sc_of(uint8_t usage)
{
	return usage < ARRAY_SIZE(usage_to_sc) ? usage_to_sc[usage] : 0;
}

static bool
holds(const uint8_t *r, uint8_t usage)
{
	for (int i = 2; i < REPORT_LEN; i++)
		if (r[i] == usage)
			return true;
	return false;
}

static uint64_t
ticks_of(unsigned ms)
{
	uint64_t n = ((uint64_t)ms * timer_hz() + 999) / 1000;

	return n ? n : 1;
}

/* Presses and releases what differs between dev's last report and now. */
static void
report_changes(struct usb_dev *dev, const uint8_t *now)
{
	const uint8_t *old = dev->report;

	for (int i = 0; i < 8; i++)
		if ((old[0] ^ now[0]) & (1u << i))
			send_sc(modifier_sc[i], now[0] & (1u << i));
	for (int i = 2; i < REPORT_LEN; i++)
		if (old[i] > USAGE_ROLLOVER && !holds(now, old[i]))
			send_sc(sc_of(old[i]), false);
	if (!holds(now, dev->repeat_usage))
		dev->repeat_usage = 0;
	for (int i = 2; i < REPORT_LEN; i++) {
		uint8_t u = now[i];

		if (u <= USAGE_ROLLOVER || holds(old, u))
			continue;
		send_sc(sc_of(u), true);
		if (u != USAGE_CAPS && u != USAGE_NUM && u != USAGE_SCROLL) {
			dev->repeat_usage = u;	/* the newest key repeats */
			dev->repeat_at = timer_ticks() + ticks_of(REPEAT_DELAY_MS);
		}
	}
	memcpy(dev->report, now, REPORT_LEN);
}

void
usbkbd_tick(struct usb_dev *dev)
{
	if (!dev->repeat_usage || timer_ticks() < dev->repeat_at)
		return;
	send_sc(sc_of(dev->repeat_usage), true);	/* a make without a break, as PS/2 */
	dev->repeat_at = timer_ticks() + ticks_of(REPEAT_EVERY_MS);
}

static void
queue_report(struct usb_dev *dev)
{
	ring_push(&dev->intr, dev->buf_pa + REPORT_OFF, dev->intr_len,
		  TRB_TYPE(TRB_NORMAL) | TRB_ISP | TRB_IOC);
	xhci_ring_doorbell(dev->hc, dev->slot, dev->intr_dci);
}

void
usbkbd_report(struct usb_dev *dev, uint32_t cc, unsigned got)
{
	const uint8_t *r = dev->buf + REPORT_OFF;

	if (cc != CC_SUCCESS && cc != CC_SHORT_PACKET) {
		/* A device pulled out fails its transfers before the port says so. */
		usb_dbg("usb: keyboard on port %u: report failed (completion %u)\n",
			dev->port, cc);
		return;
	}
	if (got >= 3 && r[2] != USAGE_ROLLOVER) {
		uint8_t now[REPORT_LEN] = { 0 };

		memcpy(now, r, got < REPORT_LEN ? got : REPORT_LEN);
		report_changes(dev, now);
	}
	queue_report(dev);
}

void
usbkbd_gone(struct usb_dev *dev)
{
	static const uint8_t none[REPORT_LEN];

	report_changes(dev, none);	/* no Shift left held, nothing repeating */
}

/* The interval field of an endpoint context: 2^(n) x 125 us. */
static unsigned
interval_of(unsigned speed, unsigned binterval)
{
	unsigned n = 0;

	if (speed >= 3)		/* high and super speed: 2^(bInterval-1) microframes */
		return binterval >= 1 && binterval <= 16 ? binterval - 1 : 3;
	if (binterval == 0)
		binterval = 1;
	while ((2u << n) <= binterval * 8)	/* full and low speed: bInterval in ms */
		n++;
	return n < 3 ? 3 : n > 10 ? 10 : n;
}

static int
configure_endpoint(struct usb_dev *dev, uint8_t addr, unsigned mps, unsigned binterval)
{
	struct xhci *hc = dev->hc;
	unsigned dci = (addr & 0xF) * 2 + 1;	/* IN endpoint n */
	uint32_t *ctl = xhci_ctx(hc, dev->in_ctx, 0);
	uint32_t *slot = xhci_ctx(hc, dev->in_ctx, 1);
	uint32_t *ep = xhci_ctx(hc, dev->in_ctx, 1 + dci);

	if (ring_init(hc, &dev->intr) < 0)
		return -1;
	memcpy(slot, xhci_ctx(hc, dev->out_ctx, 0), hc->ctx_size);
	slot[0] = (slot[0] & ~(0x1Fu << 27)) | dci << 27;	/* last context entry */
	slot[3] = 0;
	ctl[0] = 0;
	ctl[1] = 1u << 0 | 1u << dci;
	memset(ep, 0, hc->ctx_size);
	ep[0] = interval_of(dev->speed, binterval) << 16;
	ep[1] = 3u << 1 | 7u << 3 | mps << 16;	/* 3 retries, interrupt IN */
	ep[2] = (uint32_t)dev->intr.pa | dev->intr.cycle;
	ep[3] = dev->intr.pa >> 32;
	ep[4] = mps | mps << 16;		/* average TRB length, max payload */
	uint32_t cc = xhci_command(hc, dev->in_ctx, TRB_TYPE(TRB_CONFIGURE_EP) |
				   TRB_SLOT(dev->slot));
	if (cc != CC_SUCCESS) {
		kprintf("usb: port %u: Configure Endpoint failed (completion %u)\n",
			dev->port, cc);
		return -1;
	}
	dev->intr_dci = dci;
	dev->intr_len = mps < REPORT_LEN ? mps : REPORT_LEN;
	usb_dbg("usb: port %u: endpoint 0x%02x (context %u), %u bytes, interval %u\n",
		dev->port, addr, dci, mps, binterval);
	return 0;
}

int
usbkbd_probe(struct usb_dev *dev, const uint8_t *cfg, unsigned len)
{
	int iface = -1;
	uint8_t cfgval = cfg[5], ep_addr = 0, ep_interval = 0;
	unsigned mps = 0;
	bool in_kbd = false;

	/* Parse first: the requests below reuse the buffer cfg lies in. */
	for (unsigned i = 0; i + 2 <= len && cfg[i] >= 2 && i + cfg[i] <= len; i += cfg[i]) {
		const uint8_t *d = cfg + i;

		if (d[1] == DESC_INTERFACE && d[0] >= 9) {
			in_kbd = iface < 0 && d[3] == 0 && d[5] == CLASS_HID &&
				 d[6] == SUBCLASS_BOOT && d[7] == PROTOCOL_KBD;
			if (in_kbd)
				iface = d[2];
		} else if (d[1] == DESC_ENDPOINT && d[0] >= 7 && in_kbd && !ep_addr &&
			   (d[2] & 0x80) && (d[3] & 3) == 3) {
			ep_addr = d[2];
			mps = (d[4] | d[5] << 8) & 0x7FF;
			ep_interval = d[6];
		}
	}
	if (iface < 0 || !ep_addr || mps == 0)
		return -1;
	usb_dbg("usb: port %u: HID boot keyboard, interface %d\n", dev->port, iface);
	if (configure_endpoint(dev, ep_addr, mps, ep_interval) < 0)
		return -1;
	if (xhci_control(dev, 0x00, REQ_SET_CONFIG, cfgval, 0, 0, NULL) != CC_SUCCESS) {
		kprintf("usb: port %u: SET_CONFIGURATION failed\n", dev->port);
		return -1;
	}
	/* Boot protocol: the 8-byte report above, whatever its report descriptor says. */
	if (xhci_control(dev, HID_CLASS_OUT, REQ_SET_PROTOCOL, 0, iface, 0, NULL) != CC_SUCCESS)
		usb_dbg("usb: port %u: SET_PROTOCOL failed; assuming boot reports\n",
			dev->port);
	/* Idle 0: a report only when a key changes (we do not use its repeat). */
	xhci_control(dev, HID_CLASS_OUT, REQ_SET_IDLE, 0, iface, 0, NULL);
	dev->is_kbd = true;
	kprintf("usb: keyboard on port %u (%s)\n", dev->port,
		dev->product[0] ? dev->product : "no name");
	queue_report(dev);
	return 0;
}
