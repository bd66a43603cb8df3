"""Lab 4 grader: user programs in ring 3, system calls, processes.

Every test boots `init=/bin/PROGRAM ARGS` with build/initrd.cpio as the boot
module.  The program's output is every serial line after `initrd: N files`
up to `kernel: init exited with status N`, which must say 0 (QEMU then exits with
status 1), less the kernel's other `initrd:` lines (lab 5 unpacks the archive).  Where a program's output is deterministic, the grader also runs
the same static binary (build/user/bin/PROGRAM) on this machine's Linux and
requires the same lines.  grade/README.md says the same for students.
"""
import random
import re
import string

from gradelib import test

ENV = ["HOME=/", "TERM=linux", "PATH=/bin:/sbin"]   # init's environment


def nonce():
    return "".join(random.choice(string.ascii_lowercase) for _ in range(8))


def run(t, prog, args=(), pre="", mem=None, cpu=None, modules=()):
    """Boots `PRE init=/bin/PROG ARGS`; returns (boot, lines): the program's
    serial lines, kernel messages included.  Fails unless init exits 0.
    cpu: a QEMU -cpu model (QEMU only).  modules: archives to load after
    initrd.cpio (lab 5 unpacks them all)."""
    words = " ".join(f'"{a}"' if " " in a else a for a in args)
    cmdline = f"{pre} init=/bin/{prog} {words}".strip()
    initrd = list(modules) or True
    b = (t.qemu(cmdline, mem=mem, initrd=initrd, cpu=cpu) if cpu else
         t.boot(cmdline, mem=mem, initrd=initrd))
    with b:
        b.expect(r"^initrd: \d+ files", what="the `initrd: N files` line")
        start = b.line_of(b.pos)
        m = b.expect(r"^kernel: init (exited with status (\d+)|killed by \S+)$",
                     what="`kernel: init exited with status N`")
        end = b.line_of(b.pos) - 1
        lines = [ln for ln in b.lines[start:end] if not ln.startswith("initrd: ")]
        t.check(m[2] == "0", f"/bin/{prog} ended with `{m[0]}`, not status 0",
                lines[-20:], b, end)
        if b.can_send:
            status = b.wait_done()
            t.check(status == 1, f"QEMU exited with status {status} after init "
                    "exited 0 (expected 1: a clean power-off)", boot=b)
    return b, lines


def own(prog, lines):
    """The lines a program printed itself (`prog: ...`)."""
    return [ln for ln in lines if ln.startswith(prog + ": ")]


def on_linux(t, prog, args=(), env=ENV):
    """The lines the same binary prints on this machine's Linux."""
    path = t.build / "user" / "bin" / prog
    t.check(path.exists(), f"{path} is missing (make user builds it)")
    status, out = t.run([path, *args], env=dict(e.split("=", 1) for e in env))
    t.check(status == 0, f"{prog} {' '.join(args)} failed on Linux "
            f"(status {status})", out.splitlines()[-20:])
    return own(prog, out.splitlines())


def same_as_linux(t, b, prog, lines, args=(), ignore=()):
    """The program's own lines equal its lines on Linux, except those
    matching one of the regexes in ignore."""
    def keep(ls):
        return [ln for ln in ls if not any(re.search(rx, ln) for rx in ignore)]
    t.compare(keep(on_linux(t, prog, args)), keep(own(prog, lines)),
              f"/bin/{prog}'s lines (against the same binary on Linux)", b)


def expect_lines(t, b, prog, lines, wanted):
    """Each line of wanted appears among the program's lines, in order."""
    mine, at = own(prog, lines), 0
    for w in wanted:
        while at < len(mine) and mine[at] != w:
            at += 1
        t.check(at < len(mine), f"/bin/{prog} never printed `{w}` (in order)",
                lines[-20:], b)


@test("hello", emus=("qemu", "bochs"))
def hello(t):
    """`init=/bin/hello` (musl printf: execve, arch_prctl, set_tid_address,
    ioctl, writev, exit_group): exactly one line of its own,
    `Hello from user space!`, as on Linux."""
    b, lines = run(t, "hello")
    t.compare(["Hello from user space!"], lines, "/bin/hello's output", b)


@test("hello_pie", emus=("qemu", "bochs"))
def hello_pie(t):
    """`init=/bin/hello-pie`: the same hello linked as a static PIE (ELF type
    DYN, loaded at a bias): `Hello from user space!`."""
    b, lines = run(t, "hello-pie")
    t.compare(["Hello from user space!"], lines, "/bin/hello-pie's output", b)


def args_lines(t, argv, env, execfn):
    """What /bin/args prints for argv and env on Linux, with argv[0] and
    AT_EXECFN as NexaOS must print them."""
    got = on_linux(t, "args", argv[1:], env)
    got = [f'args: argv[0] = "{argv[0]}"' if ln.startswith("args: argv[0] =") else
           f'args: AT_EXECFN "{execfn}"' if ln.startswith("args: AT_EXECFN") else ln
           for ln in got]
    return got


@test("args", emus=("qemu", "bochs"))
def args(t):
    """`init=/bin/args WORD "two WORD"` (WORD random): argc, each argv, each
    environment string of init (`HOME=/`, `TERM=linux`, `PATH=/bin:/sbin`),
    the auxiliary vector (AT_PAGESZ 4096, AT_PHENT 56, AT_PHNUM, AT_ENTRY,
    AT_RANDOM, AT_EXECFN "/bin/args", AT_UID/EUID/GID/EGID 0): the same
    lines as the binary prints on Linux given the same arguments."""
    w = nonce()
    argv = ["/bin/args", w, f"two {w}"]
    b, lines = run(t, "args", argv[1:])
    t.compare(args_lines(t, argv, ENV, "/bin/args"), own("args", lines),
              "/bin/args's lines", b)


@test("forktree", emus=("qemu", "bochs"))
def forktree(t):
    """`kmalloc=debug init=/bin/forktree`: a tree of processes three levels
    deep; every child checks getppid() and exits with a status its parent
    checks through wait4.  Same lines as on Linux, ending `forktree: ok`.
    (The debug heap poisons freed memory: a status read after the zombie
    was freed comes out wrong.)"""
    b, lines = run(t, "forktree", pre="kmalloc=debug")
    same_as_linux(t, b, "forktree", lines)


@test("exec", emus=("qemu", "bochs"))
def exec_(t):
    """`init=/bin/exec`: execve("/bin/args", {"args", "one", "two words"},
    {"HOME=/", "MODE=exec"}); the output must be /bin/args's for exactly
    those arguments and that environment (AT_EXECFN "/bin/args")."""
    b, lines = run(t, "exec")
    want = args_lines(t, ["args", "one", "two words"], ["HOME=/", "MODE=exec"],
                      "/bin/args")
    t.compare(want, own("args", lines), "the exec'd /bin/args's lines", b)


@test("exec_errors", emus=("qemu", "bochs"))
def exec_errors(t):
    """`init=/bin/exec errors`: execve fails with ENOENT for a missing file,
    ENOEXEC for /bin/bad/wrong-machine, EFAULT for bad argv, envp and
    argv[0] pointers; `exec: ok`."""
    b, lines = run(t, "exec", ["errors"])
    expect_lines(t, b, "exec", lines, [
        "exec: /nonexistent -> ENOENT ok",
        "exec: /bin/bad/wrong-machine -> ENOEXEC ok",
        "exec: argv (char **)1 -> EFAULT ok", "exec: ok"])


@test("waitstat", emus=("qemu", "bochs"))
def waitstat(t):
    """`init=/bin/waitstat`: wait4 statuses of a normal exit (42, and 0x107
    as 7), of SIGKILL and SIGTERM, WNOHANG on a running child (0), ECHILD
    without children: same lines as on Linux, ending `waitstat: ok`."""
    b, lines = run(t, "waitstat")
    same_as_linux(t, b, "waitstat", lines)


@test("preempt", emus=("qemu", "bochs"))
def preempt(t):
    """`init=/bin/spin`: child A spins without system calls; the parent still
    runs, forks B, which spins 300 ms and exits; the parent kills A.
    Without preemption nothing after A's start would run.  Expected
    `spin: B finished while A spun`, `spin: A killed`, `spin: ok`."""
    b, lines = run(t, "spin")
    expect_lines(t, b, "spin", lines, ["spin: B finished while A spun",
                                       "spin: A killed", "spin: ok"])


@test("nanosleep", emus=("qemu", "bochs"))
def nanosleep(t):
    """`init=/bin/nanosleep`: nanosleep of 100 ms takes at least 100 ms of
    CLOCK_MONOTONIC and less than 2 s; EINVAL for a bad tv_nsec;
    CLOCK_REALTIME is after 2024 (from the RTC): same lines as on Linux."""
    b, lines = run(t, "nanosleep")
    same_as_linux(t, b, "nanosleep", lines)


@test("malloc", emus=("qemu", "bochs"))
def malloc(t):
    """`init=/bin/mallocstress`: 20000 random malloc/free/realloc with
    pattern checks (brk and mmap), calloc, sbrk: same lines as on Linux."""
    b, lines = run(t, "mallocstress")
    same_as_linux(t, b, "mallocstress", lines)


@test("vm", emus=("qemu", "bochs"))
def vm(t):
    """`init=/bin/vm`: anonymous memory reads as zero; munmap of a middle
    page (it faults, its neighbours keep their data); mprotect read-only,
    PROT_NONE and back; MAP_FIXED replaces, MAP_FIXED_NOREPLACE gives
    EEXIST; EINVAL for an unaligned munmap and a 0-byte mmap, ENOMEM for
    mprotect of an unmapped page; brk grows and shrinks (beyond it
    faults); E2BIG for a 200 KiB execve argument: same lines as on
    Linux, ending `vm: ok`."""
    b, lines = run(t, "vm")
    same_as_linux(t, b, "vm", lines)


@test("fpu", emus=("qemu", "bochs"))
def fpu(t):
    """`init=/bin/fpu`: two children run a long floating-point loop side by
    side, one rounding to nearest and one toward zero; each must get
    exactly the parent's result for its mode (FPU/SSE registers and MXCSR
    saved at every switch): same lines as on Linux, ending `fpu: ok`."""
    b, lines = run(t, "fpu")
    same_as_linux(t, b, "fpu", lines)


@test("kcopy", emus=("qemu", "bochs"))
def kcopy(t):
    """`init=/bin/kcopy`: the kernel writing into user memory faults in an
    untouched page (uname), copies a page shared since fork before writing
    it (clock_gettime in the child; the parent's copy unchanged), and gives
    EFAULT for a read-only page, a kernel address (rt_sigprocmask) and a
    range across the top of user space: same lines as on Linux."""
    b, lines = run(t, "kcopy")
    same_as_linux(t, b, "kcopy", lines)


@test("cow", emus=("qemu", "bochs"))
def cow(t):
    """`init=/bin/cow`: after fork, parent and child see their own writes
    only; sysinfo's free memory drops by less than 1 MiB at fork (4 MiB of
    pages shared) and by at least 3.5 MiB once the child has written them:
    `cow: parent and child diverge`, `cow: pages shared until written`."""
    b, lines = run(t, "cow")
    expect_lines(t, b, "cow", lines, ["cow: parent and child diverge",
                                      "cow: pages shared until written", "cow: ok"])


FAULTS = [("null-read", "SIGSEGV"), ("text-write", "SIGSEGV"),
          ("stack-exec", "SIGSEGV"), ("ud2", "SIGILL"), ("divide-by-zero", "SIGFPE"),
          ("int3", "SIGTRAP"), ("hlt", "SIGSEGV"), ("io-port", "SIGSEGV"),
          ("kernel-read", "SIGSEGV"), ("non-canonical", "SIGSEGV")]


@test("faults", emus=("qemu", "bochs"))
def faults(t):
    """`init=/bin/fault`: children that read address 0, write their text,
    execute their stack, run ud2, divide by zero, int3, hlt, in/out, read a
    kernel address and a non-canonical one: each dies with Linux's signal
    (`fault: NAME -> SIGXXX ok`), the kernel reports `user fault: pid N
    (fault) killed by SIGXXX: ...` for each, and carries on."""
    b, lines = run(t, "fault")
    expect_lines(t, b, "fault", lines, [f"fault: {n} -> {s} ok" for n, s in FAULTS])
    # QEMU's TCG raises no alignment-check exception: SIGBUS or a SKIP.
    t.check(any(re.fullmatch(r"fault: alignment-check -> (SIGBUS ok|SKIP .*)", ln)
                for ln in lines), "no `fault: alignment-check -> ...` line", lines, b)
    expect_lines(t, b, "fault", lines, ["fault: ok"])
    reported = [m[1] for ln in lines
                if (m := re.match(r"user fault: pid \d+ \(fault\) killed by (\S+):", ln))]
    want = [s for _, s in FAULTS]
    t.check(reported[:len(want)] == want, "the kernel's `user fault:` lines name "
            f"{reported}, expected {want}", lines, b)


@test("efault", emus=("qemu", "bochs"))
def efault(t):
    """`init=/bin/efault`: null, kernel and non-canonical pointers passed to
    write, readv, writev, clock_gettime, uname (also into read-only text),
    nanosleep, wait4 and execve get EFAULT, never a crash; syscall 1000
    and -1 get ENOSYS: same lines as on Linux."""
    b, lines = run(t, "efault")
    same_as_linux(t, b, "efault", lines)


@test("badelf", emus=("qemu", "bochs"))
def badelf(t):
    """`debug=exec init=/bin/badelf`: execve of each malformed file of /bin/bad
    (truncated, wrong class, endianness, machine or type, bad program
    headers, segments outside the file or user space, overlapping,
    misaligned, huge, entry outside the text, no PT_LOAD, PT_INTERP, a
    script) fails with ENOEXEC (`badelf: NAME -> ENOEXEC ok` each, then
    `badelf: ok`), and the kernel prints `kernel: exec /bin/bad/NAME
    refused: reason` for each (only because `debug=exec` asks: otherwise
    any program could flood the console)."""
    b, lines = run(t, "badelf", pre="debug=exec")
    names = [m[1] for ln in own("badelf", lines)
             if (m := re.fullmatch(r"badelf: (\S+) -> ENOEXEC ok", ln))]
    t.check(len(names) >= 15, f"only {len(names)} malformed files refused with "
            "ENOEXEC", lines, b)
    expect_lines(t, b, "badelf", lines, ["badelf: ok"])
    said = {m[1] for ln in lines
            if (m := re.match(r"kernel: exec /bin/bad/(\S+) refused: .+", ln))}
    missing = [n for n in names if n not in said]
    t.check(not missing, "no `kernel: exec /bin/bad/NAME refused: reason` line "
            f"for {missing}", lines, b)


@test("forkbomb", emus=("qemu", "bochs"))
def forkbomb(t):
    """`maxproc=64 init=/bin/forkbomb`: fork until it fails with EAGAIN, kill
    and reap every child, and find free memory (sysinfo) back where it
    started: `forkbomb: fork failed with EAGAIN`, `forkbomb: memory
    returned`, `forkbomb: ok`."""
    b, lines = run(t, "forkbomb", pre="maxproc=64")
    expect_lines(t, b, "forkbomb", lines, ["forkbomb: fork failed with EAGAIN",
                                           "forkbomb: memory returned", "forkbomb: ok"])


@test("orphan", emus=("qemu", "bochs"))
def orphan(t):
    """`init=/bin/orphan` (it is pid 1): a grandchild whose parent exits is
    re-parented to pid 1 and reaped by it: `orphan: re-parented to pid 1`,
    `orphan: reaped by init`, `orphan: ok`."""
    b, lines = run(t, "orphan")
    expect_lines(t, b, "orphan", lines, ["orphan: re-parented to pid 1",
                                         "orphan: reaped by init", "orphan: ok"])


@test("fuzz", emus=("qemu", "bochs"))
def fuzz(t):
    """`init=/bin/fuzz`: 8 children each make 4000 random system calls
    (memory, time, identity, I/O, unknown numbers) with hostile arguments:
    null, kernel, non-canonical and unaligned pointers, huge lengths.  The
    kernel must not panic, every child must be reaped, and free memory
    must come back: `fuzz: 8 rounds of 4000 calls, the kernel carried on`,
    `fuzz: memory returned`, `fuzz: ok (...)`."""
    b, lines = run(t, "fuzz")
    expect_lines(t, b, "fuzz", lines, ["fuzz: 8 rounds of 4000 calls, the kernel "
                                       "carried on", "fuzz: memory returned"])
    t.check(any(ln.startswith("fuzz: ok") for ln in lines), "no `fuzz: ok` line",
            lines, b)


@test("fuzz_parallel", emus=("qemu", "bochs"))
def fuzz_parallel(t):
    """`init=/bin/fuzz 40000 4`: the fuzzer's rounds from 4 processes at
    once, now with fork, execve, kill, process groups and sleeps among the
    calls, while a heartbeat process checks that it never waits a second
    to run; free memory must come back (`make fuzz` is the same with a
    million calls): `fuzz: no process waited a second to run`, `fuzz:
    memory returned`, `fuzz: ok`."""
    b, lines = run(t, "fuzz", ["40000", "4"])
    expect_lines(t, b, "fuzz", lines, ["fuzz: 40000 calls from 4 processes at once, "
                                       "the kernel carried on",
                                       "fuzz: no process waited a second to run",
                                       "fuzz: memory returned", "fuzz: ok"])


@test("vdso", emus=("qemu", "bochs"))
def vdso(t):
    """`init=/bin/vdso`: the vDSO is where AT_SYSINFO_EHDR says, with
    __vdso_clock_gettime, gettimeofday, time and getcpu at version
    LINUX_2.6 (as libc looks them up); for each clock a vDSO reading lies
    between two system-call readings; CPU clocks and unknown clocks go to
    the kernel; a forked child has it too: same lines as on Linux."""
    b, lines = run(t, "vdso")
    same_as_linux(t, b, "vdso", lines)


# Hostile programs: each of these hung, froze or fooled an earlier kernel.

@test("brkhole", emus=("qemu", "bochs"))
def brkhole(t):
    """`init=/bin/brkhole`: brk grows a heap that mprotect, MAP_FIXED and
    munmap have cut into pieces; the new pages are writable, the read-only
    piece stays read-only (a write gets SIGSEGV, uname into it EFAULT),
    shrinking and growing over the holes gives zero pages: same lines as
    on Linux, ending `brkhole: ok`."""
    b, lines = run(t, "brkhole")
    same_as_linux(t, b, "brkhole", lines)


@test("protnone", emus=("qemu", "bochs"))
def protnone(t):
    """`init=/bin/protnone`: a PROT_NONE page is out of reach for system
    calls too (write, writev, uname, clock_gettime, nanosleep get EFAULT;
    its text never reaches the console) and keeps its data: same lines as
    on Linux."""
    b, lines = run(t, "protnone")
    t.check(not any("must never reach the console" in ln for ln in lines),
            "a system call read a PROT_NONE page", lines[-20:], b)
    same_as_linux(t, b, "protnone", lines)


@test("fpe", emus=("qemu", "bochs"))
def fpe(t):
    """`init=/bin/fpe`: an unmasked x87 division by zero kills with SIGFPE
    (CR0.NE), as does INT64_MIN / -1; the SSE case may say SKIP where the
    CPU (QEMU's TCG) raises no SIMD exceptions: otherwise the same lines as
    on Linux."""
    b, lines = run(t, "fpe")
    same_as_linux(t, b, "fpe", lines, ignore=(r"^fpe: SSE ",))


@test("longsleep", emus=("qemu", "bochs"))
def longsleep(t):
    """`init=/bin/longsleep`: sleeps whose length overflows 64-bit
    nanoseconds (18446744074 s, INT64_MAX s, an absolute INT64_MAX / 2)
    still sleep after 300 ms; a negative time is EINVAL: same lines as on
    Linux."""
    b, lines = run(t, "longsleep")
    same_as_linux(t, b, "longsleep", lines)


@test("stackleak", emus=("qemu", "bochs"))
def stackleak(t):
    """`init=/bin/stackleak`: after an exec with a large environment of
    secrets, a second exec's initial stack holds nothing but argc, the
    pointers, the auxiliary vector, its strings and AT_RANDOM; every
    other byte is zero: same lines as on Linux."""
    b, lines = run(t, "stackleak")
    same_as_linux(t, b, "stackleak", lines)


@test("linuxabi", emus=("qemu", "bochs"))
def linuxabi(t):
    """`init=/bin/linuxabi`: kill with pids -1, 0, -pgid and INT_MIN and
    signals 64 and 65; wait4 with bad pointers (the child is still
    reaped), pid -5 and INT_MIN, WCONTINUED, __WALL; mprotect, munmap,
    mmap and madvise edge cases; writev's iovec checks; ARCH_SET_GS;
    CPU clocks, CLOCK_TAI, clock_getres, gettimeofday, time, times,
    getrusage; execve with argv NULL (argc 1, argv[0] ""), 300 KiB of
    arguments, 5000 arguments, and E2BIG for one of 129 KiB: the same
    lines as on Linux, and the exec'd /bin/args prints `argc 1`."""
    b, lines = run(t, "linuxabi")
    same_as_linux(t, b, "linuxabi", lines)
    expect_lines(t, b, "args", lines, ["args: argc 1", 'args: argv[0] = ""'])


@test("ptleak", emus=("qemu", "bochs"))
def ptleak(t):
    """`init=/bin/ptleak`: 6000 times, one page mapped a gigabyte from the
    last (its own page directory and table), touched and unmapped; free
    memory must end within 256 KiB of where it started:
    `ptleak: the page tables were freed`, `ptleak: ok`."""
    b, lines = run(t, "ptleak")
    expect_lines(t, b, "ptleak", lines, ["ptleak: the page tables were freed",
                                         "ptleak: ok"])


@test("oom", emus=("qemu", "bochs"))
def oom(t):
    """`init=/bin/oom` (64 MiB): a child takes nearly all memory and keeps
    it; then init faults in 4 MiB more.  The OOM killer must kill the
    child, not init, and say so as Linux does (`kernel: Out of memory:
    Killed process N (oom) total-vm:...kB, anon-rss:...kB, ...` with N
    not 1); init lives on and gets the memory back."""
    b, lines = run(t, "oom", mem=64)
    expect_lines(t, b, "oom", lines, ["oom: the hog took the memory",
                                      "oom: init faulted in 4 MiB and lived on",
                                      "oom: the hog was killed by SIGKILL",
                                      "oom: the memory came back", "oom: ok"])
    killed = [m for ln in lines if (m := re.match(
        r"kernel: Out of memory: Killed process (\d+) \((\S+)\) total-vm:\d+kB, "
        r"anon-rss:\d+kB", ln))]
    t.check(killed and all(m[1] != "1" for m in killed),
            "no `kernel: Out of memory: Killed process N (...)` line naming a "
            "process other than init", lines[-20:], b)


@test("fragexec", emus=("qemu", "bochs"))
def fragexec(t):
    """`init=/bin/fragexec` (64 MiB): a child takes nearly all memory and
    frees every other page, so that half the memory is free in single
    frames only; fork and execve must still work (nothing in them needs
    physically contiguous memory)."""
    b, lines = run(t, "fragexec", mem=64)
    expect_lines(t, b, "fragexec", lines, ["fragexec: fork and execve worked",
                                           "fragexec: ok"])


@test("stall", emus=("qemu", "bochs"))
def stall(t):
    """`init=/bin/stall` (128 MiB): a heartbeat process measures the
    longest time it waits to run while (1) another process writes 8 MiB
    to the console and is killed 300 ms later (it must die at once), and
    (2) another splits a mapping into 40,000 regions, maps and forks, then
    splits until the region limit (ENOMEM near Linux's 65,530).  No wait
    may reach a second: system calls run with interrupts on and long
    loops give up the CPU."""
    b, lines = run(t, "stall", mem=128)
    expect_lines(t, b, "stall", lines, [
        "stall: SIGKILL stops an 8 MiB console write at once ok",
        "stall: nobody waited a second meanwhile ok",
        "stall: 20,000 splits, mmap, fork; ENOMEM at the region limit ok",
        "stall: nobody waited a second meanwhile ok", "stall: ok"])


@test("exec_quiet", emus=("qemu", "bochs"))
def exec_quiet(t):
    """`init=/bin/badelf` without `debug=exec`: the refusals happen as in
    `badelf`, but the kernel prints no `kernel: exec ... refused` line, so
    no program can flood the console that way."""
    b, lines = run(t, "badelf")
    expect_lines(t, b, "badelf", lines, ["badelf: ok"])
    noisy = [ln for ln in lines if ln.startswith("kernel: exec ")]
    t.check(not noisy, f"the kernel printed {len(noisy)} `kernel: exec` lines "
            "without debug=exec", noisy[:5], b)


@test("smap", emu_note="needs QEMU's -cpu max")
def smap(t):
    """`init=/bin/kcopy` on QEMU's `-cpu max`, which has SMEP and SMAP: the
    kernel turns both on (`boot: SMEP and SMAP on: ...`) and its user
    copies still work (they open user memory with stac/clac): the same
    kcopy lines as on Linux."""
    b, lines = run(t, "kcopy", cpu="max")
    t.check(any(re.match(r"boot: SMEP and SMAP on", ln) for ln in b.lines),
            "no `boot: SMEP and SMAP on` line under -cpu max", b.lines[:30], b)
    same_as_linux(t, b, "kcopy", lines)
