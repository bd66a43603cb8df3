/*
 * execve: finding the program (exec_run and its formats), the ELF loader,
 * and the initial user stack, laid out as Linux lays it out. The strings
 * are copied straight from the old program's memory into the new stack's
 * pages, which come zeroed: no large kernel buffer is needed, and no
 * stale byte reaches the new program.
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
#include <random.h>
#include <abi.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <elf64.h>
#include <kerrno.h>
#include <exec.h>
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

/* A segment's p_flags as region permissions, as mmap would give them. */
static unsigned
segment_prot(uint32_t flags)
{
	return uvm_prot_bits((flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
			     (flags & PF_X ? PROT_EXEC : 0));
}

/*
 * The file's pages [off, off + len) at va (both page aligned) with prot:
 * mapped (lab 5: demand-paged from the file) or, for a file without a
 * map op, a region of the program's own with the bytes copied in.
 */
static int
map_file_part(struct uvm *vm, struct exec_file *f, uint64_t va, uint64_t len, uint64_t off,
	      unsigned prot)
{
	if (f->map)
		return f->map(f, vm, va, len, off, prot);
	int r = uvm_add_region(vm, va, va + len, prot, VMA_IMAGE);
	char *buf = r == 0 ? kmalloc(PAGE_SIZE) : NULL;
	if (r == 0 && !buf)
		r = -ENOMEM;
	for (uint64_t done = 0; r == 0 && done < len && off + done < f->size; done += PAGE_SIZE) {
		uint64_t n = f->size - (off + done) < PAGE_SIZE ? f->size - (off + done) : PAGE_SIZE;

		if ((r = f->read(f, off + done, buf, n)) == 0)
			r = uvm_write(vm, va + done, buf, n);
	}
	kfree(buf);
	return r;
}

/* Zeroes [va, end) of vm: the rest of a segment's last file page (bss). */
static int
zero_tail(struct uvm *vm, uint64_t va, uint64_t end)
{
	static const char zeros[256];

	while (va < end) {
		uint64_t n = end - va < sizeof(zeros) ? end - va : sizeof(zeros);
		int r = uvm_write(vm, va, zeros, n);

		if (r < 0)
			return r;
		va += n;
	}
	return 0;
}

#if SOL >= 4
/*
 * Maps the PT_LOAD segments of the program: each one's file bytes, the
 * rest of its last file page zeroed, then anonymous pages up to memsz.
 */
static int
load_segments(struct uvm *vm, struct exec_file *f, const struct elf64_phdr *phdrs,
	      const struct elf_info *info)
{
	for (unsigned i = 0; i < info->phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		uint64_t va = ph->vaddr + info->base, start = PGROUNDDOWN(va);
		uint64_t file_end = va + ph->filesz, end = PGROUNDUP(va + ph->memsz);
		unsigned prot = segment_prot(ph->flags);
		int r = 0;

		if (ph->filesz)
			r = map_file_part(vm, f, start, PGROUNDUP(file_end) - start,
					  PGROUNDDOWN(ph->offset), prot);
		if (r == 0 && ph->filesz && file_end % PAGE_SIZE)
			r = zero_tail(vm, file_end, PGROUNDUP(file_end) < end ?
				      PGROUNDUP(file_end) : end);
		if (r == 0 && PGROUNDUP(file_end) < end)
			r = uvm_add_region(vm, ph->filesz ? PGROUNDUP(file_end) : start, end,
					   prot, VMA_IMAGE);
		if (r < 0)
			return r;
	}
	return 0;
}
#else
static int
load_segments(struct uvm *vm, struct exec_file *f, const struct elf64_phdr *phdrs,
	      const struct elf_info *info)
{
	/* LAB 4: your code here. For each PT_LOAD header with a memsz, at
	 * va = p_vaddr + info->base: the file's pages from the page of
	 * p_offset over [PGROUNDDOWN(va), PGROUNDUP(va + p_filesz))
	 * (map_file_part, with segment_prot's permissions); zeros from
	 * va + p_filesz to the end of that page (zero_tail: the bss may
	 * start inside it); then an anonymous region (uvm_add_region,
	 * VMA_IMAGE) from there up to PGROUNDUP(va + p_memsz). */
	(void)vm, (void)f, (void)phdrs, (void)info, (void)map_file_part, (void)zero_tail;
	kprintf("exec: load_segments is not written yet (lab 4)\n");
	return -ENOEXEC;
}
#endif

/* String i of the program's strings in v: its address, and whether it is the kernel's. */
static int
string_at(const struct exec_strings *v, int i, uint64_t *s, bool *kernel)
{
	if (i < v->nextra) {
		*s = (uint64_t)v->extra[i];
		*kernel = true;
		return 0;
	}
	i += v->skip - v->nextra;
	*kernel = v->kernel != NULL;
	if (v->kernel) {
		*s = (uint64_t)v->kernel[i];
		return 0;
	}
	return copy_from_user(s, v->user + 8 * (uint64_t)i, 8);
}

/* The size of string s with its NUL; -E2BIG beyond MAX_ARG_STRLEN, -EFAULT. */
static long
string_size(uint64_t s, bool kernel)
{
	if (kernel)
		return (long)strlen((const char *)s) + 1;
	long n = strnlen_user(s, MAX_ARG_STRLEN);
	return n == -ENAMETOOLONG ? -E2BIG : n < 0 ? n : n + 1;
}

/*
 * Counts the strings of v into v->total and adds their bytes, pointers
 * included, to *bytes: within Linux's limits, and giving up for a fatal
 * signal (an array of a million pointers takes a while).
 */
static int
count_strings(struct exec_strings *v, uint64_t *bytes)
{
	int n = 0;

	for (;; n++) {
		uint64_t s;
		bool kernel;

		if (n >= v->nextra && (v->kernel ? n - v->nextra + v->skip >= v->count :
				       !v->user))
			break;
		if (string_at(v, n, &s, &kernel) < 0)
			return -EFAULT;
		if (!s)
			break;
		long size = string_size(s, kernel);
		if (size < 0)
			return (int)size;
		*bytes += (uint64_t)size + 8;
		if (*bytes > ARG_STACK_MAX)
			return -E2BIG;
		if (proc_fatal_pending())
			return -EINTR;
		sched_cond_resched();
	}
	v->total = n;
	return 0;
}

/* Copies string s, size bytes with its NUL, to dst in vm. */
static int
copy_string(struct uvm *vm, uint64_t dst, uint64_t s, bool kernel, uint64_t size, char *bounce)
{
	if (kernel)
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
	for (int i = 0; i < v->total; i++) {
		uint64_t s;
		bool kernel;
		long size;
		int r;

		if (string_at(v, i, &s, &kernel) < 0 || !s)
			return -EFAULT;
		if ((size = string_size(s, kernel)) < 0)
			return (int)size;
		if ((r = copy_string(vm, *at, s, kernel, (uint64_t)size, bounce)) < 0 ||
		    (r = uvm_write(vm, ptrs + 8 * (uint64_t)i, at, 8)) < 0)
			return r;
		*at += (uint64_t)size;
	}
	return 0;
}

/* Builds the initial stack; returns the initial rsp, or -errno. */
static int64_t
build_stack(struct uvm *vm, const struct exec_request *req, const char *path,
	    const struct exec_args *a, uint64_t string_bytes, const struct elf_info *info,
	    uint64_t vdso)
{
	const struct cred *c = &req->cred;
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
	AUX(AT_UID, c->uid);
	AUX(AT_EUID, c->euid);
	AUX(AT_GID, c->gid);
	AUX(AT_EGID, c->egid);
	AUX(AT_SECURE, req->secure);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_HWCAP, cpuid(1).edx);
	AUX(AT_PLATFORM, platform);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	if (vdso)
		AUX(AT_SYSINFO_EHDR, vdso);
	AUX(AT_NULL, 0);
#undef AUX
	uint64_t words = 1 + (a->argv.total + 1) + (a->envp.total + 1) + (uint64_t)(x - auxv);
	uint64_t sp = (random - 8 * words) & ~15UL;	/* 16-byte aligned at argc */
	uint64_t argv = sp + 8, envp = argv + 8 * (a->argv.total + 1);
	uint64_t argc = (uint64_t)a->argv.total, at = strings;
	char *bounce = kmalloc(PAGE_SIZE);
	int r;

	random_bytes(rnd, sizeof(rnd));
	if (!bounce)
		return -ENOMEM;
	/* Everything not written here stays zero: the NULLs and the padding. */
	if ((r = uvm_write(vm, execfn, path, strlen(path) + 1)) < 0 ||
	    (r = push_strings(vm, &a->argv, &at, argv, bounce)) < 0 ||
	    (vm->arg_end = at, r = push_strings(vm, &a->envp, &at, envp, bounce)) < 0 ||
	    (r = uvm_write(vm, platform, PLATFORM, sizeof(PLATFORM))) < 0 ||
	    (r = uvm_write(vm, random, rnd, sizeof(rnd))) < 0 ||
	    (r = uvm_write(vm, envp + 8 * (a->envp.total + 1), auxv,
			   8 * (uint64_t)(x - auxv))) < 0 ||
	    (r = uvm_write(vm, sp, &argc, 8)) < 0) {
		kfree(bounce);
		return r;
	}
	kfree(bounce);
	vm->arg_start = strings;
	vm->env_end = at;
	return (int64_t)sp;
}

/* Refused programs are reported only when the command line asks (debug=exec). */
static void
report_refusal(struct exec_request *req, const char *why)
{
	req->refused = true;
	if (cmdline_debug(boot_argc, boot_argv, "exec"))
		kprintf("kernel: exec %s refused: %s\n", req->path, why);
}

/* Switches p to the new program in vm: the point of no return. */
static void
commit(struct exec_request *req, struct uvm *vm, uint64_t entry, uint64_t sp)
{
	struct proc *p = req->p;
	struct uvm *old = p->vm;
	const char *base = strrchr(req->path, '/');

	p->vm = vm;
	p->did_exec = true;
	p->cred = req->cred;		/* the same groups: no reference changes hands */
	strlcpy(p->name, base ? base + 1 : req->path, sizeof(p->name));
	*p->tf = (struct trapframe){
		.rip = entry, .cs = USER_CS, .rflags = USER_RFLAGS, .rsp = sp, .ss = USER_DS,
	};
	p->fs_base = p->gs_base = 0;
	p->clear_tid = 0;
	fpu_init_state(p->fpu);
	if (req->file.commit)
		req->file.commit(&req->file, p);
	proc_hooks_exec(p);
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

/* The ELF header and program headers of req's file (a kmalloc'd copy in *phdrs). */
static int
read_headers(struct exec_request *req, struct elf64_ehdr *eh, struct elf64_phdr **phdrs)
{
	*phdrs = NULL;
	if (req->head_len < 4 || memcmp(req->head, "\x7f" "ELF", 4))
		return -ENOEXEC;
	memset(eh, 0, sizeof(*eh));
	memcpy(eh, req->head, req->head_len < sizeof(*eh) ? req->head_len : sizeof(*eh));
	if (req->head_len < sizeof(*eh) || !elf_phdrs_readable(eh, req->file.size))
		return 0;		/* elf_check says what is wrong */
	uint64_t n = (uint64_t)eh->phnum * sizeof(**phdrs);
	if (!(*phdrs = kmalloc(n)))
		return -ENOMEM;
	int r = req->file.read(&req->file, eh->phoff, *phdrs, n);
	if (r < 0) {
		kfree(*phdrs);
		*phdrs = NULL;
	}
	return r;
}

/* The ELF format: a static executable or a static PIE. */
static int
elf_load(struct exec_request *req)
{
	static char *const empty_argv[] = { "" };
	struct exec_args *args = req->args;
	struct elf64_phdr *phdrs;
	struct elf64_ehdr eh;
	struct elf_info info;
	const char *why = "";
	uint64_t bytes = 0;
	int r = read_headers(req, &eh, &phdrs);

	if (r < 0)
		return r;
	if (elf_check(&eh, phdrs, req->file.size, USER_PIE_BASE, USER_BASE, USER_MMAP_TOP,
		      &info, &why) < 0) {
		report_refusal(req, why);
		r = -ENOEXEC;
		goto out;
	}
	if ((r = count_strings(&args->argv, &bytes)) < 0 ||
	    (r = count_strings(&args->envp, &bytes)) < 0)
		goto out;
	/* No arguments at all: argv[0] becomes "" (Linux since 5.18). */
	if (args->argv.total == 0) {
		args->argv = (struct exec_strings){ .kernel = empty_argv, .count = 1, .total = 1 };
		bytes += 1 + 8;
	}
	if (bytes + strlen(req->execfn) + 1 > ARG_STACK_MAX) {
		r = -E2BIG;
		goto out;
	}
	req->cred = req->p->cred;
	req->secure = false;
	security_exec_creds(req);
	struct uvm *vm = uvm_create();
	if (!vm) {
		r = -ENOMEM;
		goto out;
	}
	int64_t sp = 0;
	if ((r = load_segments(vm, &req->file, phdrs, &info)) < 0 ||
	    (r = uvm_add_region(vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
				VM_READ | VM_WRITE, VMA_STACK)) < 0 ||
	    (sp = build_stack(vm, req, req->execfn, args,
			      bytes - 8 * (uint64_t)(args->argv.total + args->envp.total),
			      &info, vdso_map(vm))) < 0) {
		uvm_destroy(vm);
		r = r < 0 ? r : (int)sp;
		goto out;
	}
	vm->brk_start = vm->brk = info.hi;
	commit(req, vm, info.entry, (uint64_t)sp);
out:
	kfree(phdrs);
	return r;
}
BINFMT(elf, elf_load);

static const struct exec_source *source;

void
exec_set_source(const struct exec_source *s)
{
	if (!source || s->lab >= source->lab)
		source = s;
}

extern const struct binfmt __binfmts_start[], __binfmts_end[];

int
exec_run(struct exec_request *req)
{
	int r;

	if (!source)
		return -ENOENT;
	if ((r = source->open(req->path, &req->file)) < 0)
		return r;
	req->head_len = req->file.size < BINPRM_BUF_SIZE ? req->file.size : BINPRM_BUF_SIZE;
	memset(req->head, 0, sizeof(req->head));
	r = req->file.read(&req->file, 0, req->head, req->head_len);
	if (r == 0) {
		r = -ENOEXEC;
		/* A format that passed the file on (#! to its interpreter) has closed it. */
		for (const struct binfmt *f = __binfmts_start;
		     f < __binfmts_end && r == -ENOEXEC && req->file.read; f++)
			r = f->load(req);
		if (r == -ENOEXEC && !req->refused)
			report_refusal(req, "neither an ELF file nor a script the kernel runs");
	}
	if (req->file.close)
		req->file.close(&req->file);
	req->file.close = NULL;
	return r;
}

int
exec_into(struct proc *p, const char *path, struct exec_args *args)
{
	struct exec_request req = { .p = p, .path = path, .execfn = path, .args = args };

	return exec_run(&req);
}
