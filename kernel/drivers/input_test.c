/* ktests of the timer and of console input (keyboard and serial). */
#include <clock.h>
#include <console.h>
#include <kprintf.h>
#include <ktest.h>
#include <param.h>
#include <timer.h>
#include <kstring.h>

/* Prints s with everything but printable ASCII as \xNN. */
static void
print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= ' ' && c < 0x7F && c != '"' && c != '\\')
			kprintf("%c", c);
		else
			kprintf("\\x%02x", c);
	}
}

/*
 * Counts timer ticks across one second of the RTC, a clock the PIT does
 * not drive, and times a sleep with the TSC.
 */
KTEST(timer)
{
	struct rtc_time t;
	int sec;

	if (!timer_ticks()) {
		kprintf("timer: not running\n");
		return;
	}
	kprintf("timer: hz=%u tsc=%lu kHz\n", timer_hz(), tsc_khz());
	rtc_read(&t);
	sec = t.second;
	do
		rtc_read(&t);
	while (t.second == sec);	/* a second boundary */
	uint64_t start = timer_ticks();
	sec = t.second;
	do {
		timer_sleep_ticks(1);
		rtc_read(&t);
	} while (t.second == sec);
	kprintf("timer: %lu ticks in one RTC second\n", timer_ticks() - start);
	uint64_t ns = clock_ns();
	timer_sleep_ms(200);
	kprintf("timer: sleep 200 ms took %lu ms by the TSC\n",
		(clock_ns() - ns) / 1000000);
}

/* Prints every character typed until a '.', escaped. */
KTEST(keys)
{
	char buf[CONSOLE_LINE_MAX];
	size_t n = 0;
	int c;

	kprintf("keys: ready\n");
	while ((c = console_getc()) != '.' && n < sizeof(buf))
		buf[n++] = (char)c;
	kprintf("keys: \"");
	print_escaped(buf, n);
	kprintf("\"\n");
}

/* Reads edited lines until one says "end". */
KTEST(lines)
{
	char buf[CONSOLE_LINE_MAX];
	int n;

	kprintf("lines: ready\n");
	do {
		n = console_readline("> ", buf, sizeof(buf));
		if (n < 0) {
			kprintf("line: cancelled\n");
			continue;
		}
		kprintf("line: \"");
		print_escaped(buf, (size_t)n);
		kprintf("\"\n");
	} while (n < 0 || strcmp(buf, "end"));
}
