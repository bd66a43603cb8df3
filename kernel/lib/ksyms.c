/* Address-to-symbol lookup. ksym_find() is pure and built on the host too. */
#include <ksyms.h>

const char *
ksym_find(const struct ksym_table *t, uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi = t->count;

	/* Find the last symbol with syms[i].addr <= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym *s = &t->syms[lo - 1];
	uint64_t end = s->size ? s->addr + s->size :
		lo < t->count ? t->syms[lo].addr : s->addr + 1;
	if (addr >= end)
		return NULL;
	*off = addr - s->addr;
	return t->names + s->name;
}

#ifndef HOST_TEST
/* Defined by the generated build/ksyms.S; absent (NULL) in the first link. */
extern const struct ksym ksym_syms[] __attribute__((weak));
extern const uint64_t ksym_count __attribute__((weak));
extern const char ksym_names[] __attribute__((weak));

const char *
ksym_lookup(uint64_t addr, uint64_t *off)
{
	if (!&ksym_count)
		return NULL;
	struct ksym_table t = { ksym_syms, ksym_count, ksym_names };
	return ksym_find(&t, addr, off);
}
#endif
