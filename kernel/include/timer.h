/* The periodic timer tick (the PIT; in the full tree the local APIC timer takes over). */
#ifndef NEXA_TIMER_H
#define NEXA_TIMER_H

#include <stdint.h>

#define HZ_DEFAULT	100	/* ticks per second unless the command line says hz=N */
#define HZ_MIN		19	/* the PIT's 16-bit divisor cannot go slower */
#define HZ_MAX		10000

void timer_init(unsigned hz);
/* fn runs at every tick, in the interrupt (the scheduler's clock, lab 4). */
void timer_set_hook(void (*fn)(void));
/*
 * fn runs at every tick, in the interrupt, after the hook: a driver that
 * polls its device (a USB host controller without interrupts). -ENOSPC
 * when the table is full.
 */
int timer_add_poller(void (*fn)(void));
/* One tick: ticks++, the hook, the pollers. Every tick source calls it, in the interrupt. */
void timer_tick(void);
/* Stops the PIT's tick (IRQ 0 released): another source calls timer_tick() now, timer_hz() times a second. */
void timer_pit_stop(void);
uint64_t timer_ticks(void);	/* ticks since timer_init; 0 if it is not running */
unsigned timer_hz(void);
void timer_sleep_ticks(uint64_t n);	/* halts until n more ticks have passed */
void timer_sleep_ms(uint64_t ms);

#endif
