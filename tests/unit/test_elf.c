/* elf_check: a good image built by hand, and every way to spoil it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <elf64.h>
#include <errno.h>

#define LO	0x200000UL
#define HI	0x7F0000000000UL
#define PIE	0x555555554000UL

static _Alignas(8) uint8_t img[0x3000];
static struct elf64_ehdr *eh = (struct elf64_ehdr *)img;
static struct elf64_phdr *ph = (struct elf64_phdr *)(img + 64);
static struct elf_info info;
static const char *why;

/* Text at 0x401000 (file 0x1000), data+bss at 0x402000 (file 0x2000). */
static void
good(uint16_t type)
{
	uint64_t base = type == ET_DYN ? 0 : 0x400000;

	memset(img, 0, sizeof(img));
	memcpy(eh->ident, "\x7f" "ELF\x02\x01\x01", 7);
	eh->type = type;
	eh->machine = EM_X86_64;
	eh->version = 1;
	eh->entry = base + 0x1010;
	eh->phoff = 64;
	eh->ehsize = 64;
	eh->phentsize = sizeof(struct elf64_phdr);
	eh->phnum = 3;
	ph[0] = (struct elf64_phdr){ PT_LOAD, PF_R, 0, base, base, 0x200, 0x200, 0x1000 };
	ph[1] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_X, 0x1000, base + 0x1000,
				     base + 0x1000, 0x100, 0x100, 0x1000 };
	ph[2] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_W, 0x2000, base + 0x2000,
				     base + 0x2000, 0x80, 0x5000, 0x1000 };
}

static int
check(size_t size)
{
	const struct elf64_phdr *phdrs = elf_phdrs_readable(eh, size) ?
		(const struct elf64_phdr *)(img + eh->phoff) : NULL;

	return elf_check(eh, phdrs, size, PIE, LO, HI, &info, &why);
}

static void
test_good_exec(void **state)
{
	good(ET_EXEC);
	assert_int_equal(check(sizeof(img)), 0);
	assert_int_equal(info.base, 0);
	assert_int_equal(info.entry, 0x401010);
	assert_int_equal(info.lo, 0x400000);
	assert_int_equal(info.hi, 0x407000);
	assert_int_equal(info.phdr, 0x400040);
	assert_int_equal(info.phnum, 3);
}

static void
test_good_pie(void **state)
{
	good(ET_DYN);
	assert_int_equal(check(sizeof(img)), 0);
	assert_int_equal(info.base, PIE);
	assert_int_equal(info.entry, PIE + 0x1010);
	assert_int_equal(info.phdr, PIE + 0x40);
}

#define REFUSE(setup, size) do {					\
		good(ET_EXEC);						\
		setup;							\
		assert_int_equal(check(size), -ENOEXEC);		\
		assert_non_null(why);					\
	} while (0)

static void
test_bad_headers(void **state)
{
	REFUSE((void)0, 40);					/* truncated */
	REFUSE((void)0, 64 + 56);				/* cut in the phdrs */
	REFUSE(img[1] = 'X', sizeof(img));
	REFUSE(img[4] = 1, sizeof(img));			/* ELFCLASS32 */
	REFUSE(img[5] = 2, sizeof(img));			/* big endian */
	REFUSE(eh->machine = 40, sizeof(img));			/* ARM */
	REFUSE(eh->type = 1, sizeof(img));			/* ET_REL */
	REFUSE(eh->phentsize = 16, sizeof(img));
	REFUSE(eh->phnum = 0xFFFF, sizeof(img));
	REFUSE(eh->phnum = 0, sizeof(img));
	REFUSE(eh->phoff = 0xFFFFFFFFFFFFFFF0UL, sizeof(img));	/* wraps around */
	REFUSE(eh->phoff = sizeof(img), sizeof(img));
}

static void
test_bad_segments(void **state)
{
	REFUSE(ph[2].filesz = 0x2000, sizeof(img));		/* past the file */
	REFUSE(ph[2].offset = 0xFFFFFFFFFFFFF000UL, sizeof(img));
	REFUSE(ph[2].filesz = 0x6000, sizeof(img));		/* filesz > memsz */
	REFUSE(ph[2].vaddr = 0x401000, sizeof(img));		/* overlaps text */
	REFUSE(ph[2].memsz = 1UL << 47, sizeof(img));		/* huge */
	REFUSE(ph[2].memsz = 0xFFFFFFFFFFFFFFFFUL, sizeof(img));	/* wraps */
	REFUSE(ph[1].vaddr = 0xFFFFFFFF80001000UL, sizeof(img));	/* kernel */
	REFUSE(ph[0].vaddr = 0x1000, sizeof(img));		/* below USER_BASE */
	REFUSE(ph[2].vaddr += 8, sizeof(img));			/* misaligned */
	REFUSE(ph[2].align = 0x1800, sizeof(img));
	REFUSE(eh->entry = 0x402000, sizeof(img));		/* in data, not text */
	REFUSE(eh->entry = 0x900000, sizeof(img));
	REFUSE(for (int i = 0; i < 3; i++) ph[i].type = PT_PHDR, sizeof(img));
	REFUSE(ph[0].type = PT_INTERP, sizeof(img));
	REFUSE(ph[2].flags |= PF_X, sizeof(img));		/* W^X */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_exec),
		cmocka_unit_test(test_good_pie),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_segments),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
