/*
 * execve: the ELF loader and the initial user stack.
 *
 *   USER_STACK_TOP -> +----------------------------+
 *                     | path, argv and env strings |
 *                     | "x86_64", 16 random bytes  |
 *                     | (padding to 16 bytes)      |
 *                     | auxv: (key, value)... AT_NULL
 *                     | envp[0] ... NULL           |
 *                     | argv[0] ... NULL           |
 *   rsp (16-aligned)->| argc                       |
 */
#include <string.h>
#include <abi.h>
#include <elf64.h>
#include <errno.h>
#include <exec.h>
#include <initrd.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <param.h>
#include <usercopy.h>
#include <uvm.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <gdt.h>

#define S_IFMT		0170000
#define S_IFREG		0100000
#define AUXV_PAIRS	20

/* The stack image, built in kernel memory before it is copied out. */
struct stack_builder {
	uint8_t *buf;		/* mirrors [USER_STACK_TOP - size, USER_STACK_TOP) */
	uint64_t size, used;	/* bytes from the top */
};

/* Pushes n bytes; their user address, or 0 if the image is full. */
static uint64_t
push_bytes(struct stack_builder *sb, const void *data, uint64_t n)
{
	if (sb->used + n > sb->size)
		return 0;
	sb->used += n;
	memcpy(sb->buf + sb->size - sb->used, data, n);
	return USER_STACK_TOP - sb->used;
}

static uint64_t
push_string(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

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
		uint64_t start = va & ~(PAGE_SIZE - 1);
		uint64_t end = (va + ph->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		int r = uvm_add_region(vm, start, end, segment_prot(ph->flags), VMA_IMAGE);
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

/* Builds the initial stack; returns the initial rsp, or -E2BIG. */
static int64_t
build_stack(struct uvm *vm, struct proc *p, const char *path, char *const argv[],
	    int argc, char *const envp[], int envc, const struct elf_info *info)
{
	struct stack_builder sb = { .size = ARG_MAX_BYTES + 8 * (ARG_MAX_COUNT + 64) };
	uint64_t *ptrs = kmalloc(8 * (argc + envc));
	int64_t r = -E2BIG;

	sb.buf = kmalloc(sb.size);
	if (!sb.buf || !ptrs) {
		r = -ENOMEM;
		goto out;
	}
	uint64_t execfn = push_string(&sb, path);
	for (int i = envc - 1; i >= 0; i--)
		if (!(ptrs[argc + i] = push_string(&sb, envp[i])))
			goto out;
	for (int i = argc - 1; i >= 0; i--)
		if (!(ptrs[i] = push_string(&sb, argv[i])))
			goto out;
	uint64_t platform = push_string(&sb, "x86_64");
	uint8_t rnd[16];
	random_bytes(rnd, sizeof(rnd));
	uint64_t random = push_bytes(&sb, rnd, sizeof(rnd));
	if (!execfn || !platform || !random)
		goto out;

	uint64_t auxv[2 * AUXV_PAIRS], *a = auxv;
#define AUX(k, v) do { *a++ = (k); *a++ = (v); } while (0)
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
	AUX(AT_CLKTCK, 100);
	AUX(AT_HWCAP, 0);
	AUX(AT_PLATFORM, platform);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	uint64_t naux = (uint64_t)(a - auxv);
	uint64_t words = 1 + (argc + 1) + (envc + 1) + naux;
	/* rsp must be 16-byte aligned at the entry point, on argc. */
	sb.used = (sb.used + 15) & ~15UL;
	if (words & 1)
		sb.used += 8;
	uint64_t zero = 0, n = (uint64_t)argc;
	if (!push_bytes(&sb, auxv, naux * 8) || !push_bytes(&sb, &zero, 8) ||
	    !push_bytes(&sb, ptrs + argc, 8 * envc) || !push_bytes(&sb, &zero, 8) ||
	    !push_bytes(&sb, ptrs, 8 * argc) || !push_bytes(&sb, &n, 8))
		goto out;
	r = uvm_write(vm, USER_STACK_TOP - sb.used, sb.buf + sb.size - sb.used, sb.used);
	if (r == 0)
		r = (int64_t)(USER_STACK_TOP - sb.used);
out:
	kfree(sb.buf);
	kfree(ptrs);
	return r;
}

int
exec_into(struct proc *p, const char *path, char *const argv[], int argc,
	  char *const envp[], int envc)
{
	struct cpio_entry file;
	struct elf_info info;
	const char *why = "";
	int r = initrd_find(path, &file);

	if (r < 0)
		return r == -EINVAL ? -EIO : r;
	if ((file.mode & S_IFMT) != S_IFREG)
		return -EACCES;
	if (elf_check(file.data, file.size, USER_PIE_BASE, USER_BASE, USER_MMAP_TOP,
		      &info, &why) < 0) {
		kprintf("kernel: exec %s refused: %s\n", path, why);
		return -ENOEXEC;
	}
	struct uvm *vm = uvm_create();
	if (!vm)
		return -ENOMEM;
	int64_t sp;
	if ((r = load_segments(vm, file.data, &info)) < 0 ||
	    (r = uvm_add_region(vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
				VM_READABLE | VM_WRITE, VMA_STACK)) < 0 ||
	    (sp = build_stack(vm, p, path, argv, argc, envp, envc, &info)) < 0) {
		uvm_destroy(vm);
		return r < 0 ? r : (int)sp;
	}
	vm->brk_start = vm->brk = info.hi;

	/* The point of no return: the old program is gone. */
	struct uvm *old = p->vm;
	p->vm = vm;
	const char *base = strrchr(path, '/');
	strlcpy(p->name, base ? base + 1 : path, sizeof(p->name));
	*p->tf = (struct trapframe){
		.rip = info.entry, .cs = USER_CS, .rflags = 0x202, .rsp = (uint64_t)sp,
		.ss = USER_DS,
	};
	p->fs_base = 0;
	p->clear_tid = 0;
	fpu_init_state(p->fpu);
	if (p == proc_current()) {
		uvm_activate(vm);	/* before the old tables go */
		cpu_switch_user_state(p->kstack_top, 0);
		fpu_restore(p->fpu);
	}
	if (old)
		uvm_destroy(old);
	return 0;
}
