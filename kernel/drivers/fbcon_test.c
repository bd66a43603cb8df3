/*
 * The framebuffer console's self-test (test=fbcon): what a full-screen
 * scroll and one character cost, in TSC cycles. The screen is left full of
 * known text for the grader to read back (grade/hw.py).
 */
#include <clock.h>
#include <console.h>
#include <fbcon.h>
#include <kprintf.h>
#include <ktest.h>
#include <vga.h>
#include <arch/cpu.h>

#define SCROLLS		25


/* Row r of the pattern: 79 printable characters, different in every row. */
static void
put_pattern_row(int r)
{
	for (int i = 0; i < VGA_COLS - 1; i++)
		console_putc((char)('!' + (r * 7 + i) % 94));
}

static uint64_t
us_of(uint64_t cycles)
{
	return tsc_khz() ? cycles * 1000 / tsc_khz() : 0;
}

KTEST(fbcon)
{
	uint64_t best = ~0ULL, total = 0, t0, chr;

	if (!fbcon_active()) {
		kprintf("fbcon: no framebuffer console\n");
		return;
	}
	for (int r = 0; r < VGA_ROWS; r++) {
		put_pattern_row(r);
		console_putc('\n');
	}
	/* Every row differs from the one below it: each newline redraws all 2000 cells. */
	for (int s = 0; s < SCROLLS; s++) {
		put_pattern_row(VGA_ROWS + s);
		t0 = rdtsc();
		console_putc('\n');
		t0 = rdtsc() - t0;
		total += t0;
		if (t0 < best)
			best = t0;
	}
	t0 = rdtsc();
	put_pattern_row(0);
	chr = (rdtsc() - t0) / (VGA_COLS - 1);
	console_putc('\n');
	kprintf("fbcon: full-screen scroll %lu cycles (%lu us), best %lu; a character %lu cycles\n",
		total / SCROLLS, us_of(total / SCROLLS), best, chr);
}
