/* ktest cmdline: the kernel command line as the kernel split it. */
#include <bootinfo.h>
#include <kprintf.h>
#include <ktest.h>

KTEST(cmdline)
{
	kprintf("cmdline: argc=%d\n", boot_argc);
	for (int i = 0; i < boot_argc; i++)
		kprintf("cmdline: argv[%d]=\"%s\"\n", i, boot_argv[i]);
}
