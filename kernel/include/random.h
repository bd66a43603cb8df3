/*
 * The kernel's random numbers: a ChaCha20 generator (RFC 8439's block
 * function) with fast key erasure, seeded from RDSEED/RDRAND where the
 * CPU has them and from the timing jitter of the machine; the TSC and
 * what drivers add (random_mix) keep stirring it. For AT_RANDOM,
 * /dev/urandom, /dev/random and getrandom(2).
 */
#ifndef NEXA_RANDOM_H
#define NEXA_RANDOM_H

#include <stddef.h>

void random_bytes(void *buf, size_t n);
/* Stirs data (an event's time, a key code) into the generator's key. */
void random_mix(const void *data, size_t n);

#endif
