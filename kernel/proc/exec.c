/*
 * execve: the ELF loader and the initial user stack, laid out as Linux
 * lays it out. The strings are copied straight from the old program's
 * memory into the new stack's pages, which come zeroed: no large kernel
 * buffer is needed, and no stale byte reaches the new program.
 *
 *   USER_STACK_TOP -> +----------------------------+
 *                     | 8 zero bytes               |
 *                     | path (AT_EXECFN)           |
 *                     | env strings, argv strings  |  argv[0]'s lowest
 *                     | "x86_64", 16 random bytes  |
 *                     | (zeros, to 16 bytes)       |
 *                     | auxv: (key, value)... AT_NULL
 *                     | envp[0] ... NULL           |
 *                     | argv[0] ... NULL           |
 *   rsp (16-aligned)->| argc                       |
 */
#include <kstring.h>
#include <abi.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <elf64.h>
#include <kerrno.h>
#include <exec.h>
#include <initrd.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <param.h>
#include <ksched.h>
#include <usercopy.h>
#include <uvm.h>
#include <vdso.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/gdt.h>

#define S_IFMT		0170000
#define S_IFREG		0100000
#define MAX_ARG_STRLEN	(32 * PAGE_SIZE)	/* one string, NUL included (Linux's) */
#define ARG_STACK_MAX	(USER_STACK_SIZE / 4)	/* all strings and pointers (Linux's) */
#define AUXV_PAIRS	20
#define PLATFORM	"x86_64"
#define USER_RFLAGS	(RFLAGS_IF | 0x2)	/* bit 1 always reads 1 */

/* A little entropy for AT_RANDOM (musl's stack protector, malloc). */
static void
random_bytes(uint8_t *out, int n)
{
	static uint64_t x = 0x9E3779B97F4A7C15UL;

	x ^= rdtsc();
	for (int i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out[i] = (uint8_t)x;
	}
}

/* A segment's p_flags as region permissions, as mmap would give them. */
static unsigned
segment_prot(uint32_t flags)
{
	return uvm_prot_bits((flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
			     (flags & PF_X ? PROT_EXEC : 0));
}

#if SOL >= 4
/* Maps the PT_LOAD segments of image into vm and copies their bytes. */
static int
load_segments(struct uvm *vm, const void *image, const struct elf_info *info)
{
	for (unsigned i = 0; i < info->phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(image, i);

		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		uint64_t va = ph->vaddr + info->base;
		int r = uvm_add_region(vm, PGROUNDDOWN(va), PGROUNDUP(va + ph->memsz),
				       segment_prot(ph->flags), VMA_IMAGE);
		if (r < 0)
			return r;
		/* The bss is the rest of the segment: frames come zeroed. */
		r = uvm_write(vm, va, (const uint8_t *)image + ph->offset, ph->filesz);
		if (r < 0)
			return r;
	}
	return 0;
}
#else
static int
load_segments(struct uvm *vm, const void *image, const struct elf_info *info)
{
	/* LAB 4: your code here. For each PT_LOAD header (elf_phdr): a
	 * region over its pages with the segment's permissions
	 * (uvm_add_region, segment_prot), then its file bytes (uvm_write);
	 * the bss needs nothing, as frames come zeroed. */
	(void)vm, (void)image, (void)info, (void)segment_prot;
	kprintf("exec: load_segments is not written yet (lab 4)\n");
	return -ENOEXEC;
}
#endif

/* The address of string i of v. */
static int
string_at(const struct exec_strings *v, int i, uint64_t *s)
{
	if (v->kernel) {
		*s = (uint64_t)v->kernel[i];
		return 0;
	}
	return copy_from_user(s, v->user + 8 * (uint64_t)i, 8);
}

/* The size of string s of v with its NUL; -E2BIG beyond MAX_ARG_STRLEN, -EFAULT. */
static long
string_size(const struct exec_strings *v, uint64_t s)
{
	if (v->kernel)
		return (long)strlen((const char *)s) + 1;
	long n = strnlen_user(s, MAX_ARG_STRLEN);
	return n == -ENAMETOOLONG ? -E2BIG : n < 0 ? n : n + 1;
}

/* Counts v's strings into v->count and adds their bytes, pointers included, to *bytes. */
static int
count_strings(struct exec_strings *v, uint64_t *bytes)
{
	int n = 0;

	for (;; n++) {
		uint64_t s;

		if (v->kernel ? n == v->count : !v->user)
			break;
		if (string_at(v, n, &s) < 0)
			return -EFAULT;
		if (!s)
			break;
		long size = string_size(v, s);
		if (size < 0)
			return (int)size;
		*bytes += (uint64_t)size + 8;
		if (*bytes > ARG_STACK_MAX)
			return -E2BIG;
		if (proc_fatal_pending())
			return -EINTR;
		sched_cond_resched();
	}
	v->count = n;
	return 0;
}

/* Copies string s of v, size bytes with its NUL, to dst in vm. */
static int
copy_string(struct uvm *vm, uint64_t dst, const struct exec_strings *v, uint64_t s,
	    uint64_t size, char *bounce)
{
	if (v->kernel)
		return uvm_write(vm, dst, (const void *)s, size);
	for (uint64_t done = 0; done < size;) {
		uint64_t n = size - done < PAGE_SIZE ? size - done : PAGE_SIZE;
		int r;

		if (copy_from_user(bounce, s + done, n) < 0)
			return -EFAULT;
		/* The string must still end where it ended when it was counted. */
		if (done + n == size && bounce[n - 1])
			return -EFAULT;
		if ((r = uvm_write(vm, dst + done, bounce, n)) < 0)
			return r;
		done += n;
	}
	return 0;
}

/*
 * Copies v's strings upward from *at, writing each one's address into
 * the pointer array at ptrs; *at ends past the last string.
 */
static int
push_strings(struct uvm *vm, const struct exec_strings *v, uint64_t *at, uint64_t ptrs,
	     char *bounce)
{
	for (int i = 0; i < v->count; i++) {
		uint64_t s;
		long size;
		int r;

		if (string_at(v, i, &s) < 0 || !s)
			return -EFAULT;
		if ((size = string_size(v, s)) < 0)
			return (int)size;
		if ((r = copy_string(vm, *at, v, s, (uint64_t)size, bounce)) < 0 ||
		    (r = uvm_write(vm, ptrs + 8 * (uint64_t)i, at, 8)) < 0)
			return r;
		*at += (uint64_t)size;
	}
	return 0;
}

/* Builds the initial stack; returns the initial rsp, or -errno. */
static int64_t
build_stack(struct uvm *vm, struct proc *p, const char *path, const struct exec_args *a,
	    uint64_t string_bytes, const struct elf_info *info, uint64_t vdso)
{
	uint64_t execfn = USER_STACK_TOP - 8 - (strlen(path) + 1);
	uint64_t strings = execfn - string_bytes;
	uint64_t platform = strings - sizeof(PLATFORM);
	uint64_t random = (platform - 16) & ~15UL;
	uint8_t rnd[16];

	uint64_t auxv[2 * AUXV_PAIRS], *x = auxv;
#define AUX(k, v) do { *x++ = (k); *x++ = (v); } while (0)
	AUX(AT_PHDR, info->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry);
	AUX(AT_UID, p->cred.uid);
	AUX(AT_EUID, p->cred.euid);
	AUX(AT_GID, p->cred.gid);
	AUX(AT_EGID, p->cred.egid);
	AUX(AT_SECURE, 0);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_HWCAP, cpuid(1).edx);
	AUX(AT_PLATFORM, platform);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	if (vdso)
		AUX(AT_SYSINFO_EHDR, vdso);
	AUX(AT_NULL, 0);
#undef AUX
	uint64_t words = 1 + (a->argv.count + 1) + (a->envp.count + 1) + (uint64_t)(x - auxv);
	uint64_t sp = (random - 8 * words) & ~15UL;	/* 16-byte aligned at argc */
	uint64_t argv = sp + 8, envp = argv + 8 * (a->argv.count + 1);
	uint64_t argc = (uint64_t)a->argv.count, at = strings;
	char *bounce = kmalloc(PAGE_SIZE);
	int r;

	random_bytes(rnd, sizeof(rnd));
	if (!bounce)
		return -ENOMEM;
	/* Everything not written here stays zero: the NULLs and the padding. */
	if ((r = uvm_write(vm, execfn, path, strlen(path) + 1)) < 0 ||
	    (r = push_strings(vm, &a->argv, &at, argv, bounce)) < 0 ||
	    (r = push_strings(vm, &a->envp, &at, envp, bounce)) < 0 ||
	    (r = uvm_write(vm, platform, PLATFORM, sizeof(PLATFORM))) < 0 ||
	    (r = uvm_write(vm, random, rnd, sizeof(rnd))) < 0 ||
	    (r = uvm_write(vm, envp + 8 * (a->envp.count + 1), auxv,
			   8 * (uint64_t)(x - auxv))) < 0 ||
	    (r = uvm_write(vm, sp, &argc, 8)) < 0) {
		kfree(bounce);
		return r;
	}
	kfree(bounce);
	return (int64_t)sp;
}

/* Refused programs are reported only when the command line asks (debug=exec). */
static void
report_refusal(const char *path, const char *why)
{
	if (cmdline_has(boot_argc, boot_argv, "debug", "exec"))
		kprintf("kernel: exec %s refused: %s\n", path, why);
}

/* Switches p to the new program in vm: the point of no return. */
static void
commit(struct proc *p, const char *path, struct uvm *vm, uint64_t entry, uint64_t sp)
{
	struct uvm *old = p->vm;
	const char *base = strrchr(path, '/');

	p->vm = vm;
	p->did_exec = true;
	strlcpy(p->name, base ? base + 1 : path, sizeof(p->name));
	*p->tf = (struct trapframe){
		.rip = entry, .cs = USER_CS, .rflags = USER_RFLAGS, .rsp = sp, .ss = USER_DS,
	};
	p->fs_base = p->gs_base = 0;
	p->clear_tid = 0;
	fpu_init_state(p->fpu);
	if (p == proc_current()) {
		uvm_activate(vm);	/* before the old tables go */
		cpu_switch_user_state(p->kstack_top, 0, 0);
		fpu_restore(p->fpu);
	}
	if (old) {
		proc_account_rss(p, old);
		uvm_destroy(old);
	}
}

int
exec_into(struct proc *p, const char *path, struct exec_args *args)
{
	static char *const empty_argv[] = { "" };
	struct cpio_entry file;
	struct elf_info info;
	const char *why = "";
	uint64_t bytes = 0;
	int r = initrd_find(path, &file);

	if (r < 0)
		return r == -EINVAL ? -EIO : r;
	if ((file.mode & S_IFMT) != S_IFREG)
		return -EACCES;
	if (elf_check(file.data, file.size, USER_PIE_BASE, USER_BASE, USER_MMAP_TOP,
		      &info, &why) < 0) {
		report_refusal(path, why);
		return -ENOEXEC;
	}
	if ((r = count_strings(&args->argv, &bytes)) < 0 ||
	    (r = count_strings(&args->envp, &bytes)) < 0)
		return r;
	/* No arguments at all: argv[0] becomes "" (Linux since 5.18). */
	if (args->argv.count == 0) {
		args->argv = (struct exec_strings){ .kernel = empty_argv, .count = 1 };
		bytes += 1 + 8;
	}
	if (bytes + strlen(path) + 1 > ARG_STACK_MAX)
		return -E2BIG;
	struct uvm *vm = uvm_create();
	if (!vm)
		return -ENOMEM;
	int64_t sp = 0;
	if ((r = load_segments(vm, file.data, &info)) < 0 ||
	    (r = uvm_add_region(vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
				VM_READ | VM_WRITE, VMA_STACK)) < 0 ||
	    (sp = build_stack(vm, p, path, args,
			      bytes - 8 * (uint64_t)(args->argv.count + args->envp.count),
			      &info, vdso_map(vm))) < 0) {
		uvm_destroy(vm);
		return r < 0 ? r : (int)sp;
	}
	vm->brk_start = vm->brk = info.hi;
	commit(p, path, vm, info.entry, (uint64_t)sp);
	return 0;
}
