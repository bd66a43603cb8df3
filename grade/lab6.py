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
from lab4 import run
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


def own_checks(t, prog):
    """c_program's checks without Linux's run, for a program of NexaOS's own
    calls: it must end with `PROG: ok` and print no FAIL line."""
    b, lines = run(t, prog)
    mine = [ln for ln in lines if ln.startswith(prog + ": ")]
    bad = [ln for ln in mine if "FAIL" in ln]
    t.check(not bad, f"/bin/{prog} found {len(bad)} thing(s) wrong, the first: {bad[0]}"
            if bad else "", bad[:20], b)
    t.check(mine and mine[-1] == f"{prog}: ok", f"/bin/{prog} did not end with "
            f"`{prog}: ok`", lines[-20:], b)


def c_test(name, doc, linux=True):
    """A test of program NAME: compared with Linux unless linux=False."""
    def fn(t):
        if linux:
            c_program(t, name)
        else:
            own_checks(t, name)
    fn.__doc__ = doc
    fn.__name__ = name
    return test(name, emus=("qemu", "bochs"))(fn)


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
