/* The console: output to serial and (when present) the VGA screen; input from serial. */
#ifndef NEXA_CONSOLE_H
#define NEXA_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(bool vga_text);
void console_putc(char c);
void console_write(const char *s, size_t n);
void console_set_attr(uint8_t attr);	/* VGA colors; serial ignores them */
bool console_has_vga(void);

int console_getc(void);		/* waits for one input character */
/* Reads one line (without its newline) into buf; returns its length. */
size_t console_readline(const char *prompt, char *buf, size_t size);

#endif
