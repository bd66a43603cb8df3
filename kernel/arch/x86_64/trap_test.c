/*
 * ktests of the exception and interrupt paths. Each fault is raised in
 * the test function itself, so the grader can check that the reported
 * rip lies inside ktest_NAME of build/kernel.elf.
 */
#include <clock.h>
#include <irq.h>
#include <kprintf.h>
#include <ktest.h>
#include <timer.h>

#define UNMAPPED	0x00000dead0000000UL	/* no boot page table maps it */

KTEST(divide)
{
	__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
}

KTEST(breakpoint)
{
	__asm__ volatile("int3");
	kprintf("breakpoint: resumed after int3\n");
}

KTEST(invalid_opcode)
{
	__asm__ volatile("ud2");
}

KTEST(gpf)
{
	/* A non-canonical address: bits 63..47 are not all equal. */
	__asm__ volatile("movabsq $0x8000000000000000, %%rax; movq (%%rax), %%rax"
			 : : : "rax");
}

KTEST(pagefault)
{
	__asm__ volatile("movq (%0), %%rax" : : "r"(UNMAPPED) : "rax");
}

/*
 * A kernel stack overflow, simulated: the stack pointer moves to an
 * unmapped page and the next push faults. The CPU cannot push the page
 * fault's frame on that stack either, so it raises a double fault, which
 * runs on its own IST stack. (Lab 3 makes a real one with a guard page.)
 */
KTEST(double_fault)
{
	__asm__ volatile("movq %%rsp, %%rbx; movq %0, %%rsp; pushq $0; movq %%rbx, %%rsp"
			 : : "r"(UNMAPPED + 0x1000) : "rbx", "memory");
}

/* Raises the PIC's two spurious vectors by software: no ISR bit is set. */
KTEST(spurious)
{
	__asm__ volatile("int $39");	/* IRQ 7 */
	__asm__ volatile("int $47");	/* IRQ 15 */
	kprintf("spurious: irq7=%lu irq15=%lu handled7=%lu handled15=%lu\n",
		irq_spurious[7], irq_spurious[15], irq_count[7], irq_count[15]);
}

static volatile uint64_t rtc_interrupts;

static void
count_rtc(void)
{
	rtc_interrupts++;
}

/*
 * IRQ 8 comes through the slave PIC: it arrives only if the cascade line
 * is unmasked and the slave is wired as slave 2, and it comes again only
 * if each one was acknowledged to both PICs.
 */
KTEST(slave_irq)
{
	if (rtc_periodic_start(count_rtc) < 0) {
		kprintf("slave_irq: IRQ 8 is taken\n");
		return;
	}
	timer_sleep_ms(200);
	rtc_periodic_stop();
	kprintf("slave_irq: %lu interrupts on IRQ 8 in 200 ms (RTC at 1024 Hz)\n",
		rtc_interrupts);
}
