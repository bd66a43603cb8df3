/* 16550 UART driver for COM1: polled output, input polled or on IRQ 4. */
#include <console.h>
#include <serial.h>
#include <arch/io.h>
#include <irq.h>

#define COM1		0x3F8
#define UART_DATA	0	/* DLAB=0: receive/transmit buffer */
#define UART_IER	1	/* DLAB=0: interrupt enable */
#define UART_DLL	0	/* DLAB=1: divisor latch, low byte */
#define UART_DLM	1	/* DLAB=1: divisor latch, high byte */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define MCR_DTR_RTS	0x03
#define MCR_OUT2	0x08	/* gates the UART's IRQ line on PCs */
#define IER_RX		0x01	/* interrupt when a byte arrives */
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LSR_TEMT	0x40	/* transmitter completely empty */

#define UART_CLOCK	115200
#define BAUD		115200

static int serial_ok;

void
serial_init(void)
{
	uint16_t div = UART_CLOCK / BAUD;

	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, div & 0xFF);
	outb(COM1 + UART_DLM, div >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);
	outb(COM1 + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	/* A missing UART reads back 0xFF: do not wait on it forever. */
	serial_ok = inb(COM1 + UART_LSR) != 0xFF;
}

void
serial_putc(char c)
{
	if (!serial_ok)
		return;
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

int
serial_getc(void)
{
	if (!serial_ok || !(inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + UART_DATA);
}

void
serial_flush(void)
{
	if (!serial_ok)
		return;
	while (!(inb(COM1 + UART_LSR) & LSR_TEMT))
		;
}

static void
serial_irq(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DR)
		console_input((char)inb(COM1 + UART_DATA));
}

int
serial_irq_init(void)
{
	if (!serial_ok || irq_register(IRQ_COM1, serial_irq) < 0)
		return -1;
	outb(COM1 + UART_IER, IER_RX);
	return 0;
}
