/* The framebuffer console (drivers/fbcon.c): VGA's cells on an RGB framebuffer. */
#ifndef NEXA_FBCON_H
#define NEXA_FBCON_H

#include <stdbool.h>

/* Whether the console draws on a framebuffer (else VGA text, or serial only). */
bool fbcon_active(void);

#endif
