/*
 * The CMOS real-time clock (MC146818), read once for the wall-clock time;
 * its periodic interrupt on IRQ 8 (behind the slave PIC) serves the tests.
 */
#include <stdbool.h>
#include <stddef.h>
#include <clock.h>
#include <irq.h>
#include <arch/cpu.h>
#include <arch/io.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0A	/* bit 7: an update is in progress */
#define RTC_STATUS_B	0x0B	/* bit 1: 24-hour mode, bit 2: binary (not BCD) */
#define RTC_STATUS_C	0x0C	/* reading it acknowledges an interrupt */
#define RTC_PIE		0x40	/* status B: periodic interrupt enable */
#define RTC_RATE_1024	0x06	/* status A rate bits: 32768 >> (6 - 1) Hz */
#define IRQ_RTC		8
#define RTC_CENTURY	0x32	/* where QEMU and most BIOSes keep it */
#define RTC_PM		0x80	/* in 12-hour mode, the hour's top bit */

static void (*periodic)(void);

static void
cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

static uint8_t
cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);	/* bit 7 clear: NMI stays enabled */
	return inb(CMOS_DATA);
}

static void
read_raw(uint8_t r[7])
{
	while (cmos_read(RTC_STATUS_A) & 0x80)
		;
	r[0] = cmos_read(RTC_SECONDS);
	r[1] = cmos_read(RTC_MINUTES);
	r[2] = cmos_read(RTC_HOURS);
	r[3] = cmos_read(RTC_DAY);
	r[4] = cmos_read(RTC_MONTH);
	r[5] = cmos_read(RTC_YEAR);
	r[6] = cmos_read(RTC_CENTURY);
}

#if SOL >= 2
/* One CMOS field: BCD (0x59 is 59) unless the clock runs in binary. */
static int
field(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0x0F);
}

/* Raw CMOS bytes to a date: BCD or binary, 12- or 24-hour, per status B. */
static void
rtc_decode(const uint8_t r[7], uint8_t status_b, struct rtc_time *t)
{
	bool binary = status_b & 0x04, h24 = status_b & 0x02;

	t->second = field(r[0], binary);
	t->minute = field(r[1], binary);
	t->hour = field(r[2] & ~RTC_PM, binary);
	t->day = field(r[3], binary);
	t->month = field(r[4], binary);
	t->year = field(r[5], binary);
	if (!h24)	/* 12 AM is hour 0, 12 PM is hour 12 */
		t->hour = t->hour % 12 + (r[2] & RTC_PM ? 12 : 0);
	int century = field(r[6], binary);
	t->year += century >= 19 && century <= 30 ? century * 100 : 2000;
}
#else
static void
rtc_decode(const uint8_t r[7], uint8_t status_b, struct rtc_time *t)
{
	/* LAB 2: your code here. Decode BCD (unless status_b bit 2) and the
	 * 12-hour clock (unless status_b bit 1); r[] is sec, min, hour, day,
	 * month, year, century. */
	(void)r, (void)status_b;
	*t = (struct rtc_time){ 0 };
}
#endif

void
rtc_read(struct rtc_time *t)
{
	uint8_t a[7], b[7];

	/* Read until two reads agree: an update may land between two bytes. */
	read_raw(a);
	for (int tries = 0; tries < 10; tries++) {
		read_raw(b);
		bool same = true;
		for (int i = 0; i < 7; i++)
			same &= a[i] == b[i];
		if (same)
			break;
		for (int i = 0; i < 7; i++)
			a[i] = b[i];
	}
	rtc_decode(a, cmos_read(RTC_STATUS_B), t);
}

uint64_t
rtc_to_unix(const struct rtc_time *t)
{
	/* Days from 1970-01-01 to the date (proleptic Gregorian calendar). */
	int y = t->year - (t->month <= 2);
	int era = y / 400;
	int yoe = y - era * 400;
	int doy = (153 * (t->month + (t->month > 2 ? -3 : 9)) + 2) / 5 + t->day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;

	return (uint64_t)(days * 86400 + t->hour * 3600 + t->minute * 60 + t->second);
}

/* Each periodic interrupt must be acknowledged, or the RTC sends no more. */
static void
rtc_irq(void)
{
	cmos_read(RTC_STATUS_C);
	if (periodic)
		periodic();
}

int
rtc_periodic_start(void (*fn)(void))
{
	periodic = fn;
	if (irq_register(IRQ_RTC, rtc_irq) < 0)
		return -1;
	uint64_t flags = irq_save();
	cmos_write(RTC_STATUS_A, (cmos_read(RTC_STATUS_A) & 0xF0) | RTC_RATE_1024);
	cmos_write(RTC_STATUS_B, cmos_read(RTC_STATUS_B) | RTC_PIE);
	cmos_read(RTC_STATUS_C);
	irq_restore(flags);
	return 0;
}

void
rtc_periodic_stop(void)
{
	uint64_t flags = irq_save();
	cmos_write(RTC_STATUS_B, cmos_read(RTC_STATUS_B) & ~RTC_PIE);
	cmos_read(RTC_STATUS_C);
	irq_restore(flags);
	irq_unregister(IRQ_RTC);
	periodic = NULL;
}

uint64_t
clock_realtime_offset(void)
{
	static uint64_t boot;	/* the wall-clock time when clock_ns() was 0 */

	if (!boot) {
		struct rtc_time t;

		rtc_read(&t);
		boot = rtc_to_unix(&t) * NSEC_PER_SEC - clock_ns();
	}
	return boot;
}

uint64_t
clock_realtime_ns(void)
{
	return clock_realtime_offset() + clock_ns();
}
