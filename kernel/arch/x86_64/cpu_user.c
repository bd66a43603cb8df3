/*
 * What the CPU needs for user mode: syscall/sysret (STAR, LSTAR, FMASK),
 * the per-CPU area behind GS, the FPU and SSE (user programs use SSE;
 * the kernel is built without it), and the alignment check that turns
 * a misaligned access with RFLAGS.AC into SIGBUS, as on Linux.
 */
#include <kstring.h>
#include <kprintf.h>
#include <arch/gdt.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/trapframe.h>

/* rflags bits syscall clears: TF, IF, DF, IOPL, NT, AC (as Linux). */
#define SYSCALL_FMASK	0x47700UL
#define MXCSR_DEFAULT	0x1F80	/* every SIMD exception masked, round to nearest */

struct percpu cpu0;
static uint8_t fpu_clean[512] __attribute__((aligned(16)));

extern char syscall_entry[];

void
cpu_user_init(void)
{
	/* x87 errors as #MF (SIGFPE), not the old IRQ 13 route. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE | CR0_AM);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	fpu_load_clean();
	fpu_save(fpu_clean);	/* the same state as an image, for fpu_init_state */
	const char *guards = mmu_enable_user_guards();
	if (guards)
		kprintf("boot: %s on: the kernel keeps out of user memory\n", guards);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* sysret loads CS from STAR[63:48] + 16 and SS from + 8. */
	wrmsr(MSR_STAR, (uint64_t)USER_CS32 << 48 | (uint64_t)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void
cpu_switch_user_state(uint64_t kstack_top, uint64_t fs_base, uint64_t gs_base)
{
	cpu0.kernel_rsp = kstack_top;
	tss_set_rsp0(kstack_top);
	wrmsr(MSR_FS_BASE, fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, gs_base);
}

void
fpu_save(void *area)
{
	__asm__ volatile("fxsaveq (%0)" : : "r"(area) : "memory");
}

void
fpu_restore(const void *area)
{
	__asm__ volatile("fxrstorq (%0)" : : "r"(area) : "memory");
}

/*
 * Loads the clean state into the FPU without reading memory (faster than
 * an fxrstor, under TCG by far): x87 initialized with zeros in its
 * registers, MXCSR's default, every XMM register zero.
 */
void
fpu_load_clean(void)
{
	static const uint32_t mxcsr = MXCSR_DEFAULT;

	__asm__ volatile("fninit\n\t"
			 "fldz; fldz; fldz; fldz; fldz; fldz; fldz; fldz\n\t"
			 "fninit\n\t"
			 "ldmxcsr %0\n\t"
			 "pxor %%xmm0, %%xmm0; pxor %%xmm1, %%xmm1; pxor %%xmm2, %%xmm2\n\t"
			 "pxor %%xmm3, %%xmm3; pxor %%xmm4, %%xmm4; pxor %%xmm5, %%xmm5\n\t"
			 "pxor %%xmm6, %%xmm6; pxor %%xmm7, %%xmm7; pxor %%xmm8, %%xmm8\n\t"
			 "pxor %%xmm9, %%xmm9; pxor %%xmm10, %%xmm10; pxor %%xmm11, %%xmm11\n\t"
			 "pxor %%xmm12, %%xmm12; pxor %%xmm13, %%xmm13; pxor %%xmm14, %%xmm14\n\t"
			 "pxor %%xmm15, %%xmm15"
			 : : "m"(mxcsr) : "memory");
}

void
fpu_init_state(void *area)
{
	memcpy(area, fpu_clean, sizeof(fpu_clean));
}
