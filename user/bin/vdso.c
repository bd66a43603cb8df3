/*
 * The vDSO: found the way libc finds it (AT_SYSINFO_EHDR, the dynamic
 * symbols, version LINUX_2.6), and its clocks agree with the kernel's:
 * a vDSO reading lies between two system-call readings, for each clock.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

static void
check(int ok, const char *what)
{
	printf("vdso: %s %s\n", what, ok ? "ok" : "FAIL");
	failed |= !ok;
}

/* The address of a vDSO function with version LINUX_2.6, or NULL. */
static void *
vdso_sym(const char *name)
{
	const unsigned char *base = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const void *)base;
	const Elf64_Phdr *ph = (const void *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	uintptr_t bias = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !bias)
			bias = (uintptr_t)base + ph[i].p_offset - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(base + ph[i].p_offset);
	}
	const Elf64_Sym *syms = NULL;
	const char *strs = NULL;
	const uint32_t *hash = NULL;
	const uint16_t *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		void *p = (void *)(bias + dyn->d_un.d_ptr);
		switch (dyn->d_tag) {
		case DT_SYMTAB: syms = p; break;
		case DT_STRTAB: strs = p; break;
		case DT_HASH: hash = p; break;
		case DT_VERSYM: versym = p; break;
		case DT_VERDEF: verdef = p; break;
		}
	}
	if (!syms || !strs || !hash || !versym || !verdef)
		return NULL;
	for (uint32_t i = 0; i < hash[1]; i++) {
		if (ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC || !syms[i].st_shndx ||
		    strcmp(strs + syms[i].st_name, name))
			continue;
		const Elf64_Verdef *d = verdef;
		for (;; d = (const void *)((const char *)d + d->vd_next)) {
			if ((d->vd_ndx & 0x7fff) == (versym[i] & 0x7fff)) {
				const Elf64_Verdaux *a = (const void *)((const char *)d + d->vd_aux);
				if (!strcmp(strs + a->vda_name, "LINUX_2.6"))
					return (void *)(bias + syms[i].st_value);
				break;
			}
			if (!d->vd_next)
				break;
		}
	}
	return NULL;
}

static int64_t
ns(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(void)
{
	int (*cgt)(clockid_t, struct timespec *) = vdso_sym("__vdso_clock_gettime");
	int (*gtod)(struct timeval *, void *) = vdso_sym("__vdso_gettimeofday");
	time_t (*tm)(time_t *) = vdso_sym("__vdso_time");
	int (*getcpu)(unsigned *, unsigned *, void *) = vdso_sym("__vdso_getcpu");

	check(cgt && gtod && tm && getcpu, "__vdso_clock_gettime, gettimeofday, time, getcpu "
	      "(LINUX_2.6) found");
	if (failed)
		return 1;
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					    CLOCK_MONOTONIC_RAW };
	for (unsigned c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		int ordered = 1;

		for (int i = 0; i < 1000; i++) {
			struct timespec a, b, k;

			syscall(SYS_clock_gettime, clocks[c], &a);
			cgt(clocks[c], &b);
			syscall(SYS_clock_gettime, clocks[c], &k);
			ordered &= ns(a) <= ns(b) && ns(b) <= ns(k);
		}
		char what[64];
		snprintf(what, sizeof(what), "clock %d: the vDSO's time lies between the kernel's",
			 (int)clocks[c]);
		check(ordered, what);
	}
	struct timespec t, cpu;
	check(cgt(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && cpu.tv_sec >= 0,
	      "a CPU clock goes through to the kernel");
	check(cgt(12345, &t) == -22, "an unknown clock -> -EINVAL");
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &t);
	check(gtod(&tv, NULL) == 0 && tv.tv_sec - t.tv_sec <= 1 && tv.tv_sec >= t.tv_sec,
	      "gettimeofday agrees with CLOCK_REALTIME");
	time_t s = tm(NULL);
	check(s >= t.tv_sec && s - t.tv_sec <= 1, "time agrees with CLOCK_REALTIME");
	struct timespec before;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &before);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec c;
		_exit(cgt(CLOCK_MONOTONIC, &c) == 0 && ns(c) >= ns(before) ? 0 : 1);
	}
	int st = 1;
	waitpid(pid, &st, 0);
	check(st == 0, "a forked child has the vDSO too");
	unsigned cpu_no = 99, node = 99;
	check(getcpu(&cpu_no, &node, NULL) == 0 && cpu_no < 1024 && node < 64, "getcpu");
	if (failed) {
		printf("vdso: FAIL\n");
		return 1;
	}
	printf("vdso: ok\n");
	return 0;
}
