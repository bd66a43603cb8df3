/*
 * ELF64 header and program-header checks (see elf.h). Everything an
 * image says is distrusted: offsets and sizes are checked for overflow
 * against the file and the address space before anything uses them.
 */
#include <stdbool.h>
#include <elf64.h>
#include <kerrno.h>

#define PAGE		4096UL

static bool
add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

bool
elf_phdrs_readable(const struct elf64_ehdr *eh, size_t size)
{
	uint64_t phend;

	return eh->phentsize == sizeof(struct elf64_phdr) && eh->phnum &&
	       eh->phnum <= ELF_MAX_PHDRS && eh->phoff % 8 == 0 &&
	       !add_overflows(eh->phoff, (uint64_t)eh->phnum * eh->phentsize, &phend) &&
	       phend <= size;
}

static int
bad(const char **why, const char *what)
{
	*why = what;
	return -ENOEXEC;
}

/* Checks one PT_LOAD header against the file and the user range. */
static int
check_load(const struct elf64_phdr *ph, size_t size, uint64_t bias, uint64_t lo,
	   uint64_t hi, const char **why)
{
	uint64_t end, vend;

	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return bad(why, "a segment is both writable and executable (W^X)");
	if (ph->filesz > ph->memsz)
		return bad(why, "a segment's file size exceeds its memory size");
	if (add_overflows(ph->offset, ph->filesz, &end) || end > size)
		return bad(why, "a segment lies outside the file");
	if (ph->align > 1 && (ph->align & (ph->align - 1)))
		return bad(why, "a segment's alignment is not a power of two");
	if ((ph->vaddr - ph->offset) % PAGE)
		return bad(why, "a segment's address and file offset disagree modulo the page size");
	if (add_overflows(ph->vaddr, bias, &vend) || add_overflows(vend, ph->memsz, &vend))
		return bad(why, "a segment's address range overflows");
	if (ph->vaddr + bias < lo || vend > hi)
		return bad(why, "a segment lies outside user space");
	return 0;
}

int
elf_check(const struct elf64_ehdr *eh, const struct elf64_phdr *phdrs, size_t size,
	  uint64_t pie_base, uint64_t user_lo, uint64_t user_hi, struct elf_info *info,
	  const char **why)
{
	uint64_t phend;
	bool entry_ok = false;

	if (size < sizeof(*eh))
		return bad(why, "shorter than an ELF header");
	if (eh->ident[0] != 0x7F || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
	    eh->ident[3] != 'F')
		return bad(why, "not an ELF file");
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return bad(why, "not a 64-bit little-endian ELF file");
	if (eh->machine != EM_X86_64)
		return bad(why, "not an x86-64 program");
	if (eh->type != ET_EXEC && eh->type != ET_DYN)
		return bad(why, "not an executable");
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return bad(why, "bad program header size");
	if (eh->phnum == 0 || eh->phnum > ELF_MAX_PHDRS)
		return bad(why, "bad number of program headers");
	if (add_overflows(eh->phoff, (uint64_t)eh->phnum * eh->phentsize, &phend) ||
	    phend > size || eh->phoff % 8 || !phdrs)
		return bad(why, "program headers outside the file");

	uint64_t bias = eh->type == ET_DYN ? pie_base : 0;
	*info = (struct elf_info){ .base = bias, .lo = UINT64_MAX, .phnum = eh->phnum };
	/* PT_LOAD headers must come sorted, and their pages must not overlap. */
	uint64_t prev_end = 0;
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (ph->type == PT_INTERP)
			return bad(why, "dynamically linked (needs an interpreter)");
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		int r = check_load(ph, size, bias, user_lo, user_hi, why);
		if (r < 0)
			return r;
		uint64_t start = (ph->vaddr + bias) & ~(PAGE - 1);
		uint64_t end = (ph->vaddr + bias + ph->memsz + PAGE - 1) & ~(PAGE - 1);
		if (start < prev_end)
			return bad(why, "segments overlap or are not sorted");
		prev_end = end;
		if (start < info->lo)
			info->lo = start;
		if (end > info->hi)
			info->hi = end;
		uint64_t e = eh->entry + bias;
		if ((ph->flags & PF_X) && e >= ph->vaddr + bias && e < ph->vaddr + bias + ph->memsz)
			entry_ok = true;
		/* The program headers, if a loaded segment holds them. */
		if (eh->phoff >= ph->offset && phend <= ph->offset + ph->filesz)
			info->phdr = ph->vaddr + bias + (eh->phoff - ph->offset);
	}
	if (info->lo == UINT64_MAX)
		return bad(why, "nothing to load");
	if (!entry_ok)
		return bad(why, "the entry point is in no executable segment");
	info->entry = eh->entry + bias;
	return 0;
}
