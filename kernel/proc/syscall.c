/*
 * The system call table and its dispatcher. Handlers register themselves
 * (SYSCALL in ksyscall.h); the table gets, for each number, the handler
 * of the highest lab enabled so far that defines it: labs 1-4 at boot,
 * a later lab once its subsystem has come up (syscalls_enable), so that
 * an unfinished lab 5 leaves lab 4's calls in place. An unknown number
 * is ENOSYS; with debug=syscall or in a DEBUG=1 build, the kernel names
 * each unknown call once.
 */
#include <bootinfo.h>
#include <cmdline.h>
#include <compiler.h>
#include <init.h>
#include <kerrno.h>
#include <kprintf.h>
#include <ksyscall.h>
#include <proc.h>

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static const struct syscall_entry *syscalls[NSYSCALLS];
static bool report_unknown;
static uint8_t reported[NSYSCALLS / 8];

void
syscalls_enable(unsigned lab)
{
	for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++)
		if (e->nr < NSYSCALLS && e->lab <= lab &&
		    (!syscalls[e->nr] || e->lab > syscalls[e->nr]->lab))
			syscalls[e->nr] = e;
}

static void
syscalls_init(void)
{
	syscalls_enable(4);
#ifdef NEXA_DEBUG
	report_unknown = true;		/* a DEBUG=1 build */
#else
	report_unknown = cmdline_debug(boot_argc, boot_argv, "syscall");
#endif
}
INITCALL(INIT_PROC, syscalls_init);

/* An unknown call: ENOSYS, and (debug=syscall) its number once per boot. */
static int64_t
unknown(uint64_t nr)
{
	if (report_unknown && nr < NSYSCALLS && !(reported[nr / 8] & (1 << nr % 8))) {
		reported[nr / 8] |= (uint8_t)(1 << nr % 8);
		kprintf("kernel: %s called system call %lu, which NexaOS lacks (ENOSYS)\n",
			proc_current()->name, nr);
	}
	return -ENOSYS;
}

#if SOL >= 4
void
syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	if (nr < NSYSCALLS && syscalls[nr])
		tf->rax = (uint64_t)syscalls[nr]->fn(tf->rdi, tf->rsi, tf->rdx, tf->r10,
						     tf->r8, tf->r9);
	else
		tf->rax = (uint64_t)unknown(nr);
	proc_return_to_user(tf);
}
#else
void
syscall_dispatch(struct trapframe *tf)
{
	/* LAB 4: your code here. Call the handler of syscalls[tf->rax] (its
	 * fn) with the arguments of the Linux convention (rdi, rsi, rdx,
	 * r10, r8, r9), put its result in tf->rax (unknown() for a number
	 * without one), then proc_return_to_user(tf). */
	(void)syscalls, (void)unknown;
	tf->rax = (uint64_t)-ENOSYS;
	proc_return_to_user(tf);
}
#endif
