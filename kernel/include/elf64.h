/*
 * ELF64 executables: the header checks of the loader. Pure code (also
 * built on the host): elf_check() decides whether an image is one the
 * kernel can run, before anything is mapped.
 */
#ifndef NEXA_ELF64_H
#define NEXA_ELF64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_PHDR		6
#define PT_GNU_STACK	0x6474E551
#define PF_X		1
#define PF_W		2
#define PF_R		4

#define ELF_MAX_PHDRS	64		/* more program headers than this: refused */

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* What elf_check() found: where the image goes once loaded. */
struct elf_info {
	uint64_t base;		/* load bias: 0 for ET_EXEC, chosen for ET_DYN */
	uint64_t entry;		/* after the bias */
	uint64_t lo, hi;	/* the page range the segments cover, biased */
	uint64_t phdr;		/* the program headers' address in memory, or 0 */
	uint16_t phnum;
};

/*
 * Whether eh's program headers can be read: the right size and number,
 * inside a file of size bytes. The loader reads them only then (and
 * elf_check refuses the file otherwise).
 */
bool elf_phdrs_readable(const struct elf64_ehdr *eh, size_t size);

/*
 * Checks a file of size bytes, whose ELF header is eh and program headers
 * phdrs (NULL if they could not be read), as an ELF64 x86-64 executable
 * that the kernel can load at bias pie_base if it is position
 * independent, and that fits into [user_lo, user_hi). Returns 0 and fills
 * info, or -ENOEXEC; *why then says what was wrong.
 */
int elf_check(const struct elf64_ehdr *eh, const struct elf64_phdr *phdrs, size_t size,
	      uint64_t pie_base, uint64_t user_lo, uint64_t user_hi, struct elf_info *info,
	      const char **why);

#endif
