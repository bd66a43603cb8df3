/*
 * The console: output to serial and (when present) the VGA screen; input
 * from the serial port and the keyboard, interrupt-driven once IRQs work.
 */
#ifndef NEXA_CONSOLE_H
#define NEXA_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(bool vga_text);
void console_putc(char c);
void console_write(const char *s, size_t n);
/* One byte as it is: "\n" without the "\r" that console_putc adds for serial. */
void console_putc_raw(char c);
void console_set_attr(uint8_t attr);	/* VGA colors; serial ignores them */

/* The last of what console_putc printed (the kernel's messages): up to n bytes
 * into dst; with dst NULL, how many bytes there are. */
size_t console_log(char *dst, size_t n);
void console_log_clear(void);

/* Queues one input character; called by the keyboard and serial IRQ handlers. */
void console_input(char c);
/* From now on every input character goes to fn instead, at interrupt time (the terminal). */
void console_set_input_hook(void (*fn)(char c));
/* What console_putc_raw shows on the screen instead of vga_putc (a terminal's escapes). */
void console_set_screen_hook(void (*fn)(char c));
/*
 * A screen that is not VGA text memory: from now on the console draws in
 * the VGA cells (vga_init_cells) and calls sync after each change, to show
 * them (the framebuffer console). sync runs with interrupts off, takes no
 * lock, and may run in a panic.
 */
void console_set_screen(void (*sync)(void));
/* From now on input arrives by interrupt: wait with hlt instead of polling. */
void console_input_irq_driven(void);

int console_getc(void);		/* waits for one input character; -1 if the waiting process is killed */

/*
 * Reads one line (without its newline) into buf, echoing it, with line
 * editing: Backspace, Ctrl-U (erase the line); escape sequences (arrow
 * keys) are ignored. Returns its length, or -1 if Ctrl-C cancelled it.
 */
int console_readline(const char *prompt, char *buf, size_t size);

#endif
