/* The MMU's switches: no-execute, global pages, SMEP and SMAP. */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/msr.h>

#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_EXT_NX		(1u << 20)	/* edx */
#define CPUID_STRUCT_FEATURES	7
#define CPUID_SMEP		(1u << 7)	/* ebx */
#define CPUID_SMAP		(1u << 20)	/* ebx */

bool
mmu_enable_nx(void)
{
	if (cpuid(0x80000000).eax < CPUID_EXT_FEATURES ||
	    !(cpuid(CPUID_EXT_FEATURES).edx & CPUID_EXT_NX))
		return false;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	return true;
}

void
mmu_enable_global(void)
{
	write_cr4(read_cr4() | CR4_PGE);
}

const char *
mmu_enable_user_guards(void)
{
	if (cpuid(0).eax < CPUID_STRUCT_FEATURES)
		return NULL;
	uint32_t ebx = cpuid(CPUID_STRUCT_FEATURES).ebx;

	if (ebx & CPUID_SMEP)
		write_cr4(read_cr4() | CR4_SMEP);
	if (ebx & CPUID_SMAP) {
		cpu_has_smap = 1;
		write_cr4(read_cr4() | CR4_SMAP);
	}
	return (ebx & CPUID_SMEP) && (ebx & CPUID_SMAP) ? "SMEP and SMAP" :
	       ebx & CPUID_SMEP ? "SMEP" : ebx & CPUID_SMAP ? "SMAP" : NULL;
}
