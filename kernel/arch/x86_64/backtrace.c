/*
 * Backtraces. With -fno-omit-frame-pointer every function starts with
 * push %rbp; mov %rsp,%rbp, so the stack holds a linked list of frames:
 *
 *   rbp -> +-----------------+
 *          | caller's rbp    | ---> next frame (0 ends the list: boot.S)
 *          +-----------------+
 *   rbp+8  | return address  |  an address inside the caller
 *          +-----------------+
 */
#include <stdbool.h>
#include <backtrace.h>
#include <compiler.h>
#include <kprintf.h>
#include <ksyms.h>
#include <layout.h>
#include <arch/cpu.h>

#define BACKTRACE_MAX	64	/* frames printed at most */

/*
 * The return address of trap() in vectors.S: the next frame is the
 * interrupted one. Weak: before lab 2 there is no trap(), and it is 0.
 */
extern const char trap_return[] __attribute__((weak));

/* Whether a page of a kernel stack is mapped (registered by the memory manager). */
static bool (*stack_mapped)(uint64_t va);

void
backtrace_set_stack_check(bool (*mapped)(uint64_t va))
{
	stack_mapped = mapped;
}

/*
 * Prints frame i: "  #i rbp 0x... rip 0x... name+0xoff". rip is a return
 * address, just past the call: after a call to a noreturn function it is
 * already outside the caller, so the caller is the function at rip - 1.
 * Only an interrupted frame's rip is exact (the faulting instruction).
 */
static void
print_frame(int i, uint64_t rbp, uint64_t rip, bool exact)
{
	uint64_t off;
	const char *name = ksym_lookup(exact ? rip : rip - 1, &off);

	if (name)
		kprintf("  #%d rbp 0x%016lx rip 0x%016lx %s+0x%lx\n", i, rbp, rip,
			name, exact ? off : off + 1);
	else
		kprintf("  #%d rbp 0x%016lx rip 0x%016lx ??\n", i, rbp, rip);
}

/* A frame pointer we may follow: 8-byte aligned, in mapped kernel memory. */
static bool
frame_ok(uint64_t rbp)
{
	if (rbp & 7)
		return false;
	if (rbp >= KERNEL_VMA && rbp < KERNEL_VMA + KERNEL_IMAGE_MAX)
		return true;		/* the image: the boot stack */
	if (rbp >= HHDM_BASE && rbp < HHDM_BASE + HHDM_BOOT_SIZE - 16)
		return true;
	/* A guarded kernel stack: only its mapped pages, not the guard page. */
	if (rbp >= KSTACK_BASE && rbp < KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT)
		return stack_mapped && stack_mapped(rbp) && stack_mapped(rbp + 8);
	return false;
}

#if SOL >= 1
void
backtrace_from(uint64_t rbp)
{
	bool exact = false;

	kprintf("Stack backtrace:\n");
	for (int i = 0; i < BACKTRACE_MAX && rbp; i++) {
		if (!frame_ok(rbp)) {
			kprintf("  #%d rbp 0x%016lx: bad frame pointer, stopping\n",
				i, rbp);
			return;
		}
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t next = frame[0], rip = frame[1];

		print_frame(i, rbp, rip, exact);
		/*
		 * Callers' frames lie above their callees'; anything else is a
		 * loop, unless this is an interrupted frame: the interrupt may
		 * have switched stacks (an IST stack, or ring 3 to ring 0).
		 */
		bool interrupted = exact;
		exact = trap_return && rip == (uint64_t)trap_return;
		if (next && next <= rbp && !interrupted) {
			kprintf("  (frame chain goes backwards, stopping)\n");
			return;
		}
		rbp = next;
	}
}
#else
void
backtrace_from(uint64_t rbp)
{
	/* LAB 1: your code here. Walk the saved-rbp chain; print_frame() each. */
	(void)rbp, (void)print_frame, (void)frame_ok;
	kprintf("backtrace: not implemented\n");
}
#endif

__noinline void
backtrace_print(void)
{
	/* Our own frame's return address lies in the caller: frame #0. */
	backtrace_from(read_rbp());
}
