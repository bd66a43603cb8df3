/* What execve hands a new program: argv, envp and the auxiliary vector. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;
extern char _start[];		/* musl's entry point, in crt1.o */

static int failed;

static void
fail(const char *what)
{
	printf("args: FAIL %s\n", what);
	failed = 1;
}

/* getauxval, but an entry the kernel left out is a failure, not a 0. */
static unsigned long
aux(unsigned long type, const char *name)
{
	unsigned long v;

	errno = 0;
	v = getauxval(type);
	if (!v && errno == ENOENT) {
		printf("args: FAIL %s missing\n", name);
		failed = 1;
	}
	return v;
}

/* AT_PHDR must point at our own program headers: one of them maps us. */
static void
check_phdrs(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)aux(AT_PHDR, "AT_PHDR");
	unsigned long n = aux(AT_PHNUM, "AT_PHNUM"), i;

	for (i = 0; ph && i < n; i++)
		if (ph[i].p_type == PT_LOAD)
			break;
	if (!ph || i == n)
		fail("AT_PHDR/AT_PHNUM: no PT_LOAD among the program headers");
	else
		printf("args: AT_PHNUM ok\n");
}

static void
check_random(void)
{
	const unsigned char *r;
	int i, bits = 0;

	r = (const unsigned char *)aux(AT_RANDOM, "AT_RANDOM");
	for (i = 0; r && i < 16; i++)
		bits |= r[i];
	if (!bits)
		fail("AT_RANDOM: no 16 random bytes");
	else
		printf("args: AT_RANDOM ok\n");
}

/* AT_SYSINFO_EHDR: the vDSO, an ELF shared object. */
static void
check_vdso(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)aux(AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR");

	if (eh && !memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_type == ET_DYN)
		printf("args: AT_SYSINFO_EHDR ok\n");
	else
		fail("AT_SYSINFO_EHDR: no ELF shared object there");
}

int
main(int argc, char **argv)
{
	static const struct { int type; const char *name; } ids[] = {
		{ AT_UID, "AT_UID" }, { AT_EUID, "AT_EUID" },
		{ AT_GID, "AT_GID" }, { AT_EGID, "AT_EGID" },
	};
	const char *execfn;
	unsigned long v;
	char **e;
	int i;

	printf("args: argc %d\n", argc);
	for (i = 0; i < argc; i++)
		printf("args: argv[%d] = \"%s\"\n", i, argv[i]);
	if (argv[argc])
		fail("argv[argc] is not NULL");
	for (e = environ; *e; e++)
		printf("args: env \"%s\"\n", *e);

	v = aux(AT_PAGESZ, "AT_PAGESZ");
	printf("args: AT_PAGESZ %lu\n", v);
	if (v != 4096)
		fail("AT_PAGESZ is not 4096");
	v = aux(AT_PHENT, "AT_PHENT");
	printf("args: AT_PHENT %lu\n", v);
	if (v != sizeof(Elf64_Phdr))
		fail("AT_PHENT is not sizeof(Elf64_Phdr)");
	check_phdrs();
	v = aux(AT_ENTRY, "AT_ENTRY");
	if (v && v == (unsigned long)_start)
		printf("args: AT_ENTRY ok\n");
	else
		fail("AT_ENTRY is not _start");
	check_random();
	check_vdso();
	execfn = (const char *)aux(AT_EXECFN, "AT_EXECFN");
	if (execfn)
		printf("args: AT_EXECFN \"%s\"\n", execfn);
	for (i = 0; i < 4; i++)
		printf("args: %s %lu\n", ids[i].name,
		       aux(ids[i].type, ids[i].name));

	if (failed)
		return 1;
	printf("args: ok\n");
	return 0;
}
