/* The VGA screen as a terminal: escape sequences drawn (drivers/vt.c, lab 5). */
#ifndef NEXA_VT_H
#define NEXA_VT_H

/* Draws c, or takes it as part of an escape sequence. */
void vt_putc(char c);
/* Where the screen's answers go (ESC [ 6 n): the terminal's input. */
void vt_set_reply(void (*fn)(char c));

#endif
