/*
 * The system calls of time: clocks (wall, monotonic and CPU clocks),
 * sleeping, and the CPU time of processes. Times are 64-bit nanoseconds;
 * what would overflow saturates (a sleep of 2^64 ns is a sleep forever).
 */
#include <stdint.h>
#include <abi.h>
#include <clock.h>
#include <kerrno.h>
#include <proc.h>
#include <ksched.h>
#include <ksyscall.h>
#include <timer.h>
#include <usercopy.h>

#define CLOCK_REALTIME_ALARM	8
#define CLOCK_BOOTTIME_ALARM	9

static uint64_t
add_saturated(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static struct timespec_abi
timespec(uint64_t ns)
{
	return (struct timespec_abi){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

int
timespec_from_user(uint64_t uts, uint64_t *ns)
{
	struct timespec_abi ts;

	if (copy_from_user(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec > (UINT64_MAX - (uint64_t)ts.tv_nsec) / NSEC_PER_SEC)
		*ns = UINT64_MAX;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/*
 * A CPU clock: the process or thread clock of the caller, or a negative
 * id naming another process's (~pid << 3 | which). -EINVAL if none.
 */
static int
cpu_clock_ns(int id, uint64_t *ns)
{
	struct proc *p = proc_current();
	int which = CPUCLOCK_SCHED;

	if (id >= 0 && id != CLOCK_PROCESS_CPUTIME_ID && id != CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (id < 0) {
		int pid = CPUCLOCK_PID(id);

		which = CPUCLOCK_WHICH(id);
		if (which > CPUCLOCK_SCHED)
			return -EINVAL;
		/* A thread clock is readable only within the thread group. */
		if (pid && !(p = proc_find(pid)))
			return -EINVAL;
		if ((id & CPUCLOCK_PERTHREAD) && p != proc_current())
			return -EINVAL;
	}
	uint64_t user, sys;
	proc_times(p, &user, &sys);
	*ns = which == CPUCLOCK_PROF ? user + sys : which == CPUCLOCK_VIRT ? user :
	      proc_cpu_ns(p);
	return 0;
}

/* The time of clock id; -EINVAL for a clock that does not exist. */
static int
clock_read(int id, uint64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:			/* the TAI offset is 0 until NTP sets it */
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = clock_ns();
		return 0;
	default:
		return cpu_clock_ns(id, ns);
	}
}

SYSCALL(clock_gettime, 4)
{
	uint64_t ns;
	int r = clock_read((int)a0, &ns);

	if (r < 0)
		return r;
	struct timespec_abi ts = timespec(ns);
	return copy_to_user(a1, &ts, sizeof(ts));
}

SYSCALL(clock_getres, 4)
{
	int id = (int)a0;
	uint64_t ns;
	int r = clock_read(id, &ns);

	if (r < 0)
		return r;
	bool coarse = id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE;
	struct timespec_abi res = timespec(coarse ? NSEC_PER_SEC / timer_hz() : 1);
	return a1 ? copy_to_user(a1, &res, sizeof(res)) : 0;
}

SYSCALL(gettimeofday, 4)
{
	uint64_t ns = clock_realtime_ns();
	struct timeval_abi tv = { (int64_t)(ns / NSEC_PER_SEC),
				  (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
	struct { int32_t minuteswest, dsttime; } tz = { 0, 0 };

	if (a0 && copy_to_user(a0, &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (a1 && copy_to_user(a1, &tz, sizeof(tz)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(time, 4)
{
	int64_t t = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);

	if (a0 && copy_to_user(a0, &t, sizeof(t)) < 0)
		return -EFAULT;
	return t;
}

/*
 * Sleeps until clock_ns() reaches deadline. On a signal the time left
 * goes to urem, and the sleep resumes through restart_syscall if no
 * handler runs (a stop and a continue), as on Linux; else EINTR.
 */
static int64_t
resume_sleep(struct restart_block *r)
{
	return clock_sleep_until(r->deadline, r->arg[0]);
}

int64_t
clock_sleep_until(uint64_t deadline, uint64_t urem)
{
	struct proc *p = proc_current();

	while (clock_ns() < deadline) {
		if (sched_sleep(&deadline, deadline) < 0) {
			uint64_t now = clock_ns();
			struct timespec_abi rem = timespec(deadline > now ? deadline - now : 0);

			if (urem && copy_to_user(urem, &rem, sizeof(rem)) < 0)
				return -EFAULT;
			p->restart = (struct restart_block){ resume_sleep, deadline, { urem } };
			return -ERESTART_RESTARTBLOCK;
		}
	}
	return 0;
}

SYSCALL(nanosleep, 4)
{
	uint64_t ns;
	int r = timespec_from_user(a0, &ns);

	return r < 0 ? r : clock_sleep_until(add_saturated(clock_ns(), ns), a1);
}

SYSCALL(clock_nanosleep, 4)
{
	int clock = (int)a0;
	uint64_t ns;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_TAI)
		return -EINVAL;
	int r = timespec_from_user(a2, &ns);
	if (r < 0)
		return r;
	if (!(a1 & TIMER_ABSTIME))
		return clock_sleep_until(add_saturated(clock_ns(), ns), a3);
	/* An absolute wall-clock time, as a time of clock_ns(). */
	uint64_t now_ns = clock_ns(), now_clock;
	clock_read(clock, &now_clock);
	return clock_sleep_until(ns > now_clock ? add_saturated(now_ns, ns - now_clock) : 0, 0);
}

SYSCALL(times, 4)
{
	struct proc *p = proc_current();
	uint64_t user, sys, tick = NSEC_PER_SEC / USER_HZ;

	proc_times(p, &user, &sys);
	struct tms_abi t = { (int64_t)(user / tick), (int64_t)(sys / tick),
			     (int64_t)(p->child_user_ns / tick),
			     (int64_t)(p->child_sys_ns / tick) };
	if (a0 && copy_to_user(a0, &t, sizeof(t)) < 0)
		return -EFAULT;
	return (int64_t)(clock_ns() / tick);
}

SYSCALL(getrusage, 4)
{
	int who = (int)a0;
	struct rusage_abi ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	proc_rusage(proc_current(), who == RUSAGE_THREAD ? RUSAGE_SELF : who, &ru);
	return copy_to_user(a1, &ru, sizeof(ru));
}
