/* Byte ring buffers (see ring.h). */
#include <ring.h>

bool
ring_put(struct ring *r, uint8_t c)
{
	if (r->head - r->tail == r->size) {
		r->dropped++;
		return false;
	}
	r->buf[r->head & (r->size - 1)] = c;
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* data before index */
	r->head++;
	return true;
}

int
ring_get(struct ring *r)
{
	if (r->head == r->tail)
		return -1;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint8_t c = r->buf[r->tail & (r->size - 1)];
	r->tail++;
	return c;
}

uint32_t
ring_count(const struct ring *r)
{
	return r->head - r->tail;
}
