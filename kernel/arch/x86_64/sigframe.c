/*
 * Signal frames of x86_64 Linux (lab 6): what a handler finds on its
 * stack, and what rt_sigreturn takes back.
 *
 *   handler's rsp -> pretcode        sa_restorer: the handler's `ret` goes there
 *                    struct ucontext  flags, link, stack, the registers, the mask
 *                    siginfo          (rsi points here, rdx at the ucontext)
 *                    ...
 *   64-aligned    -> FPU/SSE state   fxsave's 512 bytes (uc_mcontext.fpstate)
 *                    128 bytes        the interrupted code's red zone
 *   interrupted rsp
 *
 * Nothing of the frame is trusted on the way back: the registers come back
 * with user segments, only the flags a program may change, a user rip, and
 * an FPU state whose MXCSR has no reserved bit set (fxrstor would fault in
 * the kernel). A frame that fails those checks kills the process.
 */
#include <stddef.h>
#include <abi.h>
#include <kerrno.h>
#include <kstring.h>
#include <layout.h>
#include <proc.h>
#include <usercopy.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/percpu.h>
#include <arch/sigframe.h>
#include <arch/trapframe.h>

#define FPSTATE_SIZE	512
#define RED_ZONE	128
/* The flags a program may set in rflags (Linux's FIX_EFLAGS): never IOPL, NT, VM or IF. */
#define FLAGS_USER	(RFLAGS_AC | RFLAGS_OF | RFLAGS_DF | RFLAGS_TF | RFLAGS_SF | RFLAGS_ZF | \
			 RFLAGS_AF | RFLAGS_PF | RFLAGS_CF | RFLAGS_RF)
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

struct sigcontext_abi {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* the FPU state's user address (0: none) */
	uint64_t reserved[8];
};

struct ucontext_abi {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct stack_abi uc_stack;
	struct sigcontext_abi uc_mcontext;
	uint64_t uc_sigmask;
};

struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext_abi uc;
	struct siginfo_abi info;
};

_Static_assert(sizeof(struct sigcontext_abi) == 256, "Linux's struct sigcontext");
_Static_assert(sizeof(struct ucontext_abi) == 304, "Linux's struct ucontext");
_Static_assert(sizeof(struct siginfo_abi) == 128, "Linux's siginfo_t");

static uint32_t mxcsr_mask = 0xFFBF;	/* fxsave's MXCSR_MASK, once read */

/* The bits MXCSR may have: what fxsave reports (0 there means the old default). */
static uint32_t
allowed_mxcsr(void)
{
	static bool known;

	if (!known) {
		uint8_t area[FPSTATE_SIZE] __attribute__((aligned(16)));
		uint32_t mask;

		fpu_save(area);
		memcpy(&mask, area + 28, sizeof(mask));
		if (mask)
			mxcsr_mask = mask;
		known = true;
	}
	return mxcsr_mask;
}

static bool
on_stack(const struct stack_abi *alt, uint64_t sp)
{
	return alt && alt->ss_size && sp - alt->ss_sp < alt->ss_size;
}

#if SOL >= 6
int
sigframe_build(struct trapframe *tf, const struct sigframe_args *a)
{
	if (!tf || !a)
		return -EINVAL;		/* the kernel's boot-time question: written */
	const struct stack_abi *alt = a->altstack;
	bool use_alt = a->onstack && alt && alt->ss_size && !(alt->ss_flags & SS_DISABLE) &&
		       !on_stack(alt, tf->rsp);
	uint64_t sp = use_alt ? alt->ss_sp + alt->ss_size : tf->rsp - RED_ZONE;
	uint8_t fpu[FPSTATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f;

	if (!a->restorer)
		return -EFAULT;		/* nowhere for the handler to return to */
	uint64_t fpstate = (sp - FPSTATE_SIZE) & ~63UL;
	uint64_t frame = ((fpstate - sizeof(f)) & ~15UL) - 8;	/* as after a call */
	memset(&f, 0, sizeof(f));
	f.pretcode = a->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	if (alt) {
		f.uc.uc_stack = *alt;
		f.uc.uc_stack.ss_flags = alt->ss_flags & SS_DISABLE ? SS_DISABLE :
					 on_stack(alt, tf->rsp) ? SS_ONSTACK : 0;
	} else {
		f.uc.uc_stack.ss_flags = SS_DISABLE;
	}
	struct sigcontext_abi *sc = &f.uc.uc_mcontext;
	*sc = (struct sigcontext_abi){
		tf->r8, tf->r9, tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15,
		tf->rdi, tf->rsi, tf->rbp, tf->rbx, tf->rdx, tf->rax, tf->rcx, tf->rsp,
		tf->rip, tf->rflags, USER_CS, 0, 0, USER_DS,
		tf->vector == T_SYSCALL ? 0 : tf->error,
		tf->vector == T_SYSCALL ? 0 : tf->vector, a->oldmask, a->fault_addr, fpstate,
		{ 0 },
	};
	f.uc.uc_sigmask = a->oldmask;
	f.info = *a->info;
	fpu_save(fpu);
	if (!user_range_ok(frame, fpstate + FPSTATE_SIZE - frame) ||
	    copy_to_user(fpstate, fpu, FPSTATE_SIZE) < 0 || copy_to_user(frame, &f, sizeof(f)) < 0)
		return -EFAULT;
	/* The handler starts with a clean FPU, its arguments, and the flags cleared. */
	fpu_load_clean();
	tf->rdi = (uint64_t)a->info->si_signo;
	tf->rsi = frame + offsetof(struct rt_sigframe, info);
	tf->rdx = frame + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rsp = frame;
	tf->rip = a->handler;
	tf->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF | RFLAGS_AC);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	return 0;
}

int
sigframe_return(struct trapframe *tf, uint64_t *mask, struct stack_abi *stack)
{
	uint64_t frame = tf->rsp - 8;	/* the handler's ret took pretcode */
	uint8_t fpu[FPSTATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f;

	if (copy_from_user(&f, frame, sizeof(f)) < 0)
		return -EFAULT;
	const struct sigcontext_abi *sc = &f.uc.uc_mcontext;
	if (sc->rip >= USER_TOP)
		return -EFAULT;		/* a rip iretq would fault on, in the kernel */
	if (sc->fpstate) {
		uint32_t mxcsr;

		if ((sc->fpstate & 15) || copy_from_user(fpu, sc->fpstate, FPSTATE_SIZE) < 0)
			return -EFAULT;
		memcpy(&mxcsr, fpu + 24, sizeof(mxcsr));
		if (mxcsr & ~allowed_mxcsr())
			return -EFAULT;		/* reserved MXCSR bits: fxrstor's #GP */
	} else {
		fpu_init_state(fpu);
	}
	fpu_restore(fpu);
	*tf = (struct trapframe){
		.r15 = sc->r15, .r14 = sc->r14, .r13 = sc->r13, .r12 = sc->r12,
		.r11 = sc->r11, .r10 = sc->r10, .r9 = sc->r9, .r8 = sc->r8,
		.rbp = sc->rbp, .rdi = sc->rdi, .rsi = sc->rsi, .rdx = sc->rdx,
		.rcx = sc->rcx, .rbx = sc->rbx, .rax = sc->rax,
		.vector = T_SIGRETURN, .error = 0,
		.rip = sc->rip, .cs = USER_CS,
		.rflags = (tf->rflags & ~FLAGS_USER) | (sc->eflags & FLAGS_USER) | RFLAGS_IF,
		.rsp = sc->rsp, .ss = USER_DS,
	};
	*mask = f.uc.uc_sigmask;
	*stack = f.uc.uc_stack;
	return 0;
}
#else
int
sigframe_build(struct trapframe *tf, const struct sigframe_args *a)
{
	/* LAB 6: your code here. Below the interrupted rsp (less its red
	 * zone), or at the top of the alternate stack when a->onstack asks
	 * and the process is not on it already: the FPU state (fpu_save,
	 * 512 bytes, 64-aligned), then a struct rt_sigframe (pretcode =
	 * a->restorer; the ucontext with the registers of tf, the old mask
	 * and the stack state; the siginfo) aligned so that rsp + 8 is a
	 * multiple of 16. Copy both out (-EFAULT if the stack cannot take
	 * them), give the handler a clean FPU (fpu_init_state), and point
	 * tf at it: rip = handler, rsp = the frame, rdi = the signal, rsi
	 * and rdx = the siginfo and the ucontext, TF DF RF AC cleared. With
	 * tf or a NULL return -EINVAL: the kernel asks so at boot, and
	 * leaves handlers off while this says -ENOSYS. */
	(void)tf, (void)a, (void)on_stack;
	return -ENOSYS;
}

int
sigframe_return(struct trapframe *tf, uint64_t *mask, struct stack_abi *stack)
{
	/* LAB 6: your code here. The frame is at tf->rsp - 8 (the handler's
	 * ret took pretcode). Trust nothing: a rip at or above USER_TOP, an
	 * FPU state that is misaligned or has MXCSR bits outside
	 * allowed_mxcsr() are -EFAULT (the caller kills the process). Load
	 * the FPU state (none: a clean one), rebuild *tf from the
	 * sigcontext with user segments, only the FLAGS_USER bits of its
	 * rflags (and IF), vector T_SIGRETURN; hand back the mask and the
	 * stack state. */
	(void)tf, (void)mask, (void)stack, (void)allowed_mxcsr;
	return -ENOSYS;
}
#endif
