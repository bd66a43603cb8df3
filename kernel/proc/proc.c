/*
 * The process table: allocation, fork, and the first process. There is
 * no fixed array: processes are allocated from the heap, up to a limit
 * set at boot (maxproc=N), beyond which fork gets -EAGAIN.
 */
#include <kstring.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <init.h>
#include <power.h>
#include <clock.h>
#include <kerrno.h>
#include <exec.h>
#include <kmalloc.h>
#include <usercopy.h>
#include <kprintf.h>
#include <layout.h>
#include <param.h>
#include <proc.h>
#include "proc_internal.h"
#include <ksched.h>
#include <uvm.h>
#include <vmm.h>
#include <arch/cpu.h>
#include <arch/percpu.h>


static struct proc idle;
static struct proc *all;	/* every process but idle */
static unsigned nprocs, max_procs;
static int next_pid = 1;

/* Linux's limits for the first process; every other one inherits its parent's. */
static void
rlimits_default(struct rlimit_abi *r)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i] = (struct rlimit_abi){ RLIM_INFINITY, RLIM_INFINITY };
	r[RLIMIT_STACK].rlim_cur = USER_STACK_SIZE;
	r[RLIMIT_CORE] = (struct rlimit_abi){ 0, RLIM_INFINITY };
	r[RLIMIT_NOFILE] = (struct rlimit_abi){ NOFILE_SOFT, NOFILE_HARD };
	r[RLIMIT_NPROC] = (struct rlimit_abi){ max_procs, max_procs };
	r[RLIMIT_MEMLOCK] = (struct rlimit_abi){ 8UL << 20, 8UL << 20 };
	r[RLIMIT_SIGPENDING] = (struct rlimit_abi){ 1024, 1024 };
	r[RLIMIT_MSGQUEUE] = (struct rlimit_abi){ 819200, 819200 };
	r[RLIMIT_NICE] = r[RLIMIT_RTPRIO] = (struct rlimit_abi){ 0, 0 };
}

/* The boot step of lab 4: the process table, with maxproc=N processes at most. */
static void
proc_init(void)
{
	unsigned max = cmdline_uint(boot_argc, boot_argv, "maxproc", NPROC_DEFAULT);

	/* Each process needs a kernel-stack slot; the idle process has the boot stack. */
	max_procs = max < KSTACK_SLOTS ? max : KSTACK_SLOTS;
	strlcpy(idle.name, "idle", sizeof(idle.name));
	rlimits_default(idle.rlim);	/* the kernel's own writes (the initramfs) meet them too */
	idle.cred.cap_effective = idle.cred.cap_permitted = idle.cred.cap_bset = CAP_FULL_SET;
	sched_init(&idle);
	cpu_user_init();
}
INITCALL(INIT_PROC, proc_init);

struct proc *
proc_next_all(struct proc *p)
{
	return p ? p->next_all : all;
}

struct proc *
proc_find(int pid)
{
	for (struct proc *p = all; p; p = p->next_all)
		if (p->pid == pid)
			return p;
	return NULL;
}

unsigned
proc_count(void)
{
	return nprocs;
}

static int
alloc_pid(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = next_pid++;

		if (next_pid >= PID_MAX)
			next_pid = 2;
		if (!proc_find(pid))
			return pid;
	}
	return -EAGAIN;
}

/* The first thing a new process runs, entered by swtch's ret. */
static void
proc_entry(void)
{
	struct proc *p = proc_current();

	/* clone's CLONE_CHILD_SETTID: the child stores its own pid, as Linux's schedule_tail. */
	if (p->set_child_tid) {
		uint32_t tid = (uint32_t)p->pid;

		copy_to_user(p->set_child_tid, &tid, sizeof(tid));
		p->set_child_tid = 0;
	}
	user_enter(p->tf);
}

/*
 * A new process in state NEW with a kernel stack laid out for swtch:
 *
 *   kstack_top -> +-------------------+
 *                 | struct trapframe  |  the user registers (p->tf)
 *                 | (alignment)       |
 *                 | proc_entry        |  swtch's ret goes here
 *   ctx_rsp    -> | rbp rbx r12..r15  |  six zeros for swtch to pop
 */
static struct proc *
proc_alloc(int *err)
{
	proc_reap_detached();
	if (nprocs >= max_procs) {
		*err = -EAGAIN;
		return NULL;
	}
	struct proc *p = kzalloc(sizeof(*p));
	int pid = alloc_pid();
	if (!p || pid < 0) {
		kfree(p);
		*err = p ? pid : -ENOMEM;
		return NULL;
	}
	p->kstack_top = vmm_alloc_stack(KSTACK_PAGES);
	if (!p->kstack_top) {
		kfree(p);
		*err = -ENOMEM;
		return NULL;
	}
	p->pid = pid;
	p->state = P_NEW;
	p->start_ns = clock_ns();
	cpu_stats.forks++;
	p->tf = (struct trapframe *)(p->kstack_top - sizeof(struct trapframe));
	uint64_t *sp = (uint64_t *)p->tf;
	*--sp = 0;
	*--sp = (uint64_t)proc_entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	p->ctx_rsp = (uint64_t)sp;
	p->next_all = all;
	all = p;
	nprocs++;
	return p;
}

extern const struct proc_hooks __proc_hooks_start[], __proc_hooks_end[];

int
proc_hooks_fork(struct proc *parent, struct proc *child)
{
	for (const struct proc_hooks *h = __proc_hooks_start; h < __proc_hooks_end; h++) {
		int r = h->fork ? h->fork(parent, child) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

void
proc_hooks_exec(struct proc *p)
{
	for (const struct proc_hooks *h = __proc_hooks_start; h < __proc_hooks_end; h++)
		if (h->exec)
			h->exec(p);
}

void
proc_hooks_release(struct proc *p)
{
	for (const struct proc_hooks *h = __proc_hooks_start; h < __proc_hooks_end; h++)
		if (h->release)
			h->release(p);
}

/* Frees what is left of a zombie (or of a process that never ran). */
void
proc_free(struct proc *p)
{
	for (struct proc **pp = &all; *pp; pp = &(*pp)->next_all) {
		if (*pp == p) {
			*pp = p->next_all;
			break;
		}
	}
	if (p->vm)
		uvm_destroy(p->vm);	/* a child that never ran */
	proc_hooks_release(p);
	cred_put(&p->cred);
	vmm_free_stack(p->kstack_top);
	kfree(p);
	nprocs--;
}

/* Frees the zombies that no wait4 will see (their parent ignored SIGCHLD, lab 6). */
void
proc_reap_detached(void)
{
	for (struct proc *p = all, *next; p; p = next) {
		next = p->next_all;
		if (p->state == P_ZOMBIE && p->autoreap)
			proc_free(p);
	}
}

/* Every process whose parent is p gets init as its parent; true if a zombie did. */
bool
proc_reparent_children(struct proc *p, struct proc *init)
{
	bool zombie = false;

	for (struct proc *c = all; c; c = c->next_all) {
		if (c->parent == p) {
			c->parent = init;
			zombie |= c->state == P_ZOMBIE;
		}
	}
	return zombie;
}

/* The next child of p after c (c NULL: the first), or NULL. */
struct proc *
proc_next_child(struct proc *p, struct proc *c)
{
	for (c = c ? c->next_all : all; c; c = c->next_all)
		if (c->parent == p && c != p)
			return c;
	return NULL;
}

#if SOL >= 4
int
proc_fork(void)
{
	struct proc *parent = proc_current(), *child;
	int err;

	if (!(child = proc_alloc(&err)))
		return err;
	if ((err = uvm_fork(parent->vm, &child->vm)) < 0) {
		proc_free(child);
		return err;
	}
	*child->tf = *parent->tf;
	child->tf->rax = 0;		/* fork returns 0 in the child */
	fpu_save(child->fpu);		/* the parent's live FPU registers */
	memcpy(child->name, parent->name, sizeof(child->name));
	child->parent = parent;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->cred = parent->cred;
	cred_get(&child->cred);
	child->fs_base = parent->fs_base;
	child->gs_base = parent->gs_base;
	child->sigmask = parent->sigmask;
	child->oom_score_adj = parent->oom_score_adj;
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	if ((err = proc_hooks_fork(parent, child)) < 0) {
		proc_free(child);
		return err;
	}
	uint64_t flags = irq_save();
	sched_make_ready(child);
	irq_restore(flags);
	return child->pid;
}
#else
int
proc_fork(void)
{
	/* LAB 4: your code here. proc_alloc a child, give it a
	 * copy-on-write copy of the address space (uvm_fork), the parent's
	 * user registers with rax = 0, FPU state, name, process group and
	 * session, credentials, TLS bases, signal mask and oom_score_adj;
	 * then what later labs keep (proc_hooks_fork; proc_free undoes a
	 * failed child), and make it ready. */
	(void)proc_alloc;
	return -ENOSYS;
}
#endif

int
proc_start_init(const char *path, char *const argv[], int argc)
{
	static char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin", NULL };
	struct exec_args args = { .argv = { .kernel = argv, .count = argc },
				  .envp = { .kernel = envp, .count = 3 } };
	struct proc *p;
	int err;

	if (!(p = proc_alloc(&err)))
		return err;
	p->parent = p;			/* init is its own parent: nobody reaps it */
	p->pgid = p->sid = p->pid;
	/* Root, holding every capability. */
	p->cred.cap_effective = p->cred.cap_permitted = p->cred.cap_bset = CAP_FULL_SET;
	rlimits_default(p->rlim);
	err = proc_hooks_fork(NULL, p);
	if (err == 0)
		err = exec_into(p, path, &args);
	if (err < 0) {
		proc_free(p);
		return err;
	}
	uint64_t flags = irq_save();
	sched_make_ready(p);
	irq_restore(flags);
	return p->pid;
}

/*
 * init=PATH ARGS...: the first user program, with the words after it as
 * its arguments. If it cannot start, there is nothing to run: power off
 * reporting failure (Linux panics: "No working init found").
 */
static void
start_init(const char *path)
{
	int first = 0;

	while (first < boot_argc && strncmp(boot_argv[first], "init=", 5))
		first++;
	boot_argv[first] = (char *)path;
	int pid = proc_start_init(path, boot_argv + first, boot_argc - first);
	if (pid < 0) {
		kprintf("kernel: cannot run init %s: %s\n", path, errno_name(pid));
		power_off(POWER_FAIL);
	}
	sched_idle();
}
BOOT_ACTION(2, "init", start_init);
