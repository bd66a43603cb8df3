/*
 * The checks of the test programs (sigbasic, chan, futex...): each prints one
 * line "NAME: what -> result", with ": FAIL" appended when it is wrong, and a
 * program ends with "NAME: ok" or "NAME: FAIL N checks, the first: ...".
 * Results are words, never numbers that differ from run to run: errno names,
 * signal names, a wait status as "exit 0" or "signal SIGKILL". The graders
 * compare these lines with the same program on Linux, so a change to any
 * format here changes every program's output.
 */
#ifndef CHECK_H
#define CHECK_H

#include <sys/types.h>
#include <time.h>

extern const char *check_name;		/* the program's name, the prefix of its lines */
extern int check_failed;		/* checks that failed so far */
extern int check_octal;			/* expect() prints numbers in octal (modes) */

/* Names the program for its lines and makes stdout line-buffered. */
void check_init(const char *name);

/* Prints the failure summary if a check failed; returns how many did. */
int check_summary(void);

/* Prints the summary or "NAME: ok"; returns the exit status (1 or 0). */
int check_done(void);

/*
 * Runs tests in a child whose exit status is 1 if a check failed, then
 * waits until no child is left (as pid 1, orphans come back to us too);
 * returns the child's wait status.
 */
int check_in_child(void (*tests)(void));

/*
 * Runs fn in a child (fork) that counts only its own failures; unless it
 * exits 0, fails "NAME: WHAT: the child failed". Returns whether it did.
 */
int check_child(const char *what, void (*fn)(void));

/* Every signal back to SIG_DFL and unblocked, whatever whoever started us left. */
void default_signals(void);

/* Counts a failed check; the first one's text goes into the summary. */
void note_failure(const char *what);

/* Prints "NAME: WHAT -> RESULT" (a number or an errno name), failing unless got is want. */
void expect(long got, long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "NAME: WHAT", with ": FAIL" appended unless ok. */
void check(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A call's result for expect(): its value, or -errno when it failed. */
long res(long r);

/* The name of errno value e ("EINTR"; "0" for 0, "errno N" for others). */
const char *errname(int e);

/* The name of signal sig ("SIGKILL", "SIGRTMIN+1"; "none" for 0). */
const char *signame(int sig);

/* fork() with stdout flushed first, so that nothing is printed twice. */
pid_t spawn(void);

/* A wait status in words: "exit 3", "signal SIGQUIT core", "stopped SIGTSTP", "continued". */
const char *describe(int st);

/* Waits for child pid: its status as describe() says it, without " core"; or an errno name. */
const char *reap(pid_t pid);

/* Prints "NAME: WHAT: GOT", failing unless got is want. */
void expect_words(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reaps pid and prints "NAME: WHAT: STATUS", failing unless STATUS is want. */
void expect_status(pid_t pid, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reaps the n children of pids, killing those left after ms; how many exited 0. */
int reap_or_kill(pid_t *pids, int n, int ms);

/* Sleeps ms milliseconds, whatever handlers run meanwhile. */
void sleep_ms(long ms);

/* CLOCK_MONOTONIC in milliseconds. */
long now_ms(void);

/* A clock's time in nanoseconds. */
long long ns_of(clockid_t clock);

/* Nanoseconds as a timespec. */
struct timespec ts_of(long long ns);

/* The state letter of pid in /proc/PID/stat ('?' if unreadable). */
char proc_state(pid_t pid);

/* Waits up to ms until pid is in state (S: asleep in a call, T: stopped); whether it came. */
int wait_state(pid_t pid, char state, int ms);

/* Waits (10 s at most) until pid sleeps in a call; whether it does. */
int wait_asleep(pid_t pid);

/* A fresh MAP_SHARED|MAP_ANONYMOUS region of len bytes; exits on failure. */
void *shared_anon(size_t len);

/* Mounts a type file system on dir unless probe is there already. */
void mount_missing(const char *type, const char *dir, const char *probe);

#endif
