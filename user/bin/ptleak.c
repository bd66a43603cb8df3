/*
 * munmap must free page tables that map nothing any more. Each step maps
 * one page a gigabyte away from the last (so it needs a page directory
 * and a page table of its own), touches it and unmaps it; free memory
 * must end where it started, not 8 KiB lower per step.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <string.h>

#define STEPS	6000
#define BASE	0x100000000000UL	/* 16 TiB: far from anything else */
#define STRIDE	(1UL << 30)
#define SLACK	(256L << 10)

static long long
free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return (long long)si.freeram * si.mem_unit;
}

int
main(void)
{
	struct utsname u;

	uname(&u);
	long long before = free_ram();
	for (long i = 0; i < STEPS; i++) {
		char *at = (char *)(BASE + (uintptr_t)i * STRIDE);
		char *p = mmap(at, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p != at) {
			printf("ptleak: FAIL mmap at step %ld\n", i);
			return 1;
		}
		*p = 1;
		munmap(p, 4096);
	}
	printf("ptleak: %d pages mapped, touched and unmapped, each in its own tables\n", STEPS);
	if (strcmp(u.sysname, "Linux")) {
		long long lost = before - free_ram();

		if (lost > SLACK) {
			printf("ptleak: FAIL %lld KiB of page tables not freed\n", lost >> 10);
			return 1;
		}
		printf("ptleak: the page tables were freed\n");
	}
	printf("ptleak: ok\n");
	return 0;
}
