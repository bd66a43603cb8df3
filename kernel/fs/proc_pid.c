/*
 * /proc/PID: one process as Linux describes it (fs/proc/array.c's
 * formats), for ps, top and the curious: stat, status, statm, cmdline,
 * environ, comm, maps, mounts, and the links exe, cwd, root and fd/N.
 */
#include <kerrno.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <kstring.h>
#include <param.h>
#include <proc.h>
#include <tty.h>
#include <uvm.h>
#include "fs_internal.h"
#include "procfs.h"

#define NS_PER_TICK	(1000000000UL / USER_HZ)

extern const struct vma_file_ops vma_file_ops;

static const char *
state_name(const struct proc *p)
{
	if (p->stopped)
		return "T (stopped)";
	switch (p->state) {
	case P_SLEEPING:
		return "S (sleeping)";
	case P_ZOMBIE:
		return "Z (zombie)";
	default:
		return "R (running)";
	}
}

int
proc_file_name(struct file *f, char *buf, size_t size)
{
	int n;

	if (f->path.dentry) {
		if ((n = vfs_path_name(&f->path, buf, size)) >= 0 && f->path.dentry->dead)
			n += (int)strlcpy(buf + n, " (deleted)", size - (size_t)n);
		return n < (int)size ? n : -ENAMETOOLONG;
	}
	if (S_ISFIFO(f->inode->mode))
		n = ksnprintf(buf, size, "pipe:[%lu]", f->inode->ino);
	else if (S_ISREG(f->inode->mode))
		n = ksnprintf(buf, size, "/dev/zero (deleted)");	/* shared anonymous memory */
	else
		n = ksnprintf(buf, size, "anon_inode:[%lu]", f->inode->ino);
	return n < (int)size ? n : -ENAMETOOLONG;
}

/* What the regions of p add up to, in pages. */
struct vm_sums {
	uint64_t size, data, stack, exe;
};

static struct vm_sums
vm_sums(struct uvm *vm)
{
	struct vm_sums s = { 0 };

	for (struct vma *v = vm ? uvm_first(vm) : NULL; v; v = uvm_next(v)) {
		uint64_t pages = (v->end - v->start) / PAGE_SIZE;

		s.size += pages;
		if (v->kind & VMA_STACK)
			s.stack += pages;
		else if ((v->prot & (VM_WRITE | VM_EXEC)) == VM_EXEC && (v->kind & VMA_IMAGE))
			s.exe += pages;
		else if ((v->prot & VM_WRITE) && !(v->kind & VMA_SHARED))
			s.data += pages;
	}
	return s;
}

static uint64_t
ticks(uint64_t ns)
{
	return ns / NS_PER_TICK;
}

static void
show_stat(struct seq *s, struct proc *p)
{
	uint64_t user, sys;
	int tpgid;
	uint32_t tty = tty_of_session(p->sid, &tpgid);
	struct uvm *vm = p->vm;

	proc_times(p, &user, &sys);
	seq_printf(s, "%d (%s) %c %d %d %d %u %d 0 %lu %lu 0 0 %lu %lu %lu %lu 20 0 1 0 %lu ",
		   p->pid, p->name, state_name(p)[0], p->parent ? p->parent->pid : 0, p->pgid,
		   p->sid, tty, tpgid, p->minflt, p->child_minflt, ticks(user), ticks(sys),
		   ticks(p->child_user_ns), ticks(p->child_sys_ns), ticks(p->start_ns));
	seq_printf(s, "%lu %lu %lu 0 0 0 0 %lu %lu %lu 0 0 0 0 17 0 0 0 0 0 0 ",
		   vm ? uvm_size(vm) : 0, vm ? vm->rss : 0, p->rlim[RLIMIT_RSS].rlim_cur,
		   p->sigpending & 0xFFFFFFFFUL, p->sigmask & 0xFFFFFFFFUL,
		   p->sigignore & 0xFFFFFFFFUL);
	seq_printf(s, "0 0 %lu %lu %lu %lu %lu %d\n", vm ? vm->brk_start : 0,
		   vm ? vm->arg_start : 0, vm ? vm->arg_end : 0, vm ? vm->arg_end : 0,
		   vm ? vm->env_end : 0, p->state == P_ZOMBIE ? p->exit_status : 0);
}

static void
show_statm(struct seq *s, struct proc *p)
{
	struct vm_sums v = vm_sums(p->vm);

	seq_printf(s, "%lu %lu 0 %lu 0 %lu 0\n", v.size, p->vm ? p->vm->rss : 0, v.exe,
		   v.data + v.stack);
}

static void
vm_line(struct seq *s, const char *name, uint64_t pages)
{
	seq_printf(s, "%s\t%8lu kB\n", name, pages * (PAGE_SIZE / 1024));
}

static void
show_status(struct seq *s, struct proc *p)
{
	const struct cred *c = &p->cred;
	struct uvm *vm = p->vm;

	seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		   "PPid:\t%d\nTracerPid:\t0\n", p->name, vfs_proc_umask(p), state_name(p),
		   p->pid, p->pid, p->parent ? p->parent->pid : 0);
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%u\nGroups:\t",
		   c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid,
		   (fd_count(p->files) + 63) / 64 * 64);
	for (unsigned i = 0; c->groups && i < c->groups->ngroups; i++)
		seq_printf(s, i ? " %u" : "%u", c->groups->gid[i]);
	seq_printf(s, " \n");		/* Linux's trailing space */
	if (vm) {
		struct vm_sums v = vm_sums(vm);

		vm_line(s, "VmPeak:", v.size);
		vm_line(s, "VmSize:", v.size);
		vm_line(s, "VmLck:", 0);
		vm_line(s, "VmHWM:", vm->max_rss);
		vm_line(s, "VmRSS:", vm->rss);
		vm_line(s, "VmData:", v.data);
		vm_line(s, "VmStk:", v.stack);
		vm_line(s, "VmExe:", v.exe);
		vm_line(s, "VmLib:", 0);
		vm_line(s, "VmSwap:", 0);
	}
	seq_printf(s, "Threads:\t1\nSigQ:\t0/%lu\nSigPnd:\t%016lx\nShdPnd:\t0000000000000000\n"
		   "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t0000000000000000\n",
		   p->rlim[RLIMIT_SIGPENDING].rlim_cur, p->sigpending, p->sigmask, p->sigignore);
	seq_printf(s, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
		   "CapBnd:\t%016lx\nCapAmb:\t0000000000000000\nNoNewPrivs:\t%d\n"
		   "Seccomp:\t0\n", c->cap_inheritable, c->cap_permitted, c->cap_effective,
		   c->cap_bset, c->no_new_privs);
}

/* Bytes [start, end) of p's memory, as they are now. */
static void
show_memory(struct seq *s, struct proc *p, uint64_t start, uint64_t end)
{
	char *page = kmalloc(PAGE_SIZE);

	if (!page) {
		s->len = s->size + 1;
		return;
	}
	while (p->vm && start < end && s->len <= s->size) {
		uint64_t n = end - start < PAGE_SIZE ? end - start : PAGE_SIZE;

		uvm_read(p->vm, start, page, n);
		seq_write(s, page, n);
		start += n;
	}
	kfree(page);
}

static void
show_cmdline(struct seq *s, struct proc *p)
{
	if (p->vm)
		show_memory(s, p, p->vm->arg_start, p->vm->arg_end);
}

static void
show_environ(struct seq *s, struct proc *p)
{
	if (p->vm)
		show_memory(s, p, p->vm->arg_end, p->vm->env_end);
}

static void
show_comm(struct seq *s, struct proc *p)
{
	seq_printf(s, "%s\n", p->name);
}

static const char *
region_name(const struct vma *v)
{
	if (v->kind & VMA_HEAP)
		return "[heap]";
	if (v->kind & VMA_STACK)
		return "[stack]";
	if (v->kind & VMA_SPECIAL)
		return v->prot & VM_EXEC ? "[vdso]" : "[vvar]";
	return NULL;
}

static void
show_maps(struct seq *s, struct proc *p)
{
	char *name = kmalloc(PATH_MAX);

	if (!name) {
		s->len = s->size + 1;
		return;
	}
	for (struct vma *v = p->vm ? uvm_first(p->vm) : NULL; v; v = uvm_next(v)) {
		struct file *f = v->file.ops == &vma_file_ops ? v->file.file : NULL;
		const char *label = region_name(v);
		uint32_t dev = f && f->path.dentry ? f->inode->sb->dev : 0;
		uint64_t ino = f && f->path.dentry ? f->inode->ino : 0;
		size_t start = s->len;

		seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->start, v->end,
			   v->prot & VM_READ ? 'r' : '-', v->prot & VM_WRITE ? 'w' : '-',
			   v->prot & VM_EXEC ? 'x' : '-', v->kind & VMA_SHARED ? 's' : 'p',
			   f ? v->file.pgoff * PAGE_SIZE : 0, MAJOR(dev), MINOR(dev), ino);
		if (f && proc_file_name(f, name, PATH_MAX) >= 0)
			label = name;
		if (label)
			seq_printf(s, "%*s%s", s->len - start < 73 ? (int)(73 - (s->len - start)) : 0,
				   "", label);
		seq_printf(s, "\n");
	}
	kfree(name);
}

static void
show_mounts(struct seq *s, struct proc *p)
{
	vfs_mounts_show(s);
}

static int
link_path(struct path d, char *buf, size_t size)
{
	if (!d.dentry)
		return -ENOENT;
	int n = vfs_path_name(&d, buf, size);
	path_put(&d);
	return n;
}

static int
link_cwd(struct proc *p, int fd, char *buf, size_t size)
{
	return link_path(vfs_proc_dir(p, false), buf, size);
}

static int
link_root(struct proc *p, int fd, char *buf, size_t size)
{
	return link_path(vfs_proc_dir(p, true), buf, size);
}

static int
link_exe(struct proc *p, int fd, char *buf, size_t size)
{
	struct file *f = vfs_exe(p);

	if (!f)
		return -ENOENT;
	int n = proc_file_name(f, buf, size);
	file_put(f);
	return n;
}

static int
link_fd(struct proc *p, int fd, char *buf, size_t size)
{
	struct file *f = fd_peek(p->files, (unsigned)fd);

	return f ? proc_file_name(f, buf, size) : -ENOENT;
}

const struct proc_entry proc_fd_entry = { "", S_IFLNK | 0700, .link = link_fd };

#define FILE(n, mode, fn)	{ n, S_IFREG | (mode), .show = fn }
#define LINK(n, fn)		{ n, S_IFLNK | 0777, .link = fn }

const struct proc_entry proc_pid_entries[] = {
	FILE("cmdline", 0444, show_cmdline),
	FILE("comm", 0444, show_comm),
	LINK("cwd", link_cwd),
	FILE("environ", 0400, show_environ),
	LINK("exe", link_exe),
	{ "fd", S_IFDIR | 0500, .kind = PROC_DIR_FDS },
	FILE("maps", 0444, show_maps),
	FILE("mounts", 0444, show_mounts),
	LINK("root", link_root),
	FILE("stat", 0444, show_stat),
	FILE("statm", 0444, show_statm),
	FILE("status", 0444, show_status),
	{ NULL },
};
