/*
 * The GDT and the TSS. In long mode segments are almost flat; what still
 * matters is the code segment's L bit and DPL, and the TSS, which holds
 * RSP0 (the kernel stack for interrupts from ring 3) and the interrupt
 * stack table: separate stacks the CPU switches to for chosen vectors,
 * so that a double fault on a broken stack still has somewhere to run.
 */
#include <stddef.h>
#include <kstring.h>
#include <compiler.h>
#include <arch/gdt.h>

#define IST_STACK_SIZE	8192

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

static struct tss tss;
static uint8_t ist_stacks[2][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Access byte | flags: P, DPL, S, type; G and L/D in the flags nibble. */
#define SEG_CODE64(dpl)	(0x00209A0000000000UL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)	(0x0000920000000000UL | ((uint64_t)(dpl) << 45))

static uint64_t gdt[8] = {
	[KERNEL_CS / 8] = SEG_CODE64(0),
	[KERNEL_DS / 8] = SEG_DATA(0),
	[USER_DS / 8] = SEG_DATA(3),
	[USER_CS / 8] = SEG_CODE64(3),
	/* [TSS_SEL / 8] and the next slot: the 16-byte TSS descriptor */
};

static struct {
	uint16_t limit;
	uint64_t base;
} __packed gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

static void
set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[TSS_SEL / 8] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 |
			   0x89UL << 40 |	/* present, 64-bit TSS (available) */
			   ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	gdt[TSS_SEL / 8 + 1] = base >> 32;
}

void
gdt_init(void)
{
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uint64_t)ist_stacks[1] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);		/* no I/O permission bitmap */
	set_tss_descriptor();
	__asm__ volatile(
		"lgdt %0\n\t"
		"movw %w1, %%ds\n\t"
		"movw %w1, %%es\n\t"
		"movw %w1, %%ss\n\t"
		"pushq %2\n\t"			/* reload CS with a far return */
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"ltr %w3"
		: : "m"(gdtr), "r"(KERNEL_DS), "i"(KERNEL_CS), "r"(TSS_SEL)
		: "rax", "memory");
}

void
tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
