/* 16550 UART on COM1: the console every machine has, and the grading channel. */
#ifndef NEXA_SERIAL_H
#define NEXA_SERIAL_H

void serial_init(void);
void serial_putc(char c);
int serial_getc(void);		/* a received byte, or -1 if none is waiting */
void serial_flush(void);	/* returns when the last byte has left the wire */
int serial_irq_init(void);	/* received bytes go to console_input() from now on */

#endif
