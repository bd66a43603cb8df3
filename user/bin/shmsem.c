/*
 * POSIX shared memory and semaphores the way musl builds them on Linux's
 * calls: shm_open (a file of /dev/shm), ftruncate, mmap MAP_SHARED (seen
 * by other processes and by read), shm_unlink; MAP_SHARED|MAP_ANONYMOUS
 * shared across fork while MAP_PRIVATE is copied; msync's checks; named
 * semaphores (sem_open's file in /dev/shm, link()ed into place, reopened
 * by name in a child); process-shared unnamed ones (sem_init pshared 1)
 * guarding a counter of four processes; and a ring buffer of two
 * producers and two consumers with a checksum.
 * The grader compares every line with the same binary on Linux.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NAME		"shmsem"
#define PAGE		4096
#define SHARED_PAGES	64		/* a bigger shared anonymous region */
#define COUNTER_PROCS	4
#define COUNTER_ITERS	5000		/* sem_wait/sem_post per process */
#define RING_SLOTS	16
#define RING_ITEMS	20000		/* per producer */
#define HANG_MS		60000		/* children still running after this hung */

static char prefix[32];			/* "shmsem-PID": our names, unique on a shared /dev/shm */

/* A name of ours: "/shmsem-PID-what". */
static const char *
our_name(const char *what)
{
	static char names[4][64];
	static int next;
	char *n = names[next++ % 4];

	snprintf(n, sizeof(names[0]), "/%s-%s", prefix, what);
	return n;
}

/* ---- msync ---- */

/* msync of len bytes at addr: its result, or -errno. */
static long
ms(void *addr, size_t len, int flags)
{
	return res(msync(addr, len, flags));
}

/* m: two shared pages of the file behind fd. */
static void
msync_tests(char *m, int fd)
{
	char buf[16] = "";
	char *h = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	strcpy(m + 300, "synced");
	expect(ms(m, 2 * PAGE, MS_SYNC), 0, "msync MS_SYNC");
	pread(fd, buf, 7, 300);
	check(!strcmp(buf, "synced"), "read() after it sees the mapping's bytes");
	expect(ms(m, 2 * PAGE, MS_ASYNC), 0, "msync MS_ASYNC");
	expect(ms(m, 2 * PAGE, MS_INVALIDATE), 0, "msync MS_INVALIDATE");
	expect(ms(m, 2 * PAGE, MS_SYNC | MS_INVALIDATE), 0, "msync MS_SYNC|MS_INVALIDATE");
	expect(ms(m, 100, MS_SYNC), 0, "msync of 100 bytes");
	expect(ms(m, 0, MS_SYNC), 0, "msync of 0 bytes");
	expect(ms(m, SIZE_MAX, MS_SYNC), 0, "msync of SIZE_MAX bytes (rounds up to 0)");
	expect(ms(m, -(size_t)PAGE, MS_SYNC), -ENOMEM, "msync of -4096 bytes (wraps)");
	expect(ms(m, PAGE, MS_SYNC | MS_ASYNC), -EINVAL, "msync MS_SYNC|MS_ASYNC");
	expect(ms(m, PAGE, 8), -EINVAL, "msync with flag 8");
	expect(ms(m + 1, PAGE, MS_SYNC), -EINVAL, "msync of an unaligned address");
	expect(ms(m + 1, 0, MS_SYNC), -EINVAL, "msync of 0 bytes at an unaligned address");
	expect(ms(priv, PAGE, MS_SYNC), 0, "msync of MAP_PRIVATE anonymous memory");
	expect(ms(none, PAGE, MS_SYNC), 0, "msync of a PROT_NONE page");
	munmap(h + PAGE, PAGE);
	expect(ms(h + PAGE, PAGE, MS_SYNC), -ENOMEM, "msync of an unmapped page");
	expect(ms(h + PAGE, 0, MS_SYNC), 0, "msync of 0 bytes there");
	expect(ms(h, 3 * PAGE, MS_SYNC), -ENOMEM, "msync across a hole");
	expect(ms(h, 2 * PAGE, MS_ASYNC), -ENOMEM, "msync MS_ASYNC ending in a hole");
	expect(ms(h + PAGE, 2 * PAGE, MS_INVALIDATE), -ENOMEM, "msync MS_INVALIDATE starting in a hole");
	expect(ms((void *)0x7ffffffff000UL, PAGE, MS_SYNC), -ENOMEM, "msync above user space");
	munmap(h, 3 * PAGE);
	munmap(priv, PAGE);
	munmap(none, PAGE);
}

/* ---- shm_open ---- */

static const char parent_text[] = "written by the parent through its mapping";
static const char child_text[] = "written by a child that opened it by name";
static const char pwrite_text[] = "written by pwrite";

/* A child's view: opens name itself, checks the parent's words, adds its own. */
static int
shm_child(const char *name)
{
	int fd = shm_open(name, O_RDWR, 0);
	char *m;

	if (fd < 0)
		return 2;
	m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 3;
	if (strcmp(m, parent_text) || strcmp(m + PAGE, pwrite_text))
		return 4;
	strcpy(m + 100, child_text);
	return 0;
}

static void
shm_tests(void)
{
	const char *name = our_name("shm");
	char buf[128], path[96];
	struct stat st;
	int fd, fd2;
	pid_t pid;

	snprintf(path, sizeof(path), "/dev/shm%s", name);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	check(fd >= 0, "shm_open O_CREAT|O_EXCL: %s", fd >= 0 ? "a descriptor" : errname(errno));
	if (fd < 0)
		return;
	expect(res(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600)), -EEXIST,
	       "shm_open O_CREAT|O_EXCL again");
	expect(res(stat(path, &st)), 0, "stat of its file in /dev/shm");
	check((st.st_mode & 07777) == 0600, "its mode: %o", st.st_mode & 07777);
	expect(st.st_size, 0, "its size");
	expect(res(ftruncate(fd, 2 * PAGE)), 0, "ftruncate to two pages");
	expect(res(fstat(fd, &st)) == 0 ? st.st_size : -errno, 2 * PAGE, "fstat's size");

	char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "mmap MAP_SHARED of it");
	if (m == MAP_FAILED)
		return;
	check(m[0] == 0 && m[2 * PAGE - 1] == 0, "its new pages read as zeros");
	strcpy(m, parent_text);
	memset(buf, 0, sizeof(buf));
	expect(res(pread(fd, buf, sizeof(parent_text), 0)), sizeof(parent_text), "pread");
	check(!strcmp(buf, parent_text), "pread sees the mapping's writes");
	expect(res(pwrite(fd, pwrite_text, sizeof(pwrite_text), PAGE)), sizeof(pwrite_text), "pwrite");
	check(!strcmp(m + PAGE, pwrite_text), "the mapping sees pwrite's bytes");

	pid = spawn();
	if (pid == 0)
		_exit(shm_child(name));
	expect_status(pid, "exit 0", "a child: shm_open by name, mmap, sees both, writes");
	check(!strcmp(m + 100, child_text), "the parent's mapping sees the child's write");
	memset(buf, 0, sizeof(buf));
	pread(fd, buf, sizeof(child_text), 100);
	check(!strcmp(buf, child_text), "and so does read()");

	/* Read-only: no shared writable mapping; a private one copies. */
	fd2 = shm_open(name, O_RDONLY, 0);
	expect(fd2 >= 0 ? 0 : -errno, 0, "shm_open O_RDONLY");
	expect(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0) == MAP_FAILED ?
	       -errno : 0, -EACCES, "mmap MAP_SHARED PROT_WRITE of it");
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2, 0);
	check(p != MAP_FAILED && !strcmp(p, parent_text), "mmap MAP_PRIVATE of it sees the file");
	if (p != MAP_FAILED) {
		strcpy(p, "a private copy");
		check(!strcmp(m, parent_text), "a write to the private copy stays there");
		munmap(p, PAGE);
	}
	close(fd2);

	/* Growing: the new page is zero, in the old descriptor's mapping too. */
	expect(res(ftruncate(fd, 3 * PAGE)), 0, "ftruncate to three pages");
	char *m3 = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m3 != MAP_FAILED && m3[2 * PAGE] == 0 && !strcmp(m3, parent_text),
	      "a new mapping: the old bytes and a zero third page");
	if (m3 != MAP_FAILED)
		munmap(m3, 3 * PAGE);

	msync_tests(m, fd);

	expect(res(shm_unlink(name)), 0, "shm_unlink");
	expect(res(shm_open(name, O_RDWR, 0)), -ENOENT, "shm_open after it");
	expect(res(shm_unlink(name)), -ENOENT, "shm_unlink again");
	expect(res(access(path, F_OK)), -ENOENT, "its file in /dev/shm");
	strcpy(m + 200, "still mapped");
	memset(buf, 0, sizeof(buf));
	pread(fd, buf, 13, 200);
	check(!strcmp(buf, "still mapped"), "the unlinked object lives on in its mapping and descriptor");
	munmap(m, 2 * PAGE);
	close(fd);
}

/* ---- anonymous memory across fork ---- */

static void
anon_tests(void)
{
	int *sh = shared_anon(SHARED_PAGES * PAGE);
	int *pr = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int to_parent[2], to_child[2];
	pid_t pid;
	char c;

	sh[0] = pr[0] = 1;
	if (pr == MAP_FAILED || pipe(to_parent) < 0 || pipe(to_child) < 0) {
		check(0, "mmap and pipes for the fork tests: %s", errname(errno));
		return;
	}
	pid = spawn();
	if (pid == 0) {
		sh[0] = pr[0] = 2;
		for (int k = 1; k < SHARED_PAGES; k++)
			sh[k * (PAGE / sizeof(int))] = k;
		write(to_parent[1], "w", 1);
		if (read(to_child[0], &c, 1) != 1)
			_exit(2);
		_exit(sh[1] == 3 && pr[1] == 0 && pr[0] == 2 ? 0 : 1);
	}
	read(to_parent[0], &c, 1);
	expect(sh[0], 2, "MAP_SHARED|MAP_ANONYMOUS: the child's write, seen by the parent");
	expect(pr[0], 1, "MAP_PRIVATE: the parent's copy after the child's write");
	long sum = 0;
	for (int k = 1; k < SHARED_PAGES; k++)
		sum += sh[k * (PAGE / sizeof(int))];
	expect(sum, (long)SHARED_PAGES * (SHARED_PAGES - 1) / 2,
	       "the child's writes to %d pages the parent never touched", SHARED_PAGES - 1);
	sh[1] = pr[1] = 3;
	write(to_child[1], "r", 1);
	expect_status(pid, "exit 0", "the child sees the parent's shared write, not its private one");
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
	munmap(sh, SHARED_PAGES * PAGE);
	munmap(pr, PAGE);
}

/* ---- named semaphores ---- */

static long
sem_value(sem_t *s)
{
	int v;

	return sem_getvalue(s, &v) < 0 ? -errno : v;
}

/*
 * A child's half of the reopening test: closes the parent's semaphores,
 * opens them by name again, posts s three times and waits for ack.
 */
static int
named_child(sem_t *s, sem_t *ack, const char *name, const char *ack_name)
{
	sem_t *t, *a;

	if (sem_close(s) < 0 || sem_close(s) < 0 || sem_close(ack) < 0)	/* the parent's opens */
		return 2;
	if ((t = sem_open(name, 0)) == SEM_FAILED || (a = sem_open(ack_name, 0)) == SEM_FAILED)
		return 3;
	if (sem_value(t) != 0 || sem_value(a) != 0)
		return 4;
	int slept = wait_asleep(getppid());	/* in sem_timedwait */
	for (int i = 0; i < 3; i++)
		sem_post(t);
	if (sem_wait(a) < 0)		/* until the parent posts */
		return 5;
	if (sem_close(t) < 0 || sem_close(a) < 0)
		return 6;
	return slept ? 0 : 7;
}

static void
named_tests(void)
{
	const char *name = our_name("sem"), *other = our_name("sem2"), *ack_name = our_name("ack");
	char path[96];
	struct stat st;
	sem_t *s, *s2, *ack;
	pid_t pid;

	s = sem_open(name, O_CREAT | O_EXCL, 0600, 2);
	check(s != SEM_FAILED, "sem_open O_CREAT|O_EXCL, value 2: %s",
	      s != SEM_FAILED ? "a semaphore" : errname(errno));
	if (s == SEM_FAILED)
		return;
	expect(sem_open(name, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED ? -errno : 0, -EEXIST,
	       "sem_open O_CREAT|O_EXCL again");
	s2 = sem_open(name, 0);
	check(s2 == s, "sem_open by name in the same process: the same semaphore");
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	expect(res(stat(path, &st)) == 0 ? st.st_size : -errno, sizeof(sem_t),
	       "its file /dev/shm/NAME, size");
	check((st.st_mode & 07777) == 0600, "its mode: %o", st.st_mode & 07777);
	expect(sem_value(s), 2, "sem_getvalue");
	expect(res(sem_trywait(s)), 0, "sem_trywait");
	expect(res(sem_trywait(s)), 0, "sem_trywait");
	expect(res(sem_trywait(s)), -EAGAIN, "sem_trywait at 0");
	expect(res(sem_post(s)), 0, "sem_post");
	expect(sem_value(s), 1, "sem_getvalue");
	expect(res(sem_wait(s)), 0, "sem_wait");
	expect(sem_value(s), 0, "sem_getvalue");

	long long deadline = ns_of(CLOCK_REALTIME) + 100000000LL;
	struct timespec at = ts_of(deadline), past = { 0, 0 }, bad = { 0, 1000000000 };
	expect(res(sem_timedwait(s, &at)), -ETIMEDOUT, "sem_timedwait 100 ms at 0");
	check(ns_of(CLOCK_REALTIME) >= deadline - 2000000, "it returned at its deadline");
	expect(res(sem_timedwait(s, &bad)), -EINVAL, "sem_timedwait, tv_nsec 1000000000");
	sem_post(s);
	expect(res(sem_timedwait(s, &past)), 0, "sem_timedwait with a past deadline at 1");

	/* A child closes the parent's mappings and opens the semaphores by name again. */
	ack = sem_open(ack_name, O_CREAT | O_EXCL, 0600, 0);
	check(ack != SEM_FAILED, "sem_open O_CREAT|O_EXCL of a second one, value 0");
	if (ack == SEM_FAILED)
		return;
	pid = spawn();
	if (pid == 0)
		_exit(named_child(s, ack, name, ack_name));
	int woke = 0;
	for (int i = 0; i < 3; i++) {
		at = ts_of(ns_of(CLOCK_REALTIME) + 20000000000LL);
		woke += sem_timedwait(s, &at) == 0;
	}
	expect(woke, 3, "sem_timedwait woken by the child's three sem_post");
	expect(res(sem_post(ack)), 0, "sem_post of the second for the child's sem_wait");
	expect_status(pid, "exit 0", "the child that reopened it by name");
	expect(sem_value(s), 0, "sem_getvalue at the end");
	expect(sem_value(ack), 0, "the second's value at the end");
	expect(res(sem_close(ack)), 0, "sem_close of the second");
	expect(res(sem_unlink(ack_name)), 0, "sem_unlink of the second");
	expect(res(sem_close(s2)), 0, "sem_close");
	expect(res(sem_close(s)), 0, "sem_close of the first open");
	expect(res(sem_unlink(name)), 0, "sem_unlink");
	expect(res(sem_unlink(name)), -ENOENT, "sem_unlink again");
	expect(sem_open(name, 0) == SEM_FAILED ? -errno : 0, -ENOENT, "sem_open after it");
	expect(res(access(path, F_OK)), -ENOENT, "its file");

	/* O_CREAT of an existing semaphore opens it: the value stays. */
	s = sem_open(other, O_CREAT, 0600, 5);
	s2 = sem_open(other, O_CREAT, 0600, 9);
	check(s != SEM_FAILED && s2 == s, "sem_open O_CREAT twice: one semaphore");
	if (s != SEM_FAILED) {
		expect(sem_value(s), 5, "its value");
		sem_close(s);
		sem_close(s2);
	}
	expect(res(sem_unlink(other)), 0, "sem_unlink");
}

/* ---- unnamed process-shared semaphores ---- */

struct pool {
	sem_t go, lock;
	volatile int counter;
};

static void
unnamed_tests(void)
{
	struct pool *p = shared_anon(PAGE);
	pid_t pid;

	expect(res(sem_init(&p->go, 1, 0)), 0, "sem_init pshared 1 in a MAP_SHARED page");
	pid = spawn();
	if (pid == 0)
		_exit(sem_wait(&p->go) < 0 ? 1 : 0);
	check(wait_asleep(pid), "a child blocked in sem_wait sleeps (does not spin)");
	expect(res(sem_post(&p->go)), 0, "sem_post for it");
	expect_status(pid, "exit 0", "the child");
	pid = spawn();
	if (pid == 0) {
		usleep(50000);
		_exit(sem_post(&p->go) < 0 ? 1 : 0);
	}
	struct timespec at = ts_of(ns_of(CLOCK_REALTIME) + 20000000000LL);
	expect(res(sem_timedwait(&p->go, &at)), 0, "sem_timedwait woken by a child's sem_post");
	expect_status(pid, "exit 0", "the child");
	expect(sem_value(&p->go), 0, "sem_getvalue");
	expect(res(sem_destroy(&p->go)), 0, "sem_destroy");
	munmap(p, PAGE);
}

/* A counter of several processes, under a semaphore used as a lock. */
static void
counter_tests(void)
{
	struct pool *p = shared_anon(PAGE);
	pid_t pids[COUNTER_PROCS];

	expect(res(sem_init(&p->lock, 1, 1)), 0, "sem_init pshared 1, value 1 (a lock)");
	for (int i = 0; i < COUNTER_PROCS; i++) {
		if ((pids[i] = spawn()) == 0) {
			for (int k = 0; k < COUNTER_ITERS; k++) {
				if (sem_wait(&p->lock) < 0)
					_exit(1);
				int v = p->counter;
				if (k % 8 == 0)
					sched_yield();	/* hold the lock across a switch */
				p->counter = v + 1;
				sem_post(&p->lock);
			}
			_exit(0);
		}
	}
	int good = reap_or_kill(pids, COUNTER_PROCS, HANG_MS);
	check(good == COUNTER_PROCS, "%d processes x %d sem_wait/sem_post: all finished",
	      COUNTER_PROCS, COUNTER_ITERS);
	expect(p->counter, COUNTER_PROCS * COUNTER_ITERS, "the counter");
	expect(sem_value(&p->lock), 1, "the lock's value at the end");
	sem_destroy(&p->lock);
	munmap(p, PAGE);
}

/* ---- a ring buffer: two producers, two consumers ---- */

struct ring {
	sem_t empty, full, mutex;
	int head, tail;
	uint32_t slot[RING_SLOTS];
	uint64_t sum[2];		/* each consumer's checksum */
	int count[2], disorder[2];
};

static uint32_t
item(int producer, int i)
{
	return (uint32_t)producer << 24 | (uint32_t)i;
}

/* An order-independent checksum step. */
static uint64_t
mix(uint32_t v)
{
	return (uint64_t)v * 2654435761u + (v >> 7);
}

static int
producer(struct ring *r, int me)
{
	for (int i = 0; i < RING_ITEMS; i++) {
		if (sem_wait(&r->empty) < 0 || sem_wait(&r->mutex) < 0)
			return 1;
		r->slot[r->head] = item(me, i);
		r->head = (r->head + 1) % RING_SLOTS;
		sem_post(&r->mutex);
		sem_post(&r->full);
	}
	return 0;
}

/* Takes RING_ITEMS items; each producer's come in its order. */
static int
consumer(struct ring *r, int me)
{
	int last[2] = { -1, -1 };

	for (int i = 0; i < RING_ITEMS; i++) {
		if (sem_wait(&r->full) < 0 || sem_wait(&r->mutex) < 0)
			return 1;
		uint32_t v = r->slot[r->tail];
		r->tail = (r->tail + 1) % RING_SLOTS;
		sem_post(&r->mutex);
		sem_post(&r->empty);
		int from = v >> 24, seq = v & 0xffffff;
		if (from > 1 || seq <= last[from])
			r->disorder[me]++;
		else
			last[from] = seq;
		r->sum[me] += mix(v);
		r->count[me]++;
	}
	return 0;
}

static void
ring_tests(void)
{
	struct ring *r = shared_anon(PAGE);
	pid_t pids[4];
	uint64_t want = 0;

	sem_init(&r->empty, 1, RING_SLOTS);
	sem_init(&r->full, 1, 0);
	sem_init(&r->mutex, 1, 1);
	for (int i = 0; i < 4; i++) {
		if ((pids[i] = spawn()) == 0)
			_exit(i < 2 ? producer(r, i) : consumer(r, i - 2));
	}
	int good = reap_or_kill(pids, 4, HANG_MS);
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < RING_ITEMS; i++)
			want += mix(item(p, i));
	check(good == 4, "a %d-slot ring, 2 producers x %d items, 2 consumers: all finished",
	      RING_SLOTS, RING_ITEMS);
	expect(r->count[0] + r->count[1], 2 * RING_ITEMS, "items consumed");
	check(r->sum[0] + r->sum[1] == want, "the checksum of what was consumed is that of what was produced");
	expect(r->disorder[0] + r->disorder[1], 0, "items out of their producer's order");
	expect(sem_value(&r->empty), RING_SLOTS, "empty slots at the end");
	expect(sem_value(&r->full), 0, "full slots at the end");
	sem_destroy(&r->empty);
	sem_destroy(&r->full);
	sem_destroy(&r->mutex);
	munmap(r, PAGE);
}

/* How many names of ours /dev/shm still holds. */
static int
leftovers(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += strstr(e->d_name, prefix) != NULL;
	closedir(d);
	return n;
}

/* Unlinks whatever of ours a failed run left in /dev/shm. */
static void
remove_leftovers(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	char path[300];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strstr(e->d_name, prefix)) {
			snprintf(path, sizeof(path), "/dev/shm/%s", e->d_name);
			unlink(path);
		}
	}
	closedir(d);
}

static void
run_tests(void)
{
	shm_tests();
	anon_tests();
	named_tests();
	unnamed_tests();
	if (check_failed) {
		/* Semaphores that spin instead of sleeping would take minutes here. */
		printf(NAME ": FAIL the counter and the ring are skipped after %d failures\n",
		       check_failed);
		return;
	}
	counter_tests();
	ring_tests();
	expect(leftovers(), 0, "names of ours left in /dev/shm");
}

int
main(void)
{
	int st;

	check_init(NAME);
	/* As init on NexaOS, /proc (PID/stat) and /dev (shm) are ours to mount. */
	mount_missing("proc", "/proc", "/proc/self/stat");
	mount_missing("devtmpfs", "/dev", "/dev/shm");
	snprintf(prefix, sizeof(prefix), NAME "-%d", (int)getpid());
	/* In a child: as pid 1 (NexaOS's init) orphans come back to us. */
	st = check_in_child(run_tests);
	remove_leftovers();
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 1)
			printf(NAME ": FAIL the tests ended with status %#x\n", st);
		return 1;
	}
	printf(NAME ": ok\n");
	return 0;
}
