/*
 * Exceptions that concern user programs (lab 4): a fault in user mode
 * demand-pages or ends the process with Linux's signal; a page fault in
 * kernel mode inside usercopy_raw is the kernel touching user memory for
 * a system call.
 */
#include <abi.h>
#include <init.h>
#include <kerrno.h>
#include <arch/idt.h>
#include <layout.h>
#include <proc.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>

/* The signal Linux sends for each exception a user program causes. */
static const int exception_signals[32] = {
	[0] = SIGFPE, [1] = SIGTRAP, [3] = SIGTRAP, [4] = SIGSEGV, [5] = SIGSEGV,
	[6] = SIGILL, [7] = SIGSEGV, [10] = SIGSEGV, [11] = SIGBUS, [12] = SIGBUS,
	[13] = SIGSEGV, [14] = SIGSEGV, [16] = SIGFPE, [17] = SIGBUS, [19] = SIGFPE,
};

#if SOL >= 4
/* An exception in user mode: a page to fault in, or the end of the process. */
static bool
user_exception(struct trapframe *tf, uint64_t cr2)
{
	struct proc *p = proc_current();
	int sig = exception_signals[tf->vector];

	if (tf->vector == T_PAGE_FAULT && p->vm) {
		int r = uvm_fault(p->vm, cr2, tf->error & PF_WRITE, tf->error & PF_FETCH);

		p->minflt++;
		if (r == 0)
			return true;
		if (r == -ENOMEM) {
			oom_kill();	/* someone dies; then the access runs again */
			return true;
		}
		if (r == -EIO)
			sig = SIGBUS;	/* a mapped file's page past its end (lab 5) */
	}
	proc_fault(tf, cr2, sig ? sig : SIGSEGV, exception_name(tf->vector));
	return true;		/* a handler takes it (lab 6): the process runs on */
}

/*
 * A page fault in kernel mode inside usercopy_raw, the one place where
 * the kernel touches user memory: fault the page in if the process may
 * have it (demand zero, copy-on-write), otherwise resume at the copy's
 * fixup (-EFAULT follows). Anywhere else it is a kernel bug.
 */
static bool
kernel_fault_fixup(struct trapframe *tf, uint64_t va)
{
	uint64_t fixup = usercopy_fixup(tf->rip);
	struct proc *p = proc_current();

	if (!fixup)
		return false;
	if (va >= USER_TOP || !p->vm ||
	    uvm_fault(p->vm, va, tf->error & PF_WRITE, false) < 0)
		tf->rip = fixup;
	return true;
}
#else
static bool
user_exception(struct trapframe *tf, uint64_t cr2)
{
	/* LAB 4: your code here. Demand-page a fault the address space
	 * allows (uvm_fault); when memory runs out, oom_kill() and let the
	 * access run again; else kill the process with the signal of
	 * exception_signals (proc_fault), or SIGBUS when uvm_fault says
	 * -EIO (a mapped file's page past its end, from lab 5 on). From lab
	 * 6 on proc_fault returns when a handler takes the signal. */
	(void)exception_signals, (void)cr2;
	return false;
}

static bool
kernel_fault_fixup(struct trapframe *tf, uint64_t va)
{
	/* LAB 4: your code here. */
	(void)tf, (void)va;
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

/* An exception that concerns user memory; false: the kernel's own. */
static bool
trap_user_fault(struct trapframe *tf, uint64_t cr2)
{
	if (tf->cs & 3)
		return user_exception(tf, cr2);
	return tf->vector == T_PAGE_FAULT && kernel_fault_fixup(tf, cr2);
}

static void
trap_user_init(void)
{
	trap_set_user_hooks(trap_user_fault, proc_return_to_user);
}
INITCALL(INIT_PROC, trap_user_init);
