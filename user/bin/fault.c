/* Each CPU exception a program can cause kills it with Linux's signal. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NO_FAULT	100	/* the child's exit code if it survived */
#define NO_AC		101	/* ... and if the CPU did no alignment check */

/* Through a volatile, so that the compiler cannot see (and trap) addresses. */
static volatile uintptr_t target;

static void
peek(uintptr_t addr)
{
	target = addr;
	(void)*(volatile int *)target;
}

static void
null_read(void)
{
	peek(0);
}

static void
kernel_read(void)
{
	peek(0xffffffff80100000UL);
}

/* Bit 47 set with bits 63..48 clear: #GP rather than #PF. */
static void
noncanonical(void)
{
	peek(0x800000000000UL);
}

static void
ud2(void)
{
	__asm__ volatile("ud2");
}

static void
int3(void)
{
	__asm__ volatile("int3");
}

static void
hlt(void)
{
	__asm__ volatile("hlt");
}

static void
io_port(void)
{
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
}

static void
text_write(void)
{
	target = (uintptr_t)text_write;
	*(volatile unsigned char *)target = 0xc3;
}

static void
stack_exec(void)
{
	volatile unsigned char code[16] = { 0xc3 };	/* ret */

	target = (uintptr_t)code;
	((void (*)(void))target)();
}

static void
divide_by_zero(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx"
			 : : : "eax", "ecx", "edx");
}

/* With RFLAGS.AC (and the kernel's CR0.AM) a misaligned load raises #AC. */
static void
alignment_check(void)
{
	static uint64_t buf[2];

	__asm__ volatile("pushfq\n\torq $0x40000, (%%rsp)\n\tpopfq\n\t"
			 "movl 1(%0), %%eax\n\t"
			 "pushfq\n\tandq $~0x40000, (%%rsp)\n\tpopfq"
			 : : "r"(buf) : "eax", "memory", "cc");
	_exit(NO_AC);
}

static const struct {
	const char *name;
	void (*fn)(void);
	int sig;
	const char *sig_name;
} faults[] = {
	{ "null-read", null_read, SIGSEGV, "SIGSEGV" },
	{ "text-write", text_write, SIGSEGV, "SIGSEGV" },
	{ "stack-exec", stack_exec, SIGSEGV, "SIGSEGV" },
	{ "ud2", ud2, SIGILL, "SIGILL" },
	{ "divide-by-zero", divide_by_zero, SIGFPE, "SIGFPE" },
	{ "int3", int3, SIGTRAP, "SIGTRAP" },
	{ "hlt", hlt, SIGSEGV, "SIGSEGV" },
	{ "io-port", io_port, SIGSEGV, "SIGSEGV" },
	{ "kernel-read", kernel_read, SIGSEGV, "SIGSEGV" },
	{ "non-canonical", noncanonical, SIGSEGV, "SIGSEGV" },
	{ "alignment-check", alignment_check, SIGBUS, "SIGBUS" },
};

int
main(void)
{
	unsigned int i;
	int failed = 0, st;
	pid_t pid;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			faults[i].fn();
			_exit(NO_FAULT);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			printf("fault: FAIL fork/waitpid: %s\n",
			       strerror(errno));
			return 1;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == faults[i].sig) {
			printf("fault: %s -> %s ok\n", faults[i].name,
			       faults[i].sig_name);
		} else if (WIFEXITED(st) && WEXITSTATUS(st) == NO_AC) {
			/* QEMU's TCG raises no #AC at all. */
			printf("fault: %s -> SKIP (this CPU does no alignment check)\n",
			       faults[i].name);
		} else {
			if (WIFSIGNALED(st))
				printf("fault: FAIL %s -> signal %d, not %s\n",
				       faults[i].name, WTERMSIG(st),
				       faults[i].sig_name);
			else
				printf("fault: FAIL %s -> exit %d, not %s\n",
				       faults[i].name, WEXITSTATUS(st),
				       faults[i].sig_name);
			failed = 1;
		}
	}
	if (failed)
		return 1;
	printf("fault: ok\n");
	return 0;
}
