/*
 * The console multiplexes output to the serial port and the VGA screen,
 * so a machine without a screen (UEFI, headless) keeps a full console.
 */
#include <kprintf.h>
#include <serial.h>
#include <vga.h>
#include <console.h>
#include <arch/cpu.h>

static bool has_vga;

void
console_init(bool vga_text)
{
	serial_init();
	has_vga = vga_text;
	if (has_vga)
		vga_init();
}

bool
console_has_vga(void)
{
	return has_vga;
}

void
console_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	if (has_vga)
		vga_putc(c);
}

void
console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

void
console_set_attr(uint8_t attr)
{
	if (has_vga)
		vga_set_attr(attr);
}

int
console_getc(void)
{
	int c;

	while ((c = serial_getc()) < 0)
		cpu_pause();
	return c;
}

size_t
console_readline(const char *prompt, char *buf, size_t size)
{
	static bool after_cr;	/* a terminal's "\r\n" ends one line, not two */
	size_t n = 0;

	if (prompt)
		kprintf("%s", prompt);
	for (;;) {
		int c = console_getc();

		if (c == '\n' && after_cr) {
			after_cr = false;
			continue;
		}
		after_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			console_putc('\n');
			break;
		}
		if (c == '\b' || c == 0x7F) {
			if (n > 0) {
				n--;
				console_write("\b \b", 3);
			}
		} else if (c >= ' ' && n + 1 < size) {
			buf[n++] = (char)c;
			console_putc((char)c);
		}
	}
	buf[n] = '\0';
	return n;
}
