/* The console terminal (drivers/tty.c): what other subsystems ask of it. */
#ifndef NEXA_TTY_H
#define NEXA_TTY_H

#include <stdint.h>

/* The device number of session sid's controlling terminal (0: none) and its foreground group. */
uint32_t tty_of_session(int sid, int *fg_pgrp);

#endif
