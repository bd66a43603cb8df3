/* Running kernel self-tests by name, and reporting the heap they leak. */
#include <string.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <ktest.h>

extern const struct ktest __ktests_start[], __ktests_end[];

__noinline bool
ktest_run(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		uint64_t heap = kmalloc_in_use();

		kprintf("ktest: begin %s\n", name);
		t->fn();
		if (kmalloc_in_use() != heap)
			kprintf("ktest: heap leak: %ld bytes more in use than before the test\n",
				(long)(kmalloc_in_use() - heap));
		kprintf("ktest: end %s\n", name);
		return true;
	}
	kprintf("ktest: no test named \"%s\"\n", name);
	return false;
}
