/*
 * A byte ring buffer for one producer (an interrupt handler) and one
 * consumer (the code that reads input). The size is a power of two and
 * the indices run freely, so full and empty differ: head - tail == size
 * is full, head == tail empty. Pure code, also built on the host.
 */
#ifndef NEXA_RING_H
#define NEXA_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
	uint8_t *buf;
	uint32_t size;		/* a power of two */
	volatile uint32_t head;	/* next write, only the producer moves it */
	volatile uint32_t tail;	/* next read, only the consumer moves it */
	uint32_t dropped;	/* bytes lost because the ring was full */
};

#define RING_INIT(storage) { (storage), sizeof(storage), 0, 0, 0 }

bool ring_put(struct ring *r, uint8_t c);	/* false (and counted) when full */
int ring_get(struct ring *r);			/* a byte, or -1 when empty */
uint32_t ring_count(const struct ring *r);

#endif
