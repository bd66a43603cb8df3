/* Running kernel self-tests by name. */
#include <string.h>
#include <kprintf.h>
#include <ktest.h>

extern const struct ktest __ktests_start[], __ktests_end[];

__noinline bool
ktest_run(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		kprintf("ktest: begin %s\n", name);
		t->fn();
		kprintf("ktest: end %s\n", name);
		return true;
	}
	kprintf("ktest: no test named \"%s\"\n", name);
	return false;
}
