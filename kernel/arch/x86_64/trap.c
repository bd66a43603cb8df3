/* trap(): where every interrupt and exception arrives (from vectors.S). */
#include <compiler.h>
#include <idt.h>
#include <irq.h>
#include <kprintf.h>
#include <ksyms.h>
#include <layout.h>
#include <panic.h>
#include <proc.h>
#include <usercopy.h>
#include <uvm.h>
#include <vmm.h>
#include <abi.h>
#include <errno.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>

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

/* Page-fault error code bits. */
#define PF_PRESENT	0x01	/* 0: page not present; 1: protection violation */
#define PF_WRITE	0x02
#define PF_USER		0x04
#define PF_RSVD		0x08	/* a reserved bit was set in a page-table entry */
#define PF_FETCH	0x10	/* instruction fetch (no-execute) */

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
	uint64_t stack = vmm_guard_hit(tf->vector == T_PAGE_FAULT ? read_cr2() : tf->rsp - 8);
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

/* The signal Linux sends for each exception a user program causes. */
static const int exception_signals[32] = {
	[0] = SIGFPE, [1] = SIGTRAP, [3] = SIGTRAP, [4] = SIGSEGV, [5] = SIGSEGV,
	[6] = SIGILL, [7] = SIGSEGV, [10] = SIGSEGV, [11] = SIGBUS, [12] = SIGBUS,
	[13] = SIGSEGV, [14] = SIGSEGV, [16] = SIGFPE, [17] = SIGBUS, [19] = SIGFPE,
};

#if SOL >= 4
/* An exception in user mode: a page to fault in, or the end of the process. */
static void
user_exception(struct trapframe *tf)
{
	struct proc *p = proc_current();
	int sig = exception_signals[tf->vector];

	if (tf->vector == T_PAGE_FAULT && p->vm) {
		int r = uvm_fault(p->vm, read_cr2(), tf->error & PF_WRITE,
				  tf->error & PF_FETCH);
		if (r == 0)
			return;
		if (r == -ENOMEM)	/* as Linux's OOM killer would */
			proc_fault(tf, SIGKILL, "out of memory at a page fault");
	}
	proc_fault(tf, sig ? sig : SIGSEGV, exception_names[tf->vector][1]);
}

/*
 * A page fault in kernel mode inside usercopy_raw, the one place where
 * the kernel touches user memory: fault the page in if the process may
 * have it (demand zero, copy-on-write), otherwise resume at the copy's
 * fixup (-EFAULT follows). Anywhere else it is a kernel bug.
 */
static bool
kernel_fault_fixup(struct trapframe *tf)
{
	uint64_t va = read_cr2(), fixup = usercopy_fixup(tf->rip);
	struct proc *p = proc_current();

	if (!fixup)
		return false;
	if (va >= USER_TOP || !p->vm ||
	    uvm_fault(p->vm, va, tf->error & PF_WRITE, false) < 0)
		tf->rip = fixup;
	return true;
}
#else
static void
user_exception(struct trapframe *tf)
{
	/* LAB 4: your code here. Demand-page a fault the address space
	 * allows (uvm_fault); else kill the process with the signal of
	 * exception_signals (proc_fault). */
	(void)exception_signals;
	exception(tf);
}

static bool
kernel_fault_fixup(struct trapframe *tf)
{
	/* LAB 4: your code here. */
	(void)tf;
	return false;
}
#endif

extern const char usercopy_quads[], usercopy_bytes[], usercopy_quads_fault[],
	usercopy_bytes_fault[];

uint64_t
usercopy_fixup(uint64_t rip)
{
	if (rip == (uint64_t)usercopy_quads)
		return (uint64_t)usercopy_quads_fault;
	if (rip == (uint64_t)usercopy_bytes)
		return (uint64_t)usercopy_bytes_fault;
	return 0;
}

void
trap(struct trapframe *tf)
{
	bool from_user = tf->cs & 3;

	if (tf->vector < 32) {
		/* NMI, double fault and machine check are the machine's, not the program's. */
		bool machine = tf->vector == T_NMI || tf->vector == T_DOUBLE_FAULT ||
			       tf->vector == T_MACHINE_CHECK;

		if (from_user && !machine)
			user_exception(tf);
		else if (!(tf->vector == T_PAGE_FAULT && kernel_fault_fixup(tf)))
			exception(tf);
	} else if (tf->vector < T_IRQ0 + NIRQ) {
		irq_dispatch(tf->vector - T_IRQ0);
	} else {
		kprintf("trap: unexpected interrupt on vector %lu\n", tf->vector);
	}
	if (from_user)
		proc_return_to_user(tf);
}
