/* Model-specific registers: the numbers and bits the kernel uses. */
#ifndef NEXA_ARCH_MSR_H
#define NEXA_ARCH_MSR_H

#define MSR_EFER		0xC0000080
#define MSR_STAR		0xC0000081	/* syscall/sysret segments */
#define MSR_LSTAR		0xC0000082	/* the 64-bit syscall entry */
#define MSR_FMASK		0xC0000084	/* rflags bits syscall clears */
#define MSR_FS_BASE		0xC0000100
#define MSR_GS_BASE		0xC0000101
#define MSR_KERNEL_GS_BASE	0xC0000102	/* swapgs exchanges it with GS_BASE */

#define EFER_SCE		(1 << 0)	/* syscall/sysret */
#define EFER_LME		(1 << 8)	/* long mode */
#define EFER_NXE		(1 << 11)	/* the no-execute bit in page tables */

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
#endif

#endif
