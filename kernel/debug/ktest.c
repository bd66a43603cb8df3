/* Running kernel self-tests by name (test=NAME), and reporting the heap they leak. */
#include <kstring.h>
#include <init.h>
#include <kprintf.h>
#include <ktest.h>
#include <power.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static uint64_t (*heap_in_use)(void);	/* the heap's meter, once there is a heap */

void
ktest_set_heap_meter(uint64_t (*in_use)(void))
{
	heap_in_use = in_use;
}

__noinline bool
ktest_run(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		uint64_t heap = heap_in_use ? heap_in_use() : 0;

		kprintf("ktest: begin %s\n", name);
		t->fn();
		if (heap_in_use && heap_in_use() != heap)
			kprintf("ktest: heap leak: %ld bytes more in use than before the test\n",
				(long)(heap_in_use() - heap));
		kprintf("ktest: end %s\n", name);
		return true;
	}
	kprintf("ktest: no test named \"%s\"\n", name);
	return false;
}

/* test=NAME: run one self-test, then power off saying how it went. */
static void
run_test(const char *name)
{
	power_off(ktest_run(name) ? POWER_OK : POWER_FAIL);
}
BOOT_ACTION(1, "test", run_test);
