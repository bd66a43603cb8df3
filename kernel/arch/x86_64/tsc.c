/*
 * The time-stamp counter, calibrated against PIT channel 2 (the speaker
 * channel, whose output we can poll in port 0x61): count TSC cycles while
 * the PIT counts down 10 ms, three times. Under QEMU's software emulation the TSC runs
 * on virtual time, so the result is whatever QEMU pretends, consistently.
 */
#include <clock.h>
#include <arch/cpu.h>
#include <arch/io.h>

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_CH2_ONESHOT	0xB0	/* channel 2, low then high byte, mode 0 */
#define PORT_B		0x61	/* bit 0: channel 2 gate, 1: speaker, 5: channel 2 out */
#define CALIBRATE_MS	10
#define CALIBRATE_RUNS	3
#define MULT_SHIFT	32	/* mult is ns per cycle in 32.32 fixed point */

static uint64_t khz, mult, tsc0;

/* TSC cycles while PIT channel 2 counts down CALIBRATE_MS; 0 if it never ends. */
static uint64_t
measure(void)
{
	uint32_t count = PIT_HZ / (1000 / CALIBRATE_MS);
	uint64_t start;
	long spins = 0;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	start = rdtsc();
	while (!(inb(PORT_B) & 0x20))
		if (++spins > 100000000)
			return 0;	/* no PIT */
	return rdtsc() - start;
}

/*
 * The fastest of a few runs: a run can only come out too long (the
 * emulator's thread was descheduled while the PIT ran out), never too
 * short, so the minimum is the best estimate on a loaded host.
 */
uint64_t
tsc_calibrate(void)
{
	uint64_t best = 0;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t c = measure();

		if (!c)
			return 0;
		if (!best || c < best)
			best = c;
	}
	khz = best / CALIBRATE_MS;
	if (!khz)
		return 0;
	mult = (1000000ULL << MULT_SHIFT) / khz;
	tsc0 = rdtsc();
	return khz;
}

void
tsc_set_khz(uint64_t new_khz)
{
	uint64_t now = rdtsc();
	uint64_t ns = clock_ns();

	if (!new_khz)
		return;
	/* clock_ns() goes on from ns at now, at the new rate. */
	khz = new_khz;
	mult = (1000000ULL << MULT_SHIFT) / khz;
	tsc0 = now - (ns / NSEC_PER_SEC * khz * 1000 + ns % NSEC_PER_SEC * khz / 1000000);
}

uint64_t
tsc_khz(void)
{
	return khz;
}

uint64_t
clock_ns(void)
{
	if (!khz)
		return 0;
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc0) * mult) >> MULT_SHIFT);
}

struct clock_params
clock_params(void)
{
	return (struct clock_params){ tsc0, khz ? mult : 0, MULT_SHIFT };
}
