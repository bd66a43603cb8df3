"""Lab 6 grader: IPC — signals, job control, message channels, FIFOs,
futexes, shared memory and semaphores.

Most tests boot `init=/bin/PROGRAM` (a C program of user/bin) as lab 4's
do; each checks itself and, where it uses only Linux's calls, must print
what the same binary prints on this machine's Linux (run in a chroot of
its initramfs tree, as lab 5's C tests are).  Job control is typed on the
console of the full system (busybox's shell), as a user would.
"""
import re

from gradelib import test
from lab5 import c_program


def prompt(b, what="the shell's prompt"):
    b.expect(r"root@nexa:~# ", partial=True, what=what)


def command(b, text, wait=None):
    """Types text and a return on serial; waits for the next prompt."""
    b.send(text + "\r")
    prompt(b, wait or f"the prompt after `{text}`")


@test("jobctl")
def jobctl(t):
    """busybox sh's job control on the console (`init=/sbin/init`): `sleep
    100 &` runs in the background (`jobs`: Running); Ctrl-Z (typed on the
    PS/2 keyboard) stops a foreground `sleep 200` (`[2]+ Stopped`); `bg`
    runs it on; `fg %1` brings the first back and Ctrl-C (on serial) kills
    it, not the shell (`echo $?` says 130); `kill %2` ends the other one;
    the shell is still there."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        prompt(b)
        command(b, "sleep 100 &")
        b.send("jobs\r")
        b.expect(r"^\[1\]\+ +Running +sleep 100", what="`[1]+ Running sleep 100`")
        prompt(b)
        b.send("sleep 200\r")
        b.expect(r"sleep 200\r?$", what="the command echoed")
        t.check(not b.wait_for_text("root@nexa", 0.5),
                "the shell came back while `sleep 200` ran in the foreground", boot=b)
        b.send_keys(["ctrl-z"])
        b.expect(r"\[2\]\+ +Stopped +sleep 200", what="`[2]+ Stopped sleep 200`")
        prompt(b, "the prompt after Ctrl-Z")
        b.send("bg\r")
        b.expect(r"^\[2\] sleep 200", what="`[2] sleep 200` (bg)")
        prompt(b)
        b.send("jobs\r")
        b.expect(r"^\[2\]\+ +Running +sleep 200", what="`[2]+ Running sleep 200`")
        prompt(b)
        b.send("fg %1\r")
        b.expect(r"^sleep 100\r?$", what="fg naming the job")
        t.check(not b.wait_for_text("root@nexa", 0.5),
                "the shell came back while `fg %1` ran", boot=b)
        b.send("\x03")
        prompt(b, "the prompt after Ctrl-C")
        b.send("echo status $?\r")
        b.expect(r"^status 130\r?$", what="`status 130` (SIGINT)")
        prompt(b)
        b.send("kill %2; sleep 0.2; jobs; echo still here\r")
        b.expect(r"^still here\r?$", what="the shell alive after `kill %2`")
        prompt(b)
        b.send("jobs | wc -l\r")
        b.expect(r"^0\r?$", what="no job left")


def linux_too(name, doc):
    """A test of program NAME, compared with Linux."""
    def fn(t):
        c_program(t, name)
    fn.__doc__ = doc
    fn.__name__ = name
    return test(name, emus=("qemu", "bochs"))(fn)


sigbasic = linux_too("sigbasic", """`init=/bin/sigbasic`: handlers with their siginfo (kill,
    tkill, tgkill, sigqueue), masks and nesting, SA_NODEFER and
    SA_RESETHAND, pending and ignored signals, delivery order and real-time
    queueing, sigwaitinfo and sigtimedwait, sigsuspend, pause, kill to
    groups, the FPU state across a handler, ucontext (a fault skipped by
    moving REG_RIP), sigaltstack and SA_ONSTACK (a stack overflow caught),
    pid 1's rules: as on Linux (pid 1 of a new PID namespace there).""")

sigdefault = linux_too("sigdefault", """`init=/bin/sigdefault`: default actions seen by the parent:
    terminate, core (WCOREDUMP only with RLIMIT_CORE of a page or more),
    ignore, stop and continue with WUNTRACED and WCONTINUED, reported once;
    SIGCHLD's codes and statuses, SA_NOCLDSTOP, SIG_IGN and SA_NOCLDWAIT
    (no zombies: ECHILD), terminal stops ignored in an orphaned group,
    SIGPIPE: as on Linux.""")

futex = linux_too("futex", """`init=/bin/futex`: FUTEX_WAIT's value check (EAGAIN), its
    timeouts (relative; FUTEX_WAIT_BITSET's absolute CLOCK_MONOTONIC and
    FUTEX_CLOCK_REALTIME ones; zero and past ones; bad timespecs), wake
    counts (one of three waiters, then the rest), bitsets (disjoint: nobody;
    0: EINVAL), FUTEX_CMP_REQUEUE (also of a word onto itself),
    FUTEX_PRIVATE_FLAG (no other process reaches a private waiter), EFAULT,
    EINVAL, ENOSYS, signals (EINTR, SA_RESTART restarts a wait without
    timeout, blocked and ignored ones do not interrupt), words shared
    through MAP_SHARED|MAP_ANONYMOUS memory and through a /dev/shm file
    mapped at different addresses, a futex mutex hammered by four processes
    (the count exact, no lost wake-up) and a 10,000-round ping-pong: as on
    Linux.""")

shmsem = linux_too("shmsem", """`init=/bin/shmsem`: POSIX shared memory as musl makes it
    (shm_open on /dev/shm, O_EXCL, ftruncate, mmap MAP_SHARED seen by a
    child that opened it by name and by read, O_RDONLY refuses a shared
    writable mapping, shm_unlink), MAP_SHARED|MAP_ANONYMOUS shared across
    fork while MAP_PRIVATE is copied, msync's flags and errors, named
    semaphores (sem_open O_CREAT|O_EXCL, trywait, timedwait, getvalue,
    reopened by name in a child, sem_unlink), process-shared unnamed ones
    guarding a counter of four processes, and a ring buffer of two
    producers and two consumers with a checksum; /dev/shm left clean: as
    on Linux.""")
