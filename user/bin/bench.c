/*
 * Benchmark, not a test: the costs of the lab-4 paths (system calls, fork,
 * exec, page faults, switches), once there are files of lab 5's (devices,
 * open, stat, read, pipes, exec through a PATH search), and once there
 * is IPC of lab 6's (signals to a handler, futex, message channels), once
 * there are users of lab 7's (stat and open as uid 1000, and authbench's
 * rows: logins through authd, records through logd), in ns and TSC cycles
 * per operation. Rows whose calls a kernel lacks are left out (Linux has
 * no channels).
 */
#define _GNU_SOURCE		/* setresuid, setresgid */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#define FUTEX_WAIT	0
#define FUTEX_WAKE	1
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

#define SYSCALLS	10000
#define FORKS		200
#define EXECS		100
#define FAULT_MAPS	4		/* of 4 MiB each */
#define MAP_SIZE	(4 << 20)
#define YIELDS		2000		/* per process */
#define FILE_OPS	5000
#define ROUND_TRIPS	2000
#define PIPE_CHUNK	65536
#define PIPE_CHUNKS	256		/* 16 MiB */
#define BENCH_FILE	"/tmp/bench.file"
#define SIGNALS		5000
#define CHAN_CYCLES	2000
#define SYS_chan_create		500	/* NexaOS's channels (user/lib/nexa.h) */
#define SYS_chan_send		501
#define SYS_chan_recv		502
#define SYS_chan_destroy	504

/* Forks a child that runs @fn (or exits at once) and waits for it. */
static int
fork_wait(void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (fn)
			fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		printf("bench: FAIL fork/exec/wait: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void
exec_true(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	execve("/bin/true", argv, envp);
	_exit(127);
}

/* Lab 7's rows (authd, logd): their own program, where it is installed. */
static void
exec_authbench(void)
{
	char *argv[] = { "authbench", NULL }, *envp[] = { NULL };

	execve("/bin/authbench", argv, envp);
	_exit(127);
}

static void
execvp_true(void)
{
	char *argv[] = { "true", NULL };

	setenv("PATH", "/sbin:/bin", 1);	/* the first place has no true */
	execvp("true", argv);
	_exit(127);
}

/* The child of the pipe round trip: echoes each byte back. */
static void
echo_bytes(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
	_exit(0);
}

/*
 * A child's rows as uid 1000 (lab 7): stat and open+close of BENCH_FILE, the
 * permission checks of an ordinary user on the way; none where setresuid
 * fails (a kernel without credentials).
 */
static void
user_rows(void)
{
	struct stamp t0;
	struct stat st;
	long i;

	if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
		return;
	t0 = now();
	for (i = 0; i < FILE_OPS; i++)
		close(open(BENCH_FILE, O_RDONLY));
	report("open+close (uid 1000)", t0, FILE_OPS);

	t0 = now();
	for (i = 0; i < FILE_OPS; i++)
		stat(BENCH_FILE, &st);
	report("stat (uid 1000)", t0, FILE_OPS);
}

/* The lab-5 rows; nothing to do without files (lab 4: open is ENOSYS). */
static int
file_rows(void)
{
	static char buf[PIPE_CHUNK];
	struct stamp t0;
	struct stat st;
	long i;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);	/* as init: nothing there yet */
	mkdir("/tmp", 01777);
	int null = open("/dev/null", O_WRONLY);
	int f = open(BENCH_FILE, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (null < 0 || f < 0 || write(f, buf, 4096) != 4096)
		return 0;

	t0 = now();
	for (i = 0; i < SYSCALLS; i++)
		write(null, buf, 1);
	report("write 1 B /dev/null", t0, SYSCALLS);

	t0 = now();
	for (i = 0; i < FILE_OPS; i++)
		close(open(BENCH_FILE, O_RDONLY));
	report("open+close", t0, FILE_OPS);

	t0 = now();
	for (i = 0; i < FILE_OPS; i++)
		stat(BENCH_FILE, &st);
	report("stat", t0, FILE_OPS);
	if (fork_wait(user_rows) < 0)
		return -1;

	t0 = now();
	for (i = 0; i < FILE_OPS; i++)
		pread(f, buf, 4096, 0);
	report("read 4 KiB (cached)", t0, FILE_OPS);

	/* One byte there and back between two processes: two switches each. */
	int to[2], from[2];
	if (pipe(to) < 0 || pipe(from) < 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		echo_bytes(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	t0 = now();
	for (i = 0; i < ROUND_TRIPS; i++) {
		char c = 'x';

		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return -1;
	}
	report("pipe round trip", t0, ROUND_TRIPS);
	close(to[1]);
	close(from[0]);
	waitpid(pid, NULL, 0);

	/* 16 MiB through a pipe in 64 KiB writes, to a reader that drains it. */
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(p[1]);
		while (read(p[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	t0 = now();
	for (i = 0; i < PIPE_CHUNKS; i++)
		if (write(p[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -1;
	close(p[1]);
	waitpid(pid, NULL, 0);
	report("pipe 64 KiB write", t0, PIPE_CHUNKS);

	t0 = now();
	for (i = 0; i < EXECS; i++)
		if (fork_wait(execvp_true) < 0)
			return -1;
	report("fork+execvp+wait", t0, EXECS);
	close(f);
	close(null);
	unlink(BENCH_FILE);
	return 0;
}

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught += sig == SIGUSR1;
}

/* The two sides of a futex ping-pong on a shared word: each waits for its turn. */
static void
futex_turns(volatile int *word, int me, long n)
{
	for (long i = 0; i < n; i++) {
		while (*word != me)
			syscall(SYS_futex, word, FUTEX_WAIT, !me, NULL, NULL, 0);
		*word = !me;
		syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

/* The lab-6 rows; skipped where the calls are missing. */
static int
ipc_rows(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct stamp t0;
	long i;

	if (sigaction(SIGUSR1, &sa, NULL) == 0) {
		t0 = now();
		for (i = 0; i < SIGNALS; i++)
			kill(getpid(), SIGUSR1);
		if (caught == SIGNALS)
			report("signal to handler", t0, SIGNALS);
	}

	volatile int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (word != MAP_FAILED && syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			futex_turns(word, 1, ROUND_TRIPS);
			_exit(0);
		}
		t0 = now();
		futex_turns(word, 0, ROUND_TRIPS);
		waitpid(pid, NULL, 0);
		report("futex ping-pong", t0, ROUND_TRIPS);
	}

	long ping = syscall(SYS_chan_create, 0600), pong = syscall(SYS_chan_create, 0600);
	if (ping < 0 || pong < 0)
		return 0;
	char c = 'x';
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (i = 0; i < ROUND_TRIPS; i++) {
			syscall(SYS_chan_recv, ping, &c, 1, 0, NULL);
			syscall(SYS_chan_send, pong, &c, 1);
		}
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < ROUND_TRIPS; i++) {
		if (syscall(SYS_chan_send, ping, &c, 1) < 0 ||
		    syscall(SYS_chan_recv, pong, &c, 1, 0, NULL) != 1)
			return -1;
	}
	report("channel round trip", t0, ROUND_TRIPS);
	waitpid(pid, NULL, 0);
	syscall(SYS_chan_destroy, ping);
	syscall(SYS_chan_destroy, pong);

	t0 = now();
	for (i = 0; i < CHAN_CYCLES; i++)
		syscall(SYS_chan_destroy, syscall(SYS_chan_create, 0600));
	report("channel create+destroy", t0, CHAN_CYCLES);
	return 0;
}

static void
yield_loop(void)
{
	int i;

	for (i = 0; i < YIELDS; i++)
		sched_yield();
}

int
main(void)
{
	struct stamp t0;
	char *p;
	long i, j;

	t0 = now();
	for (i = 0; i < SYSCALLS; i++)
		syscall(SYS_getpid);
	report("getpid", t0, SYSCALLS);

	struct timespec ts;
	t0 = now();
	for (i = 0; i < SYSCALLS; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);	/* the vDSO, where there is one */
	report("clock_gettime", t0, SYSCALLS);

	fflush(stdout);
	t0 = now();
	for (i = 0; i < FORKS; i++)
		if (fork_wait(NULL) < 0)
			return 1;
	report("fork+exit+wait", t0, FORKS);

	t0 = now();
	for (i = 0; i < EXECS; i++)
		if (fork_wait(exec_true) < 0)
			return 1;
	report("fork+execve+wait", t0, EXECS);

	t0 = now();
	for (i = 0; i < FAULT_MAPS; i++) {
		p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("bench: FAIL mmap: %s\n", strerror(errno));
			return 1;
		}
		for (j = 0; j < MAP_SIZE; j += 4096)
			p[j] = 1;
		munmap(p, MAP_SIZE);
	}
	report("page fault (anon)", t0, FAULT_MAPS * (MAP_SIZE / 4096));

	/* Two processes yield to each other: each yield is a switch. */
	fflush(stdout);
	t0 = now();
	if (fork() == 0) {
		yield_loop();
		_exit(0);
	}
	yield_loop();
	if (wait4(-1, NULL, 0, NULL) < 0)
		return 1;
	report("sched_yield (2 procs)", t0, 2 * YIELDS);
	if (file_rows() < 0 || ipc_rows() < 0) {
		printf("bench: FAIL the file or IPC rows: %s\n", strerror(errno));
		return 1;
	}
	if (access("/bin/authbench", X_OK) == 0 && fork_wait(exec_authbench) < 0)
		return 1;
	printf("bench: ok\n");
	return 0;
}
