/*
 * The console multiplexes output to the serial port and the VGA screen,
 * so a machine without a screen (UEFI, headless) keeps a full console.
 */
#include <kprintf.h>
#include <param.h>
#include <ring.h>
#include <serial.h>
#include <vga.h>
#include <console.h>
#include <wait.h>
#include <arch/cpu.h>

#define CTRL(c)		((c) & 0x1F)
#define ESC		0x1B
#define DEL		0x7F

static bool has_vga;
static uint8_t input_buf[CONSOLE_INPUT_MAX];
static struct ring input = RING_INIT(input_buf);
static bool irq_driven;
static void (*input_hook)(char c);	/* the terminal, once there is one (lab 5) */
static void (*screen_hook)(char c);	/* its escape sequences on the screen (lab 5) */
static void (*screen_sync)(void);	/* shows the cells: a framebuffer console */

void
console_init(bool vga_text)
{
	serial_init();
	has_vga = vga_text;
	if (has_vga)
		vga_init();
}

/* The kernel's messages, the last CONSOLE_LOG_SIZE bytes of them (dmesg). */
static char log_buf[CONSOLE_LOG_SIZE];
static uint64_t log_head;

size_t
console_log(char *dst, size_t n)
{
	uint64_t flags = irq_save();
	uint64_t have = log_head < CONSOLE_LOG_SIZE ? log_head : CONSOLE_LOG_SIZE;

	if (n > have || !dst)
		n = dst ? have : 0;
	if (!dst) {
		irq_restore(flags);
		return have;
	}
	for (uint64_t i = 0; i < n; i++)
		dst[i] = log_buf[(log_head - n + i) % CONSOLE_LOG_SIZE];
	irq_restore(flags);
	return n;
}

void
console_log_clear(void)
{
	log_head = 0;
}

static void
sync_screen(void)
{
	if (screen_sync) {
		uint64_t flags = irq_save();

		screen_sync();
		irq_restore(flags);
	}
}

void
console_set_screen(void (*sync)(void))
{
	has_vga = true;
	screen_sync = sync;
	sync_screen();
}

void
console_putc(char c)
{
	log_buf[log_head++ % CONSOLE_LOG_SIZE] = c;
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	if (has_vga)
		vga_putc(c);
	sync_screen();
}

void
console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

void
console_putc_raw(char c)
{
	serial_putc(c);
	if (has_vga)
		(screen_hook ? screen_hook : vga_putc)(c);
	sync_screen();
}

void
console_set_screen_hook(void (*fn)(char c))
{
	screen_hook = fn;
}

void
console_set_attr(uint8_t attr)
{
	if (has_vga)
		vga_set_attr(attr);
}

void
console_input(char c)
{
	if (input_hook) {
		input_hook(c);
		return;
	}
	ring_put(&input, (uint8_t)c);
	wait_wakeup(&input);
}

void
console_set_input_hook(void (*fn)(char c))
{
	input_hook = fn;
}

void
console_input_irq_driven(void)
{
	irq_driven = true;
}

int
console_getc(void)
{
	for (;;) {
		int c = ring_get(&input);

		if (c >= 0)
			return c;
		if (!irq_driven) {
			if ((c = serial_getc()) >= 0)
				return c;
			cpu_pause();
			continue;
		}
		/* Check again with interrupts off, then wait until one comes. */
		uint64_t flags = irq_save();
		int r = ring_count(&input) ? 0 : wait_for(&input);

		irq_restore(flags);
		if (r < 0)
			return -1;	/* a signal for the waiting process */
	}
}

/* Skips the rest of an escape sequence: ESC [ params final, or ESC x. */
static void
skip_escape(void)
{
	int c = console_getc();

	if (c != '[')
		return;
	do
		c = console_getc();
	while (c < 0x40 || c > 0x7E);
}

static void
erase(size_t n)
{
	while (n--)
		console_write("\b \b", 3);
}

int
console_readline(const char *prompt, char *buf, size_t size)
{
	static bool after_cr;	/* a terminal's "\r\n" ends one line, not two */
	size_t n = 0;

	if (prompt)
		kprintf("%s", prompt);
	for (;;) {
		int c = console_getc();

		if (c < 0)
			return -1;	/* the reading process was killed */
		if (c == '\n' && after_cr) {
			after_cr = false;
			continue;
		}
		after_cr = c == '\r';
		switch (c) {
		case '\r':
		case '\n':
			console_putc('\n');
			buf[n] = '\0';
			return (int)n;
		case '\b':
		case DEL:
			if (n > 0) {
				n--;
				erase(1);
			}
			break;
		case CTRL('U'):
			erase(n);
			n = 0;
			break;
		case CTRL('C'):
			console_write("^C\n", 3);
			buf[0] = '\0';
			return -1;
		case ESC:
			skip_escape();
			break;
		default:
			if (c >= ' ' && n + 1 < size) {
				buf[n++] = (char)c;
				console_putc((char)c);
			}
		}
	}
}
