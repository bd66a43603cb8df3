/* CPU control: the only header outside arch/x86_64 sources with inline assembly. */
#ifndef NEXA_ARCH_CPU_H
#define NEXA_ARCH_CPU_H

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

#define RFLAGS_IF	(1UL << 9)

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
