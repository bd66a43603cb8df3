/*
 * Process accounting: CPU time, page faults, memory high-water marks.
 * Run time is exact (clock_ns() at every switch); its split into user
 * and system time follows where the timer ticks found the process, as
 * Linux does without precise accounting.
 */
#include <kstring.h>
#include <abi.h>
#include <clock.h>
#include <proc.h>
#include <uvm.h>
#include "proc_internal.h"

struct cpu_stats cpu_stats;

#define LOAD_FREQ_NS	5000000000UL	/* the load average moves every 5 seconds */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
static const uint64_t load_exp[3] = { 1884, 2014, 2037 };	/* 1, 5 and 15 minutes */
static uint64_t next_load_ns = LOAD_FREQ_NS;

void
acct_switch(struct proc *prev, struct proc *next)
{
	uint64_t now = clock_ns();

	prev->run_ns += now - prev->ran_since;
	next->ran_since = now;
	cpu_stats.ctxt++;
}

/* Linux's load average: decaying averages of the processes that want the CPU. */
static void
calc_load(void)
{
	uint64_t active = 0;

	for (struct proc *p = proc_next_all(NULL); p; p = proc_next_all(p))
		active += p->state == P_READY || p->state == P_RUNNING;
	active <<= FSHIFT;
	for (int i = 0; i < 3; i++) {
		uint64_t a = cpu_stats.avenrun[i] * load_exp[i] + active * (FIXED_1 - load_exp[i]);

		/* Round up while rising, as Linux's calc_load. */
		if (active >= cpu_stats.avenrun[i])
			a += FIXED_1 - 1;
		cpu_stats.avenrun[i] = a / FIXED_1;
	}
}

void
acct_tick(enum acct_mode mode)
{
	struct proc *p = proc_current();

	if (mode == ACCT_IDLE) {
		cpu_stats.idle_ticks++;
	} else if (mode == ACCT_USER) {
		p->user_ticks++;
		cpu_stats.user_ticks++;
	} else {
		p->sys_ticks++;
		cpu_stats.sys_ticks++;
	}
	if (clock_ns() >= next_load_ns) {
		next_load_ns += LOAD_FREQ_NS;
		calc_load();
	}
}

uint64_t
proc_cpu_ns(struct proc *p)
{
	return p->run_ns + (p == proc_current() ? clock_ns() - p->ran_since : 0);
}

void
proc_times(struct proc *p, uint64_t *user_ns, uint64_t *sys_ns)
{
	uint64_t total = proc_cpu_ns(p), ticks = p->user_ticks + p->sys_ticks;

	/* Without a sys tick it is all user time (Linux's cputime_adjust). */
	*user_ns = !p->sys_ticks ? total : total / ticks * p->user_ticks +
					   total % ticks * p->user_ticks / ticks;
	*sys_ns = total - *user_ns;
}

void
proc_account_rss(struct proc *p, struct uvm *vm)
{
	if (vm->max_rss > p->maxrss_pages)
		p->maxrss_pages = vm->max_rss;
}

static uint64_t
maxrss_pages(struct proc *p)
{
	return p->vm && p->vm->max_rss > p->maxrss_pages ? p->vm->max_rss : p->maxrss_pages;
}

void
proc_adopt_times(struct proc *parent, struct proc *c)
{
	uint64_t u, s, rss = maxrss_pages(c);

	proc_times(c, &u, &s);
	parent->child_user_ns += u + c->child_user_ns;
	parent->child_sys_ns += s + c->child_sys_ns;
	parent->child_minflt += c->minflt + c->child_minflt;
	if (c->child_maxrss_pages > rss)
		rss = c->child_maxrss_pages;
	if (rss > parent->child_maxrss_pages)
		parent->child_maxrss_pages = rss;
}

static struct timeval_abi
timeval(uint64_t ns)
{
	return (struct timeval_abi){ (int64_t)(ns / NSEC_PER_SEC),
				     (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

void
proc_rusage(struct proc *p, int who, struct rusage_abi *ru)
{
	uint64_t u = 0, s = 0, flt = 0, rss = 0;

	if (who != RUSAGE_CHILDREN) {
		proc_times(p, &u, &s);
		flt = p->minflt;
		rss = maxrss_pages(p);
	}
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH) {
		u += p->child_user_ns;
		s += p->child_sys_ns;
		flt += p->child_minflt;
		if (p->child_maxrss_pages > rss)
			rss = p->child_maxrss_pages;
	}
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime = timeval(u);
	ru->ru_stime = timeval(s);
	ru->ru_maxrss = (int64_t)(rss * (PAGE_SIZE / 1024));
	ru->ru_minflt = (int64_t)flt;
}
