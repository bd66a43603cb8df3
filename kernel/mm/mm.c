/*
 * The memory manager's boot step (lab 3): the frame allocator, the
 * kernel's page tables, the heap; and what it adds to earlier code: the
 * guard pages that trap() and backtraces know about, the heap meter of
 * the self-tests, and the monitor's free and translate commands.
 */
#include <backtrace.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <init.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <kstring.h>
#include <ktest.h>
#include <monitor.h>
#include <pmm.h>
#include <vmm.h>
#include <arch/trapframe.h>

static bool
kernel_page_mapped(uint64_t va)
{
	return vmm_kernel_pml4() && vmm_translate(vmm_kernel_pml4(), va) != (uint64_t)-1;
}

static void
memory_init(void)
{
	bool debug = cmdline_has(boot_argc, boot_argv, "kmalloc", "debug");

	pmm_init(&boot_info);
	int paged = vmm_init();
	kmalloc_init(debug);
	pmm_set_poison(debug);		/* kmalloc=debug poisons freed frames too */
	trap_set_guard_hook(vmm_guard_hit);
	backtrace_set_stack_check(kernel_page_mapped);
	ktest_set_heap_meter(kmalloc_in_use);
	kprintf("boot: memory manager: %lu of %lu frames free, %s\n",
		pmm_free_frames(), pmm_managed_frames(),
		paged < 0 ? "boot page tables" :
		vmm_nx_enabled() ? "kernel page tables, W^X with NX" :
		"kernel page tables, no NX on this CPU");
}
INITCALL(INIT_MM, memory_init);

static int
mon_free(int argc, char **argv)
{
	struct kmalloc_stats st;

	(void)argc, (void)argv;
	kprintf("frames: %lu free of %lu (%lu KiB free)\n", pmm_free_frames(),
		pmm_managed_frames(), pmm_free_frames() * 4);
	kprintf("free blocks by order:");
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		kprintf(" %lu", pmm_free_blocks(o));
	kprintf("\n");
	kmalloc_stats(&st);
	kprintf("heap: %lu bytes in use\n", kmalloc_in_use());
	for (int c = 0; c < KMALLOC_CLASSES; c++)
		if (st.slabs[c])
			kprintf("  %4zu-byte objects: %lu in use (%lu bytes), %lu slabs\n",
				kmalloc_class_size(c), st.objects[c], st.bytes[c], st.slabs[c]);
	kprintf("  large: %lu in use (%lu bytes)\n", st.large_objects, st.large_bytes);
	return 0;
}
MONITOR_COMMAND(free, "show free physical memory and the kernel heap", mon_free);

/* Parses a hexadecimal number with or without 0x; false if it is not one. */
static bool
parse_hex(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return false;
	for (*v = 0; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (d < 0 || *v >> 60)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

static int
mon_translate(int argc, char **argv)
{
	uint64_t va;

	if (argc != 2 || !parse_hex(argv[1], &va)) {
		kprintf("usage: translate VA (hexadecimal)\n");
		return -1;
	}
	if (!vmm_kernel_pml4()) {
		kprintf("translate: still on the boot page tables\n");
		return -1;
	}
	vmm_print_walk(vmm_kernel_pml4(), va);
	return 0;
}
MONITOR_COMMAND(translate, "walk the page tables for a virtual address: translate VA",
		mon_translate);
