/*
 * The top of /proc: the machine as Linux's files describe it, in their
 * formats, for free, uptime, top, ps and mount.
 */
#include <bootinfo.h>
#include <clock.h>
#include <irq.h>
#include <kmalloc.h>
#include <kprintf.h>
#include <layout.h>
#include <kstring.h>
#include <param.h>
#include <pmm.h>
#include <proc.h>
#include <timer.h>
#include <arch/cpu.h>
#include "fs_internal.h"
#include "procfs.h"

#define KB(pages)	((pages) * (PAGE_SIZE / 1024))

static void
meminfo_line(struct seq *s, const char *name, uint64_t kb)
{
	seq_printf(s, "%-16s%8lu kB\n", name, kb);
}

static void
show_meminfo(struct seq *s, struct proc *unused)
{
	uint64_t total = pmm_managed_frames(), free = pmm_free_frames();
	uint64_t shmem = tmpfs_pages(), slab = (kmalloc_in_use() + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t stacks = (uint64_t)proc_count() * KSTACK_PAGES, used = total - free;
	uint64_t other = shmem + slab + stacks, anon = used > other ? used - other : 0;

	meminfo_line(s, "MemTotal:", KB(total));
	meminfo_line(s, "MemFree:", KB(free));
	meminfo_line(s, "MemAvailable:", KB(free));	/* file data is memory: none comes back */
	meminfo_line(s, "Buffers:", 0);
	meminfo_line(s, "Cached:", KB(shmem));
	meminfo_line(s, "SwapCached:", 0);
	meminfo_line(s, "Active:", KB(anon + shmem));
	meminfo_line(s, "Inactive:", 0);
	meminfo_line(s, "SwapTotal:", 0);
	meminfo_line(s, "SwapFree:", 0);
	meminfo_line(s, "Dirty:", 0);
	meminfo_line(s, "AnonPages:", KB(anon));
	meminfo_line(s, "Shmem:", KB(shmem));
	meminfo_line(s, "Slab:", KB(slab));
	meminfo_line(s, "SReclaimable:", 0);
	meminfo_line(s, "SUnreclaim:", KB(slab));
	seq_printf(s, "%-16s%8lu kB\n", "KernelStack:", KB(stacks));
	meminfo_line(s, "CommitLimit:", KB(total));
	meminfo_line(s, "Committed_AS:", KB(used));
	seq_printf(s, "HugePages_Total:%8u\nHugePages_Free: %8u\n", 0, 0);
	meminfo_line(s, "Hugepagesize:", 2048);
}

/* Seconds with hundredths, as uptime and loadavg print them. */
static void
print_centi(struct seq *s, uint64_t centi, const char *after)
{
	seq_printf(s, "%lu.%02lu%s", centi / 100, centi % 100, after);
}

static void
show_uptime(struct seq *s, struct proc *unused)
{
	unsigned hz = timer_hz() ? timer_hz() : 100;

	print_centi(s, clock_ns() / 10000000, " ");
	print_centi(s, cpu_stats.idle_ticks * 100 / hz, "\n");
}

/* Linux's format: a count per line and controller, then the CPU's own vectors. */
static void
show_interrupts(struct seq *s, struct proc *unused)
{
	const struct irq_chip *chip = irq_chip();
	const char *tag, *what;
	uint64_t count;

	seq_printf(s, "           CPU0\n");
	for (int irq = 0; irq < NIRQ; irq++)
		if (irq_count[irq] || irq_spurious[irq])
			seq_printf(s, "%3d: %10lu   %s\n", irq, irq_count[irq],
				   chip ? chip->name : "none");
	for (unsigned i = 0; irq_vector_stat(i, &tag, &what, &count); i++)
		seq_printf(s, "%3s: %10lu   %s\n", tag, count, what);
}

static void
show_loadavg(struct seq *s, struct proc *unused)
{
	unsigned running = 0, total = 0;
	int last = 0;

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p)) {
		running += p->state == P_READY || p->state == P_RUNNING;
		total++;
		if (!last)
			last = p->pid;	/* the newest */
	}
	for (int i = 0; i < 3; i++) {
		uint64_t a = cpu_stats.avenrun[i] + (1 << 11) / 200;	/* rounded to 0.01 */

		print_centi(s, (a >> 11) * 100 + ((a & 2047) * 100 >> 11), " ");
	}
	seq_printf(s, "%u/%u %d\n", running, total, last);
}

static void
show_stat(struct seq *s, struct proc *unused)
{
	unsigned hz = timer_hz() ? timer_hz() : 100;
	uint64_t user = cpu_stats.user_ticks * USER_HZ / hz;
	uint64_t sys = cpu_stats.sys_ticks * USER_HZ / hz;
	uint64_t idle = cpu_stats.idle_ticks * USER_HZ / hz;
	unsigned running = 0, blocked = 0;

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		running += p->state == P_READY || p->state == P_RUNNING;
	seq_printf(s, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
	seq_printf(s, "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
	seq_printf(s, "intr 0\nctxt %lu\nbtime %lu\nprocesses %lu\n", cpu_stats.ctxt,
		   (clock_realtime_ns() - clock_ns()) / 1000000000UL, cpu_stats.forks);
	seq_printf(s, "procs_running %u\nprocs_blocked %u\nsoftirq 0\n", running, blocked);
}

/* CPUID feature bits by the names Linux gives them. */
struct flag_names {
	uint32_t leaf, sub;
	char reg;			/* 'b', 'c' or 'd' */
	const char *names[32];
};

static const struct flag_names flag_table[] = {
	{ 1, 0, 'd', { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
		       NULL, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn",
		       "clflush", NULL, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht",
		       "tm", "ia64", "pbe" } },
	{ 0x80000001, 0, 'd', { [11] = "syscall", [20] = "nx", [22] = "mmxext",
				[25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm",
				[30] = "3dnowext", [31] = "3dnow" } },
	{ 1, 0, 'c', { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
		       "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL,
		       "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
		       "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c", "rdrand",
		       "hypervisor" } },
	{ 0x80000001, 0, 'c', { "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy",
				"abm", "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs",
				"xop", "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
				"nodeid_msr", NULL, "tbm", "topoext" } },
	{ 7, 0, 'b', { "fsgsbase", "tsc_adjust", NULL, "bmi1", "hle", "avx2", NULL, "smep",
		       "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx", NULL, "avx512f",
		       "avx512dq", "rdseed", "adx", "smap", "avx512ifma", NULL, "clflushopt",
		       "clwb", NULL, "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw",
		       "avx512vl" } },
};

static void
show_cpuinfo(struct seq *s, struct proc *unused)
{
	struct cpuid_regs v = cpuid(0), f = cpuid(1);
	uint32_t max_ext = cpuid(0x80000000).eax;
	char vendor[13], brand[49] = "";

	memcpy(vendor, &v.ebx, 4);
	memcpy(vendor + 4, &v.edx, 4);
	memcpy(vendor + 8, &v.ecx, 4);
	vendor[12] = '\0';
	if (max_ext >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			struct cpuid_regs b = cpuid(0x80000002 + i);

			memcpy(brand + 16 * i, &b, 16);
		}
		brand[48] = '\0';
	}
	const char *name = brand;
	while (*name == ' ')
		name++;
	uint32_t family = (f.eax >> 8) & 0xF, model = (f.eax >> 4) & 0xF;
	if (family == 0xF)
		family += (f.eax >> 20) & 0xFF;
	if (family >= 6)
		model |= ((f.eax >> 16) & 0xF) << 4;
	uint64_t khz = tsc_khz();
	seq_printf(s, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		   "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n", vendor, family,
		   model, *name ? name : "unknown", f.eax & 0xF, khz / 1000, khz % 1000);
	seq_printf(s, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
		   "apicid\t\t: 0\ninitial apicid\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\n"
		   "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:", v.eax);
	for (unsigned i = 0; i < sizeof(flag_table) / sizeof(flag_table[0]); i++) {
		const struct flag_names *t = &flag_table[i];

		if ((t->leaf < 0x80000000 ? v.eax : max_ext) < t->leaf)
			continue;
		struct cpuid_regs r = cpuid_count(t->leaf, t->sub);
		uint32_t bits = t->reg == 'b' ? r.ebx : t->reg == 'c' ? r.ecx : r.edx;
		for (int b = 0; b < 32; b++)
			if ((bits >> b & 1) && t->names[b])
				seq_printf(s, " %s", t->names[b]);
	}
	uint32_t sizes = max_ext >= 0x80000008 ? cpuid(0x80000008).eax : 0x3028;
	seq_printf(s, "\nbogomips\t: %lu.%02lu\nclflush size\t: %u\ncache_alignment\t: %u\n"
		   "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
		   khz / 500, khz / 5 % 100, (f.ebx >> 8 & 0xFF) * 8, (f.ebx >> 8 & 0xFF) * 8,
		   sizes & 0xFF, sizes >> 8 & 0xFF);
}

static void
show_version(struct seq *s, struct proc *unused)
{
	seq_printf(s, "NexaOS version %s (nexaos@nexa) (gcc %s) #1 %s\n", NEXA_VERSION, __VERSION__,
		   __DATE__);
}

static void
show_filesystems(struct seq *s, struct proc *unused)
{
	for (const struct fs_type *t = vfs_fs_types(); t; t = t->next)
		seq_printf(s, "nodev\t%s\n", t->name);
}

static void
show_cmdline(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%s\n", boot_info.cmdline);
}

static int
link_self(struct proc *unused, int fd, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%d", proc_current()->pid);
}

static int
link_mounts(struct proc *unused, int fd, char *buf, size_t size)
{
	return (int)strlcpy(buf, "self/mounts", size);
}

/* /proc/sys: a few of the kernel's settings, read-only. */
static void
show_ostype(struct seq *s, struct proc *unused)
{
	seq_printf(s, "NexaOS\n");
}

static void
show_osrelease(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%s\n", NEXA_VERSION);
}

static void
show_hostname(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%s\n", uts_nodename());
}

static void
show_pid_max(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%d\n", PID_MAX);
}

static void
show_file_nr(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%u\t0\t%u\n", files_open(), FILE_MAX);
}

static void
show_file_max(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%u\n", FILE_MAX);
}

static void
show_nr_open(struct seq *s, struct proc *unused)
{
	seq_printf(s, "%u\n", NOFILE_HARD);
}

#define FILE(n, fn)	{ n, S_IFREG | 0444, .show = fn }
#define DIR(n, c)	{ n, S_IFDIR | 0555, .children = c }

static const struct proc_entry sys_kernel[] = {
	FILE("hostname", show_hostname),
	FILE("ostype", show_ostype),
	FILE("osrelease", show_osrelease),
	FILE("pid_max", show_pid_max),
	FILE("version", show_version),
	{ NULL },
};

static const struct proc_entry sys_fs[] = {
	FILE("file-max", show_file_max),
	FILE("file-nr", show_file_nr),
	FILE("nr_open", show_nr_open),
	{ NULL },
};

static const struct proc_entry sys[] = {
	DIR("fs", sys_fs),
	DIR("kernel", sys_kernel),
	{ NULL },
};

const struct proc_entry proc_root_entries[] = {
	{ "self", S_IFLNK | 0777, .link = link_self },
	{ "mounts", S_IFLNK | 0777, .link = link_mounts },
	FILE("cmdline", show_cmdline),
	FILE("cpuinfo", show_cpuinfo),
	FILE("filesystems", show_filesystems),
	FILE("interrupts", show_interrupts),
	FILE("loadavg", show_loadavg),
	FILE("meminfo", show_meminfo),
	FILE("stat", show_stat),
	FILE("uptime", show_uptime),
	FILE("version", show_version),
	DIR("sys", sys),
	{ NULL },
};
