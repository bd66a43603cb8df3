/*
 * Hostile rt_sigreturn frames: a SIGUSR1 handler that corrupts its
 * ucontext before it returns (a non-canonical or kernel rip or rsp, a
 * kernel CS or SS, privileged flags, a bad FPU state pointer, reserved
 * MXCSR bits, garbage uc_flags and uc_stack), and rt_sigreturn called
 * with no frame at all: on a zeroed stack, on unmapped memory, on the
 * kernel half, and on a read-only page (a good frame there works).
 * Each case runs in a child; the line is the child's fate. Where Linux
 * and NexaOS may take different paths to the same end (Linux restores
 * CS and lets iret fault, NexaOS forces the user CS), the line says
 * only what both must agree on. The kernel must survive it all: at the
 * end a fork and exec of /bin/true still work.
 * The grader compares every line with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "check.h"

#define NAME		"sighostile"
#define NONCANONICAL	0x8000000000000000UL	/* bit 63 set, bits 48-62 clear */
#define KERNEL_ADDR	0xffffffff80000000UL	/* the top 2 GiB: kernels' text */
#define KERNEL_HALF	0xffff800000001000UL	/* canonical, in the kernel half */
#define LINUX_KERNEL_CS	0x10			/* Linux's __KERNEL_CS */
#define LINUX_KERNEL_DS	0x18			/* ... and __KERNEL_DS */
#define FLAG_TF		0x100UL
#define FLAG_IOPL	0x3000UL
#define FLAG_NT		0x4000UL
#define FLAG_VM		0x20000UL
#define MXCSR_DEFAULT	0x1f80		/* MXCSR after exec or a clean FPU */
#define MXCSR_TRUNCATE	0x7f80		/* SSE rounding toward zero */
#define ALTSTACK_SIZE	(64 * 1024)
#define PAGE		4096

/* Exit codes of a child that came back from the handler. */
enum { BACK_OK = 0, BACK_FLAGS = 3, BACK_CS = 4, BACK_MXCSR = 5, BACK_ALTSTACK = 6,
       LANDED = 7, LANDED_BAD_MASK = 8, NOT_KILLED = 9 };

/* What the handler does to the frame it returns through (the uc_stack cases last). */
enum corruption {
	RIP_NONCANONICAL, RIP_KERNEL, RSP_NONCANONICAL, RSP_KERNEL, CS_KERNEL, SS_KERNEL,
	EFL_IOPL, EFL_NT, EFL_VM, EFL_TF, FP_KERNEL, FP_NULL, FP_UNALIGNED, MXCSR_RESERVED,
	UC_FLAGS_GARBAGE, UC_STACK_GARBAGE, UC_STACK_GARBAGE_DISABLE, UC_STACK_DISABLE,
};

static enum corruption mode;
static char *alt_base;
static char landing_stack[16384] __attribute__((aligned(16)));

/* The fate of child pid in words: "exit 0", "killed by SIGSEGV" (core or not). */
static const char *
fate(pid_t pid)
{
	static char buf[48];
	int st;

	if (waitpid(pid, &st, 0) != pid)
		snprintf(buf, sizeof(buf), "waitpid: errno %d", errno);
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %s", signame(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

static uint32_t
mxcsr_get(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void
mxcsr_set(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static uint64_t
rflags(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static uint16_t
cs(void)
{
	uint16_t v;

	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

static uint16_t
ss(void)
{
	uint16_t v;

	__asm__ volatile("mov %%ss, %0" : "=r"(v));
	return v;
}

/* ---- a handler that breaks its own frame ---- */

static void
hostile(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t *csgsfs = (uint64_t *)&g[REG_CSGSFS];	/* cs, gs, fs, ss: 16 bits each */

	(void)sig, (void)si;
	switch (mode) {
	case RIP_NONCANONICAL: g[REG_RIP] = (greg_t)NONCANONICAL; break;
	case RIP_KERNEL: g[REG_RIP] = (greg_t)KERNEL_ADDR; break;
	case RSP_NONCANONICAL: g[REG_RSP] = (greg_t)NONCANONICAL; break;
	case RSP_KERNEL: g[REG_RSP] = (greg_t)KERNEL_HALF; break;
	case CS_KERNEL: *csgsfs = (*csgsfs & ~0xffffUL) | LINUX_KERNEL_CS; break;
	case SS_KERNEL: *csgsfs = (*csgsfs & ~(0xffffUL << 48)) | (uint64_t)LINUX_KERNEL_DS << 48; break;
	case EFL_IOPL: g[REG_EFL] |= FLAG_IOPL; break;
	case EFL_NT: g[REG_EFL] |= FLAG_NT; break;
	case EFL_VM: g[REG_EFL] |= FLAG_VM; break;
	case EFL_TF: g[REG_EFL] |= FLAG_TF; break;
	case FP_KERNEL: uc->uc_mcontext.fpregs = (fpregset_t)KERNEL_ADDR; break;
	case FP_NULL: uc->uc_mcontext.fpregs = NULL; break;
	case FP_UNALIGNED: uc->uc_mcontext.fpregs = (fpregset_t)((char *)uc->uc_mcontext.fpregs + 8); break;
	case MXCSR_RESERVED: uc->uc_mcontext.fpregs->mxcsr |= 0xffff0000u; break;
	case UC_FLAGS_GARBAGE: uc->uc_flags = ~0UL; break;
	case UC_STACK_GARBAGE:
		uc->uc_stack = (stack_t){ .ss_sp = (void *)0x1234, .ss_flags = 0x5a0,
					  .ss_size = 1UL << 40 };
		break;
	case UC_STACK_GARBAGE_DISABLE:
		uc->uc_stack = (stack_t){ .ss_sp = (void *)0x1234, .ss_flags = SS_DISABLE | 0x40,
					  .ss_size = 1UL << 40 };
		break;
	case UC_STACK_DISABLE:
		uc->uc_stack = (stack_t){ .ss_flags = SS_DISABLE };
		break;
	}
}

/* The alternate stack that the uc_stack cases start with (enabled, unused). */
static void
set_altstack(void)
{
	stack_t ss = { .ss_sp = alt_base, .ss_size = ALTSTACK_SIZE };

	sigaltstack(&ss, NULL);
}

/* What sigaltstack says after the uc_stack case m, as Linux has it. */
static int
altstack_as_linux(enum corruption m)
{
	stack_t now;

	if (sigaltstack(NULL, &now) < 0)
		return 0;
	if (m == UC_STACK_DISABLE)
		return now.ss_flags == SS_DISABLE;
	/* Bad flags: sigaltstack's EINVAL, which rt_sigreturn ignores. */
	return now.ss_flags == 0 && now.ss_sp == alt_base && now.ss_size == ALTSTACK_SIZE;
}

/* In a child: the handler breaks the frame; returns the exit code if it lives on. */
static int
hostile_child(enum corruption m)
{
	struct sigaction sa = { .sa_sigaction = hostile, .sa_flags = SA_SIGINFO };
	uint16_t cs0 = cs(), ss0 = ss();

	mode = m;
	sigaction(SIGUSR1, &sa, NULL);
	if (m >= UC_STACK_GARBAGE)
		set_altstack();
	mxcsr_set(MXCSR_TRUNCATE);
	kill(getpid(), SIGUSR1);
	/* Back from the handler, with what the kernel let through. */
	uint32_t mxcsr = mxcsr_get();
	uint64_t f = rflags();

	mxcsr_set(MXCSR_DEFAULT);
	if (f & (FLAG_IOPL | FLAG_NT | FLAG_VM | FLAG_TF))
		return BACK_FLAGS;
	if (cs() != cs0 || ss() != ss0)
		return BACK_CS;
	if (mxcsr != (m == FP_NULL ? MXCSR_DEFAULT : MXCSR_TRUNCATE))
		return BACK_MXCSR;
	if (m >= UC_STACK_GARBAGE && !altstack_as_linux(m))
		return BACK_ALTSTACK;
	return BACK_OK;
}

/* Runs case m in a child and prints its fate; want is the fate both kernels agree on. */
static void
hostile_case(enum corruption m, const char *what, const char *want)
{
	pid_t pid = spawn();

	if (pid == 0)
		_exit(hostile_child(m));
	const char *got = fate(pid);
	check(!strcmp(got, want), "handler sets %s -> %s", what, got);
}

/*
 * A case where Linux and NexaOS may take different roads to a contained
 * end: the line says summary when the fate is one of the (up to three)
 * accepted, and the fate itself otherwise.
 */
static void
either_case(enum corruption m, const char *what, const char *summary, const char *a,
	    const char *b, const char *c)
{
	pid_t pid = spawn();

	if (pid == 0)
		_exit(hostile_child(m));
	const char *got = fate(pid);
	int ok = !strcmp(got, a) || !strcmp(got, b) || (c && !strcmp(got, c));
	check(ok, "handler sets %s -> %s", what, ok ? summary : got);
}

/* ---- rt_sigreturn with no frame of the kernel's ---- */

/* Makes the system call with rsp at sp: it never returns here. */
static void __attribute__((noreturn))
sigreturn_on(uint64_t sp)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov %1, %%eax\n\t"
			 "syscall\n\t"
			 "ud2" : : "r"(sp), "i"(SYS_rt_sigreturn) : "memory");
	__builtin_unreachable();
}

/* Where the good frame on a read-only page sends the child: did its mask come back? */
static void __attribute__((noreturn))
landing(void)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	_exit(sigismember(&cur, SIGUSR2) && !sigismember(&cur, SIGUSR1) ? LANDED : LANDED_BAD_MASK);
}

/* Pages for the raw cases: n of them, readable and writable. */
static char *
pages(int n)
{
	char *p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(NOT_KILLED + 1);
	return p;
}

/* A frame that returns to landing() with SIGUSR2 blocked, at page + 64 (rsp). */
static uint64_t
good_frame(char *page)
{
	ucontext_t *uc = (ucontext_t *)(page + 64);
	greg_t *g = uc->uc_mcontext.gregs;

	memset(page, 0, PAGE);
	uc->uc_flags = 0x6;		/* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	uc->uc_stack.ss_flags = SS_DISABLE;
	g[REG_RIP] = (greg_t)(uintptr_t)landing;
	g[REG_RSP] = (greg_t)(uintptr_t)(landing_stack + sizeof(landing_stack) - 8);
	g[REG_EFL] = 0x202;
	g[REG_CSGSFS] = (greg_t)(cs() | (uint64_t)ss() << 48);
	sigemptyset(&uc->uc_sigmask);
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	return (uint64_t)(uintptr_t)uc;		/* the frame begins 8 below: pretcode */
}

enum raw { RAW_ZEROES, RAW_ONES, RAW_UNMAPPED, RAW_KERNEL, RAW_READONLY, RAW_READONLY_EDGE };

/* In a child: rt_sigreturn as case r has it; returns only if the kernel let it. */
static int
raw_child(enum raw r)
{
	char *p = pages(4);
	sigset_t usr1;

	/* A mask that a forged frame's return must replace. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	switch (r) {
	case RAW_ZEROES:
		sigreturn_on((uint64_t)(uintptr_t)(p + 2 * PAGE));
	case RAW_ONES:
		memset(p, 0xff, 4 * PAGE);
		sigreturn_on((uint64_t)(uintptr_t)(p + 2 * PAGE));
	case RAW_UNMAPPED:
		munmap(p, 4 * PAGE);
		sigreturn_on((uint64_t)(uintptr_t)(p + 2 * PAGE));
	case RAW_KERNEL:
		sigreturn_on(KERNEL_HALF);
	case RAW_READONLY: {
		uint64_t sp = good_frame(p + PAGE);

		mprotect(p, 4 * PAGE, PROT_READ);
		sigreturn_on(sp);
	}
	case RAW_READONLY_EDGE:
		/* The frame runs off a read-only page into an unmapped one. */
		munmap(p + 2 * PAGE, 2 * PAGE);
		mprotect(p, 2 * PAGE, PROT_READ);
		sigreturn_on((uint64_t)(uintptr_t)(p + 2 * PAGE - 100));
	}
	return NOT_KILLED;
}

static void
raw_case(enum raw r, const char *what, const char *want)
{
	pid_t pid = spawn();

	if (pid == 0)
		_exit(raw_child(r));
	const char *got = fate(pid);
	check(!strcmp(got, want), "rt_sigreturn %s -> %s", what, got);
}

static void
handler_cases(void)
{
	hostile_case(RIP_NONCANONICAL, "REG_RIP 0x8000000000000000 (non-canonical)",
		     "killed by SIGSEGV");
	hostile_case(RIP_KERNEL, "REG_RIP 0xffffffff80000000 (kernel)", "killed by SIGSEGV");
	/* #SS (SIGBUS) on a CPU, #GP (SIGSEGV) under QEMU's TCG. */
	either_case(RSP_NONCANONICAL, "REG_RSP 0x8000000000000000 (non-canonical)",
		    "killed by SIGSEGV or SIGBUS", "killed by SIGSEGV", "killed by SIGBUS", NULL);
	hostile_case(RSP_KERNEL, "REG_RSP 0xffff800000001000 (kernel half)", "killed by SIGSEGV");
	/* Linux restores the segment and iret faults; NexaOS puts the user's back. */
	either_case(CS_KERNEL, "REG_CSGSFS with a kernel CS", "contained (user CS or SIGSEGV)",
		    "exit 0", "killed by SIGSEGV", NULL);
	either_case(SS_KERNEL, "REG_CSGSFS with a kernel SS", "contained (user SS or SIGSEGV)",
		    "exit 0", "killed by SIGSEGV", NULL);
	hostile_case(EFL_IOPL, "IOPL 3 in REG_EFL (dropped)", "exit 0");
	hostile_case(EFL_NT, "NT in REG_EFL (dropped)", "exit 0");
	hostile_case(EFL_VM, "VM in REG_EFL (dropped)", "exit 0");
	hostile_case(EFL_TF, "TF in REG_EFL (kept: a single step)", "killed by SIGTRAP");
	hostile_case(FP_KERNEL, "fpregs to kernel memory", "killed by SIGSEGV");
	hostile_case(FP_NULL, "fpregs NULL (a clean FPU: MXCSR default)", "exit 0");
	/* fxrstor's #GP (SIGSEGV) on Intel; some AMD CPUs load it as it stands. */
	either_case(FP_UNALIGNED, "fpregs 8 bytes off", "contained (SIGSEGV or loaded)",
		    "killed by SIGSEGV", "exit 5", "exit 0");
	hostile_case(MXCSR_RESERVED, "reserved MXCSR bits", "killed by SIGSEGV");
	hostile_case(UC_FLAGS_GARBAGE, "uc_flags to all ones", "exit 0");
	hostile_case(UC_STACK_GARBAGE, "uc_stack garbage (bad ss_flags: ignored)", "exit 0");
	hostile_case(UC_STACK_GARBAGE_DISABLE, "uc_stack garbage with SS_DISABLE (ignored)",
		     "exit 0");
	hostile_case(UC_STACK_DISABLE, "uc_stack to SS_DISABLE (taken)", "exit 0");
}

static void
raw_cases(void)
{
	raw_case(RAW_ZEROES, "on a zeroed stack (no frame)", "killed by SIGSEGV");
	raw_case(RAW_ONES, "on a stack of 0xff bytes (no frame)", "killed by SIGSEGV");
	raw_case(RAW_UNMAPPED, "with rsp in unmapped memory", "killed by SIGSEGV");
	raw_case(RAW_KERNEL, "with rsp in the kernel half", "killed by SIGSEGV");
	raw_case(RAW_READONLY, "on a read-only page with a good frame (mask taken)", "exit 7");
	raw_case(RAW_READONLY_EDGE, "on a frame running off a read-only page", "killed by SIGSEGV");
}

/* The kernel is still well: a fork and an exec of a plain program. */
static void
health(void)
{
	pid_t pid = spawn();

	if (pid == 0) {
		char *argv[] = { "true", NULL };

		execv("/bin/true", argv);
		_exit(127);
	}
	const char *got = fate(pid);
	check(!strcmp(got, "exit 0"), "after it all: fork and exec /bin/true -> %s", got);
}

int
main(void)
{
	struct rlimit no_core = { 0, 0 };

	check_init(NAME);
	setrlimit(RLIMIT_CORE, &no_core);	/* Linux would write a core per case */
	alt_base = malloc(ALTSTACK_SIZE);
	handler_cases();
	raw_cases();
	health();
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;		/* as pid 1: nothing may stay a zombie */
	return check_done();
}
