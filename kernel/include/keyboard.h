/* The PS/2 keyboard: scancode set 1 to console input. */
#ifndef NEXA_KEYBOARD_H
#define NEXA_KEYBOARD_H

#include <stdint.h>

#define KBD_QUEUE_SIZE	128	/* scancodes waiting for translation (seed) */

/* Sets up the 8042 controller and IRQ 1; returns -1 if there is none. */
int keyboard_init(void);

/*
 * Feeds one scancode (set 1) to the translator, which tracks Shift, Ctrl,
 * Alt, Caps Lock and the 0xE0 prefix and hands the resulting characters
 * to console_input(): letters, digits and symbols as on a US keyboard,
 * Enter "\n", Backspace "\b", Ctrl+letter 1..26, Alt+key ESC then the key,
 * arrows and the editing keys as the VT100/xterm sequences "\x1b[A" ...
 */
void keyboard_translate(uint8_t scancode);

#endif
