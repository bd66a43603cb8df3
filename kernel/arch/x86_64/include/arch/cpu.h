/* CPU control: the only header outside arch/x86_64 sources with inline assembly. */
#ifndef NEXA_ARCH_CPU_H
#define NEXA_ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

static inline void
cpu_halt(void)
{
	__asm__ volatile("hlt");
}

static inline void
cpu_cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void
cpu_sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/* Enables interrupts and halts in one step: no wakeup can slip in between. */
static inline void
cpu_sti_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline uint64_t
read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

#define RFLAGS_CF	(1UL << 0)
#define RFLAGS_PF	(1UL << 2)
#define RFLAGS_AF	(1UL << 4)
#define RFLAGS_ZF	(1UL << 6)
#define RFLAGS_SF	(1UL << 7)
#define RFLAGS_TF	(1UL << 8)
#define RFLAGS_IF	(1UL << 9)
#define RFLAGS_DF	(1UL << 10)
#define RFLAGS_OF	(1UL << 11)
#define RFLAGS_RF	(1UL << 16)
#define RFLAGS_AC	(1UL << 18)

static inline int
interrupts_enabled(void)
{
	return (read_rflags() & RFLAGS_IF) != 0;
}

/* Saves the interrupt flag and disables interrupts; irq_restore() undoes it. */
static inline uint64_t
irq_save(void)
{
	uint64_t f = read_rflags();

	cpu_cli();
	return f;
}

static inline void
irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		cpu_sti();
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void
cpu_pause(void)
{
	__asm__ volatile("pause");
}

/* The current frame pointer: the start of a backtrace. */
static inline uint64_t
read_rbp(void)
{
	uint64_t v;

	__asm__ volatile("movq %%rbp, %0" : "=r"(v));
	return v;
}

static inline uint64_t
read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr2, %0" : "=r"(v));
	return v;
}

/* Control-register bits the kernel sets. */
#define CR0_MP		(1UL << 1)	/* wait/fwait honour TS */
#define CR0_EM		(1UL << 2)	/* no FPU: x87 instructions trap */
#define CR0_TS		(1UL << 3)	/* task switched: the next FPU use traps */
#define CR0_NE		(1UL << 5)	/* x87 errors raise #MF, not IRQ 13 */
#define CR0_WP		(1UL << 16)	/* the kernel honours read-only pages */
#define CR0_AM		(1UL << 18)	/* RFLAGS.AC enables alignment checks */
#define CR4_PGE		(1UL << 7)	/* global pages */
#define CR4_OSFXSR	(1UL << 9)	/* fxsave/fxrstor and SSE */
#define CR4_OSXMMEXCPT	(1UL << 10)	/* SIMD exceptions raise #XM */
#define CR4_SMEP	(1UL << 20)	/* the kernel cannot execute user pages */
#define CR4_SMAP	(1UL << 21)	/* ... nor touch them, unless RFLAGS.AC */

static inline uint64_t
read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr0, %0" : "=r"(v));
	return v;
}

static inline void
write_cr0(uint64_t v)
{
	__asm__ volatile("movq %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t
read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr4, %0" : "=r"(v));
	return v;
}

static inline void
write_cr4(uint64_t v)
{
	__asm__ volatile("movq %0, %%cr4" : : "r"(v) : "memory");
}

/* SMAP is on: stac/clac exist (trap.c keeps the flag for the entry code). */
extern uint8_t cpu_has_smap;

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* CPUID leaf and subleaf. */
static inline struct cpuid_regs
cpuid_count(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(sub));
	return r;
}

/* CPUID leaf (subleaf 0). */
static inline struct cpuid_regs
cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

/* A hardware random number (RDSEED if seed, else RDRAND); false if the CPU had none. */
static inline bool
cpu_random(uint64_t *v, bool seed)
{
	uint8_t ok;

	if (seed)
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	else
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

/* Bochs magic breakpoint: stops in the Bochs debugger (magic_break). */
static inline void
bochs_break(void)
{
	__asm__ volatile("xchgw %bx, %bx");
}

/* Stop this CPU for good. */
static inline void __attribute__((noreturn))
cpu_stop(void)
{
	for (;;) {
		cpu_cli();
		cpu_halt();
	}
}

/* General registers and control registers, as printed by a panic. */
struct cpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, cr0, cr2, cr3, cr4;
};

void cpu_save_regs(struct cpu_regs *r);
/* Runs fn on another stack (top: its initial rsp), then comes back. */
void call_on_stack(uint64_t top, void (*fn)(void));
void cpu_save_control_regs(struct cpu_regs *r);	/* only cr0, cr2, cr3, cr4 */
void cpu_print_regs(const struct cpu_regs *r);

#endif
