/*
 * PS/2 keyboard on IRQ 1. The 8042 controller translates the keyboard's
 * codes to scancode set 1: one byte per key press (the "make" code), the
 * same byte | 0x80 on release (the "break" code), and a 0xE0 prefix for
 * the keys the original XT keyboard did not have (arrows, right Ctrl, ...).
 */
#include <stdbool.h>
#include <console.h>
#include <irq.h>
#include <keyboard.h>
#include <ring.h>
#include <arch/io.h>

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read */
#define KBD_CMD		0x64	/* write */
#define STATUS_OUT_FULL	0x01
#define STATUS_IN_FULL	0x02
#define STATUS_AUX	0x20	/* the byte is from the mouse port */
#define CMD_READ_CONFIG	0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_DISABLE_AUX	0xA7
#define CMD_DISABLE_KBD	0xAD
#define CMD_ENABLE_KBD	0xAE
#define CONFIG_KBD_IRQ	0x01
#define CONFIG_AUX_IRQ	0x02
#define CONFIG_KBD_CLOCK_OFF 0x10
#define CONFIG_TRANSLATE 0x40

static uint8_t queue_buf[KBD_QUEUE_SIZE];
static struct ring queue = RING_INIT(queue_buf);

/* Waits (boundedly) until the controller can take a byte. */
static int
wait_input_empty(void)
{
	for (int i = 0; i < 100000; i++)
		if (!(inb(KBD_STATUS) & STATUS_IN_FULL))
			return 0;
	return -1;
}

static int
wait_output_full(void)
{
	for (int i = 0; i < 100000; i++)
		if (inb(KBD_STATUS) & STATUS_OUT_FULL)
			return 0;
	return -1;
}

static void
keyboard_irq(void)
{
	uint8_t status;
	int sc;

	/* Top half: empty the controller into the queue. */
	while ((status = inb(KBD_STATUS)) & STATUS_OUT_FULL) {
		uint8_t b = inb(KBD_DATA);

		if (!(status & STATUS_AUX))
			ring_put(&queue, b);
	}
	/* Bottom half: translate what is queued. */
	while ((sc = ring_get(&queue)) >= 0)
		keyboard_translate((uint8_t)sc);
}

int
keyboard_init(void)
{
	uint8_t config;

	if (inb(KBD_STATUS) == 0xFF)
		return -1;	/* no controller: reads float high */
	if (wait_input_empty() < 0)
		return -1;
	outb(KBD_CMD, CMD_DISABLE_KBD);
	wait_input_empty();
	outb(KBD_CMD, CMD_DISABLE_AUX);
	while (inb(KBD_STATUS) & STATUS_OUT_FULL)
		inb(KBD_DATA);		/* drop whatever the firmware left */
	wait_input_empty();
	outb(KBD_CMD, CMD_READ_CONFIG);
	if (wait_output_full() < 0)
		return -1;
	config = inb(KBD_DATA);
	config |= CONFIG_KBD_IRQ | CONFIG_TRANSLATE;
	config &= ~(CONFIG_AUX_IRQ | CONFIG_KBD_CLOCK_OFF);
	wait_input_empty();
	outb(KBD_CMD, CMD_WRITE_CONFIG);
	wait_input_empty();
	outb(KBD_DATA, config);
	wait_input_empty();
	outb(KBD_CMD, CMD_ENABLE_KBD);
	return irq_register(IRQ_KEYBOARD, keyboard_irq);
}

/* Scancode set 1 make codes 0x00..0x58 on a US layout; 0: no character. */
static const char keymap[][2] = {
	[0x01] = { 0x1B, 0x1B },
	[0x02] = { '1', '!' }, [0x03] = { '2', '@' }, [0x04] = { '3', '#' },
	[0x05] = { '4', '$' }, [0x06] = { '5', '%' }, [0x07] = { '6', '^' },
	[0x08] = { '7', '&' }, [0x09] = { '8', '*' }, [0x0A] = { '9', '(' },
	[0x0B] = { '0', ')' }, [0x0C] = { '-', '_' }, [0x0D] = { '=', '+' },
	[0x0E] = { '\b', '\b' }, [0x0F] = { '\t', '\t' },
	[0x10] = { 'q', 'Q' }, [0x11] = { 'w', 'W' }, [0x12] = { 'e', 'E' },
	[0x13] = { 'r', 'R' }, [0x14] = { 't', 'T' }, [0x15] = { 'y', 'Y' },
	[0x16] = { 'u', 'U' }, [0x17] = { 'i', 'I' }, [0x18] = { 'o', 'O' },
	[0x19] = { 'p', 'P' }, [0x1A] = { '[', '{' }, [0x1B] = { ']', '}' },
	[0x1C] = { '\n', '\n' },
	[0x1E] = { 'a', 'A' }, [0x1F] = { 's', 'S' }, [0x20] = { 'd', 'D' },
	[0x21] = { 'f', 'F' }, [0x22] = { 'g', 'G' }, [0x23] = { 'h', 'H' },
	[0x24] = { 'j', 'J' }, [0x25] = { 'k', 'K' }, [0x26] = { 'l', 'L' },
	[0x27] = { ';', ':' }, [0x28] = { '\'', '"' }, [0x29] = { '`', '~' },
	[0x2B] = { '\\', '|' },
	[0x2C] = { 'z', 'Z' }, [0x2D] = { 'x', 'X' }, [0x2E] = { 'c', 'C' },
	[0x2F] = { 'v', 'V' }, [0x30] = { 'b', 'B' }, [0x31] = { 'n', 'N' },
	[0x32] = { 'm', 'M' }, [0x33] = { ',', '<' }, [0x34] = { '.', '>' },
	[0x35] = { '/', '?' }, [0x37] = { '*', '*' }, [0x39] = { ' ', ' ' },
	/* the keypad, as with Num Lock on */
	[0x47] = { '7', '7' }, [0x48] = { '8', '8' }, [0x49] = { '9', '9' },
	[0x4A] = { '-', '-' }, [0x4B] = { '4', '4' }, [0x4C] = { '5', '5' },
	[0x4D] = { '6', '6' }, [0x4E] = { '+', '+' }, [0x4F] = { '1', '1' },
	[0x50] = { '2', '2' }, [0x51] = { '3', '3' }, [0x52] = { '0', '0' },
	[0x53] = { '.', '.' },
};

#define SC_LCTRL	0x1D
#define SC_LSHIFT	0x2A
#define SC_RSHIFT	0x36
#define SC_LALT		0x38
#define SC_CAPS		0x3A
#define SC_PREFIX	0xE0
#define SC_RELEASE	0x80

/* After 0xE0: the keys that send an escape sequence or a character. */
static const char *const extended[0x80] = {
	[0x1C] = "\n",		/* keypad Enter */
	[0x35] = "/",		/* keypad / */
	[0x47] = "\x1b[H",	/* Home */
	[0x48] = "\x1b[A",	/* Up */
	[0x49] = "\x1b[5~",	/* Page Up */
	[0x4B] = "\x1b[D",	/* Left */
	[0x4D] = "\x1b[C",	/* Right */
	[0x4F] = "\x1b[F",	/* End */
	[0x50] = "\x1b[B",	/* Down */
	[0x51] = "\x1b[6~",	/* Page Down */
	[0x52] = "\x1b[2~",	/* Insert */
	[0x53] = "\x1b[3~",	/* Delete */
};

#if SOL >= 2
static struct {
	bool e0;		/* the last byte was the 0xE0 prefix */
	bool lshift, rshift, lctrl, rctrl, lalt, ralt, caps;
} kbd;

static void
emit(const char *s)
{
	if (kbd.lalt || kbd.ralt)
		console_input(0x1B);	/* Alt sends ESC first, as xterm does */
	while (*s)
		console_input(*s++);
}

void
keyboard_translate(uint8_t sc)
{
	bool release = sc & SC_RELEASE, e0 = kbd.e0;
	uint8_t code = sc & ~SC_RELEASE;

	if (sc == SC_PREFIX) {
		kbd.e0 = true;
		return;
	}
	kbd.e0 = false;
	switch (code) {
	case SC_LSHIFT:
		if (!e0)	/* E0 2A is a fake shift around Print Screen */
			kbd.lshift = !release;
		return;
	case SC_RSHIFT:
		if (!e0)
			kbd.rshift = !release;
		return;
	case SC_LCTRL:
		*(e0 ? &kbd.rctrl : &kbd.lctrl) = !release;
		return;
	case SC_LALT:
		*(e0 ? &kbd.ralt : &kbd.lalt) = !release;
		return;
	case SC_CAPS:
		if (!release)
			kbd.caps = !kbd.caps;
		return;
	}
	if (release)
		return;
	if (e0) {
		if (extended[code])
			emit(extended[code]);
		return;
	}
	if (code >= sizeof(keymap) / sizeof(keymap[0]) || !keymap[code][0])
		return;
	bool shift = kbd.lshift || kbd.rshift;
	char c = keymap[code][shift];
	if (kbd.caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c = keymap[code][!shift];	/* Caps Lock inverts Shift on letters */
	if ((kbd.lctrl || kbd.rctrl) && c >= 0x40 && c < 0x7F)
		c &= 0x1F;			/* Ctrl-A is 1, Ctrl-C 3, ... */
	char s[2] = { c, '\0' };
	emit(s);
}
#else
void
keyboard_translate(uint8_t sc)
{
	/* LAB 2: your code here. Track the modifiers and the 0xE0 prefix;
	 * turn make codes into characters with keymap[] and extended[] and
	 * pass them to console_input(). */
	(void)sc, (void)keymap, (void)extended;
}
#endif
