/* Register snapshots for panics and exception reports. */
#include <kprintf.h>
#include <arch/cpu.h>

void
cpu_save_control_regs(struct cpu_regs *r)
{
	__asm__ volatile("movq %%cr0, %0" : "=r"(r->cr0));
	__asm__ volatile("movq %%cr2, %0" : "=r"(r->cr2));
	__asm__ volatile("movq %%cr3, %0" : "=r"(r->cr3));
	__asm__ volatile("movq %%cr4, %0" : "=r"(r->cr4));
}

void
cpu_print_regs(const struct cpu_regs *r)
{
	kprintf("  RAX=0x%016lx RBX=0x%016lx RCX=0x%016lx RDX=0x%016lx\n",
		r->rax, r->rbx, r->rcx, r->rdx);
	kprintf("  RSI=0x%016lx RDI=0x%016lx RBP=0x%016lx RSP=0x%016lx\n",
		r->rsi, r->rdi, r->rbp, r->rsp);
	kprintf("  R8=0x%016lx R9=0x%016lx R10=0x%016lx R11=0x%016lx\n",
		r->r8, r->r9, r->r10, r->r11);
	kprintf("  R12=0x%016lx R13=0x%016lx R14=0x%016lx R15=0x%016lx\n",
		r->r12, r->r13, r->r14, r->r15);
	kprintf("  RIP=0x%016lx RFLAGS=0x%016lx\n", r->rip, r->rflags);
	kprintf("  CR0=0x%016lx CR2=0x%016lx CR3=0x%016lx CR4=0x%016lx\n",
		r->cr0, r->cr2, r->cr3, r->cr4);
}
