"""Lab 6 grader: IPC — signals, job control, message channels, FIFOs,
futexes, shared memory and semaphores.

Most tests boot `init=/bin/PROGRAM` (a C program of user/bin) as lab 4's
do; each checks itself and, where it uses only Linux's calls, must print
what the same binary prints on this machine's Linux (run in a chroot of
its initramfs tree, as lab 5's C tests are).  Job control is typed on the
console of the full system (busybox's shell), as a user would.
"""

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
    """busybox sh's job control on the console (`init=/sbin/init shell`: a
    root shell, no login): `sleep
    100 &` runs in the background (`jobs`: Running); Ctrl-Z (typed on the
    PS/2 keyboard) stops a foreground `sleep 200` (`[2]+ Stopped`); `bg`
    runs it on; `fg %1` brings the first back and Ctrl-C (on serial) kills
    it, not the shell (`echo $?` says 130); `kill %2` ends the other one;
    the shell is still there."""
    b = t.qemu("init=/sbin/init shell", initrd=True)
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


def c_test(name, doc, linux=True):
    """A test of C program NAME (lab 5's c_program): compared with Linux
    unless linux=False (NexaOS's own calls: its checks decide alone)."""
    def fn(t):
        c_program(t, name, linux=linux)
    fn.__doc__ = doc
    fn.__name__ = name
    return test(name, emus=("qemu", "bochs"))(fn)


sigbasic = c_test("sigbasic", """`init=/bin/sigbasic`: handlers with their siginfo (kill,
    tkill, tgkill, sigqueue), masks and nesting, SA_NODEFER and
    SA_RESETHAND, pending and ignored signals, delivery order and real-time
    queueing, sigwaitinfo and sigtimedwait, sigsuspend, pause, kill to
    groups, the FPU state across a handler, ucontext (a fault skipped by
    moving REG_RIP), sigaltstack and SA_ONSTACK (a stack overflow caught),
    pid 1's rules: as on Linux (pid 1 of a new PID namespace there).""")

sigdefault = c_test("sigdefault", """`init=/bin/sigdefault`: default actions seen by the parent:
    terminate, core (WCOREDUMP only with RLIMIT_CORE of a page or more),
    ignore, stop and continue with WUNTRACED and WCONTINUED, reported once;
    SIGCHLD's codes and statuses, SA_NOCLDSTOP, SIG_IGN and SA_NOCLDWAIT
    (no zombies: ECHILD), terminal stops ignored in an orphaned group,
    SIGPIPE: as on Linux.""")

sighostile = c_test("sighostile", """`init=/bin/sighostile`: hostile rt_sigreturn frames, each in a
    child whose fate is the line: a handler returning with a non-canonical
    or kernel rip or rsp, a kernel CS or SS, IOPL/NT/VM (dropped) or TF (a
    single step: SIGTRAP) in its flags, fpregs to kernel memory, NULL (a
    clean FPU) or misaligned, reserved MXCSR bits, garbage uc_flags and
    uc_stack (bad flags ignored as sigaltstack's EINVAL); rt_sigreturn
    with no frame on zeroes or 0xff bytes, with rsp unmapped or in the
    kernel half, on a read-only page (a good frame works, its mask taken)
    and off its edge; then fork and exec still work: as on Linux, where
    the two may differ only in how a case ends contained.""")

sigrestart = c_test("sigrestart", """`init=/bin/sigrestart`: blocking calls interrupted by a handler
    (sent once the caller sleeps): without SA_RESTART read and write of a
    pipe, wait4, a FIFO's open and futex wait fail with EINTR, with it they
    run again and complete; a pipe write that put some in returns its
    count; nanosleep and clock_nanosleep (the time left filled in, not for
    TIMER_ABSTIME), pause, sigsuspend, poll, select, sigtimedwait and a
    timed futex wait fail with EINTR even with SA_RESTART; a stopped and
    continued nanosleep sleeps only the rest (restart_syscall); alarm and
    its seconds left, setitimer intervals, getitimer, disarming (also by a
    NULL value), EINVAL, no timer after fork, the timer kept across exec:
    as on Linux.""")

chan = c_test("chan", """`init=/bin/chan`: NexaOS's message channels, each line checking
    itself (nothing to compare with Linux): CHAN_MAX channels then ENOSPC,
    CHAN_MSGS messages then EAGAIN, EMSGSIZE (a short receive leaves the
    message), EINVAL and EBADF ids, EFAULT for NULL, kernel, unmapped and
    read-only buffers (no half message), boundaries, order and zero-length
    messages, CHAN_NONBLOCK, timeouts, a waiting receiver woken by another
    process's send, by a handler's signal (EINTR, SA_RESTART too) but not by
    a stop and a continue, and by the channel's end (EIDRM), chan_clear and
    chan_stat, 4 producers and 3 consumers with checksums, channels that
    outlive the killed process that made them or waited on them, ids used
    again, none left behind.""", linux=False)

fifo = c_test("fifo", """`init=/bin/fifo`: FIFOs in /tmp/fifo: mkfifo and mknod S_IFIFO,
    their type, mode (umask) and errors (EEXIST, ENOENT, ENOTDIR); a reader
    waits for a writer and a writer for a reader, O_RDWR for nobody;
    O_NONBLOCK: a reader reads end of file then EAGAIN once a writer came, a
    writer without a reader gets ENXIO; an open a handler interrupts gives
    EINTR and leaves no end behind; 100 KiB between processes; end of file
    only after the last writer (an inherited one too); EPIPE and SIGPIPE;
    unlink while open; ESPIPE; poll's POLLIN, POLLOUT, POLLERR and POLLHUP
    (only after a writer the reader saw); FIONREAD; 64 KiB of room and
    non-blocking writes at the edge; 4 writers' PIPE_BUF writes never
    interleave: as on Linux.""")


futex = c_test("futex", """`init=/bin/futex`: FUTEX_WAIT's value check (EAGAIN), its
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

shmsem = c_test("shmsem", """`init=/bin/shmsem`: POSIX shared memory as musl makes it
    (shm_open on /dev/shm, O_EXCL, ftruncate, mmap MAP_SHARED seen by a
    child that opened it by name and by read, O_RDONLY refuses a shared
    writable mapping, shm_unlink), MAP_SHARED|MAP_ANONYMOUS shared across
    fork while MAP_PRIVATE is copied, msync's flags and errors, named
    semaphores (sem_open O_CREAT|O_EXCL, trywait, timedwait, getvalue,
    reopened by name in a child, sem_unlink), process-shared unnamed ones
    guarding a counter of four processes, and a ring buffer of two
    producers and two consumers with a checksum; /dev/shm left clean: as
    on Linux.""")


@test("sighostile_bochs", emu_note="it boots Bochs whatever the emulator: QEMU forgives "
      "what this test is for")
def sighostile_bochs(t):
    """`init=/bin/sighostile` under Bochs, whatever --emu says: QEMU TCG
    lets an iretq to a non-canonical rip and an fxrstor of reserved MXCSR
    bits through, Bochs faults in ring 0 as hardware does, so a sigreturn
    that skips those checks panics the kernel here: it must end with
    `sighostile: ok`, no FAIL line, and init's exit status 0."""
    with t.bochs("init=/bin/sighostile", initrd=True) as b:
        b.expect(r"^initrd: \d+ files", what="the `initrd: N files` line")
        start = b.line_of(b.pos)
        m = b.expect(r"^kernel: init (exited with status (\d+)|killed by \S+)$",
                     what="`kernel: init exited with status N` (a panic instead?)")
        lines = b.lines[start:b.line_of(b.pos)]
        bad = [ln for ln in lines if "FAIL" in ln]
        t.check(not bad, f"sighostile found {len(bad)} thing(s) wrong, the first: "
                f"{bad[0]}" if bad else "", bad[:20], b)
        t.check(m[2] == "0" and "sighostile: ok" in lines,
                f"sighostile ended with `{m[0]}`, not status 0 after `sighostile: ok`",
                lines[-20:], b)
