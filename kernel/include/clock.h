/* Time: nanoseconds from the calibrated TSC, wall-clock time from the RTC. */
#ifndef NEXA_CLOCK_H
#define NEXA_CLOCK_H

#include <stdint.h>

#define NSEC_PER_SEC	1000000000UL
#define NSEC_PER_USEC	1000UL

/* Measures the TSC frequency against the PIT; returns it in kHz (0: failed). */
uint64_t tsc_calibrate(void);
/*
 * khz measured against a better clock than the PIT (the HPET, the ACPI PM
 * timer: full tree); clock_ns() goes on without a jump. Interrupts off.
 */
void tsc_set_khz(uint64_t khz);
uint64_t tsc_khz(void);
uint64_t clock_ns(void);	/* nanoseconds since tsc_calibrate() */

/* How clock_ns() turns the TSC into time: (tsc - tsc0) * mult >> shift (mult 0: no TSC). */
struct clock_params {
	uint64_t tsc0, mult;
	unsigned shift;
};
struct clock_params clock_params(void);

struct rtc_time {
	int year, month, day, hour, minute, second;
};

/* Reads the CMOS real-time clock (UTC on PCs set up by Linux and QEMU). */
void rtc_read(struct rtc_time *t);
/* Seconds since 1970-01-01 00:00:00 for an RTC time. */
uint64_t rtc_to_unix(const struct rtc_time *t);
/* Nanoseconds since 1970 (UTC): the RTC read once, then the TSC. */
uint64_t clock_realtime_ns(void);
/* A user struct timespec as nanoseconds, saturated at UINT64_MAX; -EFAULT, -EINVAL (negative, tv_nsec past a second). */
int timespec_from_user(uint64_t uts, uint64_t *ns);
/* CLOCK_REALTIME minus clock_ns(). */
uint64_t clock_realtime_offset(void);
/* The RTC's periodic interrupt (IRQ 8, 1024 Hz) calls fn; -1 if IRQ 8 is taken. */
int rtc_periodic_start(void (*fn)(void));
void rtc_periodic_stop(void);

#endif
