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
 * Prints frame i: "  #i rbp 0x... rip 0x... name+0xoff". rip is a return
 * address, just past the call: after a call to a noreturn function it is
 * already outside the caller, so the caller is the function at rip - 1.
 */
static void
print_frame(int i, uint64_t rbp, uint64_t rip)
{
	uint64_t off;
	const char *name = ksym_lookup(rip - 1, &off);

	if (name)
		kprintf("  #%d rbp 0x%016lx rip 0x%016lx %s+0x%lx\n", i, rbp, rip,
			name, off + 1);
	else
		kprintf("  #%d rbp 0x%016lx rip 0x%016lx ??\n", i, rbp, rip);
}

/* A frame pointer we may follow: kernel half, 8-byte aligned. */
static bool
frame_ok(uint64_t rbp)
{
	return rbp >= HHDM_BASE && (rbp & 7) == 0 && rbp + 16 > rbp;
}

#if SOL >= 1
void
backtrace_from(uint64_t rbp)
{
	kprintf("Stack backtrace:\n");
	for (int i = 0; i < BACKTRACE_MAX && rbp; i++) {
		if (!frame_ok(rbp)) {
			kprintf("  #%d rbp 0x%016lx: bad frame pointer, stopping\n",
				i, rbp);
			return;
		}
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t next = frame[0];

		print_frame(i, rbp, frame[1]);
		/* Frames grow toward higher addresses; anything else is a loop. */
		if (next && next <= rbp) {
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
