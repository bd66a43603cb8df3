/* trap(): where every interrupt and exception arrives (from vectors.S). */
#include <compiler.h>
#include <arch/idt.h>
#include <irq.h>
#include <kprintf.h>
#include <ksyms.h>
#include <panic.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>

/* Set once SMAP is on (mmu.c); the entries and usercopy.S run stac/clac only then. */
uint8_t cpu_has_smap;

/* What later labs add (see trapframe.h). */
static uint64_t (*guard_hit)(uint64_t va);
static bool (*user_exception)(struct trapframe *tf, uint64_t cr2);
static void (*to_user)(struct trapframe *tf);

void
trap_set_guard_hook(uint64_t (*fn)(uint64_t va))
{
	guard_hit = fn;
}

void
trap_set_user_hooks(bool (*exception)(struct trapframe *tf, uint64_t cr2),
		    void (*leave)(struct trapframe *tf))
{
	user_exception = exception;
	to_user = leave;
}

static const char *const exception_names[32][2] = {
	{ "#DE", "divide error" }, { "#DB", "debug" }, { "NMI", "non-maskable interrupt" },
	{ "#BP", "breakpoint" }, { "#OF", "overflow" }, { "#BR", "bound range exceeded" },
	{ "#UD", "invalid opcode" }, { "#NM", "device not available" },
	{ "#DF", "double fault" }, { "#CSO", "coprocessor segment overrun" },
	{ "#TS", "invalid TSS" }, { "#NP", "segment not present" },
	{ "#SS", "stack-segment fault" }, { "#GP", "general protection" },
	{ "#PF", "page fault" }, { "#15", "reserved" }, { "#MF", "x87 floating-point" },
	{ "#AC", "alignment check" }, { "#MC", "machine check" },
	{ "#XM", "SIMD floating-point" }, { "#VE", "virtualization" },
	{ "#CP", "control protection" }, { "#22", "reserved" }, { "#23", "reserved" },
	{ "#24", "reserved" }, { "#25", "reserved" }, { "#26", "reserved" },
	{ "#27", "reserved" }, { "#HV", "hypervisor injection" },
	{ "#VC", "VMM communication" }, { "#SX", "security" }, { "#31", "reserved" },
};

const char *
exception_name(unsigned vector)
{
	return vector < 32 ? exception_names[vector][1] : "interrupt";
}

static void
trapframe_regs(const struct trapframe *tf, struct cpu_regs *r)
{
	*r = (struct cpu_regs){
		.rax = tf->rax, .rbx = tf->rbx, .rcx = tf->rcx, .rdx = tf->rdx,
		.rsi = tf->rsi, .rdi = tf->rdi, .rbp = tf->rbp, .rsp = tf->rsp,
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rip = tf->rip, .rflags = tf->rflags,
	};
	cpu_save_control_regs(r);
}

/* Prints "at rip 0x... name+0xoff" for an exact instruction address. */
static void
print_rip(uint64_t rip)
{
	uint64_t off;
	const char *name = ksym_lookup(rip, &off);

	kprintf("at rip 0x%016lx %s+0x%lx\n", rip, name ? name : "??", name ? off : 0);
}

#if SOL >= 2
/* Reports an exception; returns only for the ones the kernel survives. */
static void
exception(struct trapframe *tf)
{
	const char *mnemonic = exception_names[tf->vector][0];
	struct cpu_regs regs;

	kprintf("EXCEPTION %lu %s (%s) error 0x%lx ", tf->vector, mnemonic,
		exception_names[tf->vector][1], tf->error);
	print_rip(tf->rip);
	if (tf->vector == T_PAGE_FAULT)
		kprintf("  page fault: %s %s page at 0x%016lx (%s mode)%s\n",
			tf->error & PF_FETCH ? "instruction fetch from" :
			tf->error & PF_WRITE ? "write to" : "read from",
			tf->error & PF_PRESENT ? "a protected" : "a not-present",
			read_cr2(), tf->error & PF_USER ? "user" : "kernel",
			tf->error & PF_RSVD ? ", reserved bit set" : "");
	if (tf->vector == T_DOUBLE_FAULT)
		kprintf("  double fault: the CPU could not deliver an exception; "
			"rsp 0x%016lx (a kernel stack overflow?)\n", tf->rsp);
	uint64_t stack = guard_hit ?
		guard_hit(tf->vector == T_PAGE_FAULT ? read_cr2() : tf->rsp - 8) : 0;
	if (stack && (tf->vector == T_PAGE_FAULT || tf->vector == T_DOUBLE_FAULT))
		kprintf("  kernel stack overflow: hit the guard page below the stack at 0x%016lx\n",
			stack);
	trapframe_regs(tf, &regs);
	cpu_print_regs(&regs);
	/* A breakpoint or NMI is a report, not an error: carry on. */
	if (tf->vector == T_BREAKPOINT || tf->vector == T_NMI)
		return;
	panic("unhandled %s (%s) in kernel mode", mnemonic,
	      exception_names[tf->vector][1]);
}
#else
static void
exception(struct trapframe *tf)
{
	/* LAB 2: your code here. Name the exception, print the error code,
	 * rip (print_rip), CR2 for page faults and the registers
	 * (trapframe_regs, cpu_print_regs); carry on after #BP and NMI,
	 * panic otherwise. */
	(void)trapframe_regs, (void)print_rip, (void)exception_names;
	panic("exception %lu: trap handling not implemented", tf->vector);
}
#endif

/* NMI, double fault and machine check are the machine's, not the interrupted code's. */
static bool
machine_exception(uint64_t vector)
{
	return vector == T_NMI || vector == T_DOUBLE_FAULT || vector == T_MACHINE_CHECK;
}

void
trap(struct trapframe *tf)
{
	if (tf->vector < 32) {
		uint64_t cr2 = read_cr2();	/* before an interrupt can change it */

		/* An exception runs with interrupts on if the code it stopped had them. */
		if ((tf->rflags & RFLAGS_IF) && !machine_exception(tf->vector))
			cpu_sti();
		if (machine_exception(tf->vector) || !user_exception || !user_exception(tf, cr2))
			exception(tf);
	} else if (tf->vector < T_IRQ0 + NIRQ) {
		irq_dispatch(tf->vector - T_IRQ0, tf);
	} else if (!irq_dispatch_vector((int)tf->vector, tf)) {
		kprintf("trap: unexpected interrupt on vector %lu\n", tf->vector);
	}
	if ((tf->cs & 3) && to_user)
		to_user(tf);
}
