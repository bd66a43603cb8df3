/* The host's stand-in for the CPU header: no interrupts to mask. */
#ifndef NEXA_ARCH_CPU_H
#define NEXA_ARCH_CPU_H

#include <stdint.h>

static inline uint64_t irq_save(void) { return 0; }
static inline void irq_restore(uint64_t flags) { (void)flags; }

#endif
