/* Running kernel self-tests by name, and reporting the heap they leak. */
#include <string.h>
#include <kprintf.h>
#include <ktest.h>
#if STAGE >= 3
#include <kmalloc.h>
#endif

extern const struct ktest __ktests_start[], __ktests_end[];

__noinline bool
ktest_run(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (strcmp(t->name, name))
			continue;
#if STAGE >= 3
		uint64_t heap = kmalloc_in_use();
#endif

		kprintf("ktest: begin %s\n", name);
		t->fn();
#if STAGE >= 3
		if (kmalloc_in_use() != heap)
			kprintf("ktest: heap leak: %ld bytes more in use than before the test\n",
				(long)(kmalloc_in_use() - heap));
#endif
		kprintf("ktest: end %s\n", name);
		return true;
	}
	kprintf("ktest: no test named \"%s\"\n", name);
	return false;
}
