/* ktests of the VGA screen; the grader reads the screen back from memory. */
#include <console.h>
#include <kprintf.h>
#include <ktest.h>
#include <vga.h>

/* The banner is printed at every boot; this test only ends the run. */
KTEST(banner)
{
}

KTEST(scroll)
{
	vga_clear();
	for (int i = 1; i <= 40; i++) {
		console_set_attr(VGA_ATTR(i % 15 + 1, VGA_BLACK));
		kprintf("scroll %02d\n", i);
	}
	console_set_attr(VGA_DEFAULT_ATTR);
}

KTEST(cursor)
{
	int row, col;

	vga_clear();
	for (const char *s = "abc\nde\tf\bg"; *s; s++)
		vga_putc(*s);
	vga_hw_cursor(&row, &col);
	kprintf("\ncursor: row %d col %d\n", row, col);
}
