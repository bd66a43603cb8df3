"""Lab 2 grader: exceptions, the PIC and the timer, the RTC, the keyboard,
serial input and the line editor.

Each test's docstring says exactly which output it matches; grade/README.md
says the same for students.  Every reported rip is checked against
kernel.elf (its symbols and the instruction bytes there), keys are pressed
through QEMU's QMP (send-key), and the line editor's echo is read back from
the VGA screen as well as from serial.
"""
import datetime
import re

from gradelib import (Lines, check_backtrace, keys_for, parse_backtrace,
                      test)

from lab1 import REGS, check_kerninfo, command, starting

BOTH = ("qemu", "bochs")       # tests that also run under --emu bochs
QMP_KEYS = "keys are pressed through QEMU's QMP (send-key)"
UNMAPPED = 0x00000dead0000000  # the address ktest pagefault reads
AFTER_KEYS = 5                 # seconds for the result after the last key
TIMER_TEST = 10                # seconds for test=timer (it takes 1-2)
EXC_RX = (r"EXCEPTION (\d+) (\S+) \(([^)]*)\) error 0x([0-9a-f]+) "
          r"at rip 0x([0-9a-f]{16}) (\S+)\+0x([0-9a-f]+)")
EXC_SHAPE = ("EXCEPTION <vector> <mnemonic> (<name>) error 0x<hex> at rip "
             "0x<16 hex digits> <function>+0x<offset>")


def begin(b, name):
    """Wait for `ktest: begin NAME`; return the index of the block's first
    line.  The line may lack its end: when the machine resets right after
    it, Bochs loses the characters still in the UART."""
    m = b.expect(rf"^ktest: begin {name}$", what=f"`ktest: begin {name}`",
                 partial=True)
    return b.line_of(m.end()) + 1


def interrupts_on(t, b):
    """Wait for the boot line that says whether the timer ticked; fail at
    once on `boot: no timer interrupts ...`.  Returns (hz, TSC kHz)."""
    m = b.expect(r"^boot: (interrupts on: .*|no timer interrupts.*)$",
                 what="`boot: interrupts on: ...` (or `boot: no timer "
                 "interrupts`)")
    at = b.line_of(m.start())
    t.check(m[1].startswith("interrupts on"), "the kernel saw no timer "
            "interrupt at boot (`boot: no timer interrupts`): the IDT, the "
            "PIC (remap, unmask, EOI) or the PIT is not working yet; console "
            "input stays polled and the keyboard is off", boot=b, at=at)
    f = re.fullmatch(r"interrupts on: timer (\d+) Hz, TSC (\d+)\.(\d{3}) MHz",
                     m[1])
    t.check(f, "the line does not read `boot: interrupts on: timer N Hz, "
            "TSC N.NNN MHz`", boot=b, at=at)
    return int(f[1]), int(f[2]) * 1000 + int(f[3])


def find_reg(text, name):
    """The value of register NAME=0x<16 hex> in text, or None."""
    m = re.search(rf"(?<![0-9A-Z]){name}=0x([0-9a-f]{{16}})\b", text)
    return m and int(m[1], 16)


def check_regs(t, b, report, at, want):
    """The register dump of an exception report: every register of REGS as
    NAME=0x<16 hex digits>, and those in `want` {NAME: value} equal."""
    text = "\n".join(report)
    missing = [r for r in REGS if find_reg(text, r) is None]
    t.check(not missing, "registers missing from the exception report (as "
            f"NAME=0x<16 hex digits>): {' '.join(missing)}", report, b, at)
    for name, value in want.items():
        got = find_reg(text, name)
        t.check(got == value, f"the exception report says {name}="
                f"{got:#018x}, expected {value:#018x}", report, b, at)


def opcode(code):
    """The opcode bytes of machine code: without a REX prefix."""
    return code[1:] if code[:1] and 0x40 <= code[0] <= 0x4F else code


def is_div(code):
    """div r/m32 or r/m64: F7 with ModRM.reg 6."""
    op = opcode(code)
    return len(op) > 1 and op[0] == 0xF7 and op[1] >> 3 & 7 == 6


# What must be at the reported rip (+ offset) in kernel.elf, per self-test:
# a fault reports the faulting instruction, a trap (#BP) the one after it.
INSNS = {
    "divide": ("a div instruction (F7 /6)", 0, is_div),
    "invalid_opcode": ("ud2 (0F 0B)", 0, lambda c: c[:2] == b"\x0f\x0b"),
    "gpf": ("the load mov (8B)", 0, lambda c: opcode(c)[:1] == b"\x8b"),
    "pagefault": ("the load mov (8B)", 0,
                  lambda c: opcode(c)[:1] == b"\x8b"),
    "breakpoint": ("int3 (CC) just before it: #BP is a trap, rip is the "
                   "next instruction", -1, lambda c: c[:1] == b"\xcc"),
}


def exception_line(t, b, name, vector, mnemonic, desc):
    """Match the EXCEPTION line of `test=name` and check vector, mnemonic,
    name, error code 0 and rip against kernel.elf.  Returns (rip, the
    line's index)."""
    begin(b, name)
    m = b.expect(r"^EXCEPTION .*$", what="an `EXCEPTION ...` line")
    at, line = b.line_of(m.start()), m[0]
    e = re.fullmatch(EXC_RX, line)
    t.check(e, f"the line does not read `{EXC_SHAPE}`", boot=b, at=at)
    want = f"EXCEPTION {vector} {mnemonic} ({desc}) error 0x0"
    got = f"EXCEPTION {e[1]} {e[2]} ({e[3]}) error 0x{e[4]}"
    t.check(got == want, f"expected `{want} at rip ...`, got `{got} ...`",
            boot=b, at=at)
    rip, func, off = int(e[5], 16), e[6], int(e[7], 16)
    fn = f"ktest_{name}"
    real = t.elf.func_at(rip)
    t.check(real and real.name == fn, f"rip {rip:#x} lies in "
            f"{real.name if real else 'no function'} of kernel.elf, not in "
            f"{fn} where the fault happens", boot=b, at=at)
    t.check(func == fn and off == rip - real.value, f"the kernel named rip "
            f"{func}+{off:#x}, but kernel.elf says {fn}+{rip - real.value:#x}",
            boot=b, at=at)
    if name in INSNS:
        what, delta, ok = INSNS[name]
        code = t.elf.read(rip + delta, 4)
        t.check(ok(code), f"rip {rip:#x} is not where the instruction is: "
                f"kernel.elf has {code.hex(' ') or 'nothing'} at "
                f"{rip + delta:#x}, expected {what}", boot=b, at=at)
    return rip, at


def fault_test(t, name, vector, mnemonic, desc, note=None, regs=None):
    """A self-test whose fault the kernel cannot survive: the EXCEPTION
    line, the `note` line (regex, shape) if any, the register dump (with
    `regs` {NAME: value}), then a panic naming the mnemonic whose backtrace
    runs through the faulting rip, `System halted.` and QEMU status 5."""
    with t.boot(f"test={name}") as b:
        rip, at = exception_line(t, b, name, vector, mnemonic, desc)
        b.expect_panic = True           # from here on, a panic is expected
        p = b.expect(r"^KERNEL PANIC in (\S+) \(([^)]*)\): (.*)$",
                     what="the KERNEL PANIC line after the exception")
        pat = b.line_of(p.start())
        report = b.lines[at + 1:pat]
        if note:
            t.check(any(re.fullmatch(rf"\s*{note[0]}", ln) for ln in report),
                    f"no line `{note[1]}` after the EXCEPTION line", report,
                    b, at + 1)
        check_regs(t, b, report, at + 1, {"RIP": rip} | (regs or {}))
        t.check(mnemonic in p[3], f"the panic message {p[3]!r} does not name"
                f" the exception ({mnemonic})", boot=b, at=pat)
        b.expect(r"^System halted\.$", what="`System halted.`")
        panic = b.lines[pat:b.line_of(b.pos)]
        frames = parse_backtrace(panic, pat)
        check_backtrace(t, frames, [], b, "panic backtrace")
        t.check(any(f.rip == rip and f.name == f"ktest_{name}"
                    for f in frames), "the panic backtrace has no frame "
                f"`ktest_{name}+0x...` at the faulting rip {rip:#x}", boot=b,
                at=frames[0].line if frames else pat)
        b.expect_exit(5)


@test("divide", emus=BOTH)
def divide(t):
    """Boot `test=divide` (divl by zero in ktest_divide).  Expect `EXCEPTION
    0 #DE (divide error) error 0x0 at rip 0x<rip> ktest_divide+0x<off>`
    with rip exactly ktest_divide+off in kernel.elf and a div instruction
    there; the registers (RIP = rip); a KERNEL PANIC naming #DE whose
    backtrace (checked against kernel.elf) has ktest_divide at rip;
    `System halted.`; QEMU status 5."""
    fault_test(t, "divide", 0, "#DE", "divide error")


@test("invalid_opcode", emus=BOTH)
def invalid_opcode(t):
    """Boot `test=invalid_opcode` (ud2): as divide, with `EXCEPTION 6 #UD
    (invalid opcode) error 0x0`, rip in ktest_invalid_opcode at the ud2."""
    fault_test(t, "invalid_opcode", 6, "#UD", "invalid opcode")


@test("gpf", emus=BOTH)
def gpf(t):
    """Boot `test=gpf` (a load from the non-canonical 0x8000000000000000):
    as divide, with `EXCEPTION 13 #GP (general protection) error 0x0`, rip
    in ktest_gpf at the load."""
    fault_test(t, "gpf", 13, "#GP", "general protection")


@test("pagefault", emus=BOTH)
def pagefault(t):
    """Boot `test=pagefault` (a read of the unmapped 0x00000dead0000000): as
    divide, with `EXCEPTION 14 #PF (page fault) error 0x0` (read, page not
    present, kernel mode), rip in ktest_pagefault at the load, the line
    `  page fault: read from a not-present page at 0x00000dead0000000
    (kernel mode)` and CR2=0x00000dead0000000 in the register dump."""
    line = (f"page fault: read from a not-present page at 0x{UNMAPPED:016x}"
            " (kernel mode)")
    fault_test(t, "pagefault", 14, "#PF", "page fault",
               note=(re.escape(line), line), regs={"CR2": UNMAPPED})


@test("double_fault", emus=BOTH)
def double_fault(t):
    """Boot `test=double_fault` (rsp moved to the unmapped
    0x00000dead0001000, then a push): as divide, with `EXCEPTION 8 #DF
    (double fault) error 0x0`, rip inside ktest_double_fault, a line
    `  double fault: ... rsp 0x00000dead0001000 ...` and
    RSP=0x00000dead0001000 in the register dump.  The handler runs on its
    own IST stack; without one the CPU triple-faults."""
    rsp = UNMAPPED + 0x1000
    fault_test(t, "double_fault", 8, "#DF", "double fault",
               note=(rf"double fault: .*\brsp 0x{rsp:016x}\b.*",
                     f"double fault: ... rsp 0x{rsp:016x} ..."),
               regs={"RSP": rsp})


@test("breakpoint", emus=BOTH)
def breakpoint(t):
    """Boot `test=breakpoint` (int3): `EXCEPTION 3 #BP (breakpoint) error
    0x0 at rip ... ktest_breakpoint+0x<off>`, rip just after the int3 byte
    in kernel.elf; the registers (RIP = rip); then the kernel carries on:
    `breakpoint: resumed after int3`, `ktest: end breakpoint` and a clean
    power-off (QEMU status 1).  No panic."""
    with t.boot("test=breakpoint") as b:
        rip, at = exception_line(t, b, "breakpoint", 3, "#BP", "breakpoint")
        m = b.expect(r"^breakpoint: resumed after int3$",
                     what="`breakpoint: resumed after int3`")
        check_regs(t, b, b.lines[at + 1:b.line_of(m.start())], at + 1,
                   {"RIP": rip})
        b.expect(r"^ktest: end breakpoint$", what="`ktest: end breakpoint`")
        b.expect_exit(1)


@test("spurious", emus=BOTH)
def spurious(t):
    """Boot `test=spurious` (int $39 and int $47: IRQ 7 and 15 with no
    in-service bit).  The block's lines starting with `spurious:` must be
    exactly `spurious: irq7=1 irq15=1 handled7=0 handled15=0` (counted as
    spurious, no handler run); then a clean power-off (QEMU status 1)."""
    with t.boot("test=spurious") as b:
        first = begin(b, "spurious")
        b.expect(r"^ktest: end spurious$", what="`ktest: end spurious`")
        block = Lines(b.lines[first:b.line_of(b.pos) - 1], first)
        got, at = starting(block, "spurious:")
        t.compare(["spurious: irq7=1 irq15=1 handled7=0 handled15=0"], got,
                  "spurious lines", b, at)
        b.expect_exit(1)


@test("slave_irq", emus=BOTH)
def slave_irq(t):
    """Boot `test=slave_irq`: the RTC's periodic interrupt (1024 Hz) on IRQ
    8, behind the slave PIC, for 200 ms of timer sleep.  Expected the line
    `slave_irq: N interrupts on IRQ 8 in 200 ms (RTC at 1024 Hz)` with N in
    50..1000: 0 means IRQ 8 never arrives (cascade IRQ 2 masked, slave
    not wired as ICW3 says), 1 means it never comes again (no EOI to the
    slave); then a clean power-off (QEMU status 1)."""
    with t.boot("test=slave_irq") as b:
        interrupts_on(t, b)
        m = b.expect(r"^slave_irq: (\d+) interrupts on IRQ 8 in 200 ms",
                     what="`slave_irq: N interrupts on IRQ 8 in 200 ms ...`")
        n, at = int(m[1]), b.line_of(b.pos) - 1
        why = {0: ": IRQ 8 never arrived (is the cascade line IRQ 2 unmasked, "
                  "is the slave wired with ICW3?)",
               1: ": IRQ 8 came once and never again (does the EOI of an "
                  "IRQ from 8 to 15 go to the slave too?)"}
        t.check(50 <= n <= 1000, f"{n} interrupts from the RTC at 1024 Hz in "
                f"200 ms: expected 50..1000{why.get(n, '')}", boot=b, at=at)
        b.expect_exit(1)


def timer_test(t, hz):
    """`test=timer` with `hz=HZ` unless 100, the default (see timer)."""
    with t.boot("test=timer" + (f" hz={hz}" if hz != 100 else "")) as b:
        got_hz, _ = interrupts_on(t, b)
        at = b.line_of(b.pos) - 1
        t.check(got_hz == hz, f"the boot line says timer {got_hz} Hz, "
                f"expected {hz}", boot=b, at=at)
        zero = [i for i, ln in enumerate(b.lines[:at])
                if ln.startswith("boot: time 0000-00-00 00:00:00")]
        t.check(not zero, "the RTC reads 0000-00-00 00:00:00, and the timer "
                "self-test counts ticks across a second of the RTC: it would "
                "wait forever (see the rtc test)", boot=b,
                at=zero and zero[0])
        block = b.ktest("timer", timeout=TIMER_TEST)
        text = "\n".join(block)
        t.check("timer: not running" not in text, "the self-test found no "
                "timer tick (`timer: not running`)", boot=b, at=block.start)
        rules = [(r"timer: hz=(\d+) tsc=(\d+) kHz", "timer: hz=N tsc=N kHz"),
                 (r"timer: (\d+) ticks in one RTC second",
                  "timer: N ticks in one RTC second"),
                 (r"timer: sleep 200 ms took (\d+) ms by the TSC",
                  "timer: sleep 200 ms took N ms by the TSC")]
        found = []
        for rx, shape in rules:
            m = re.search(rf"^{rx}$", text, re.M)
            t.check(m, f"no line `{shape}` in the self-test", block, b,
                    block.start)
            found.append((m, block.start + text.count("\n", 0, m.start())))
        (m, at), (ticks, tat), (sleep, sat) = found
        t.check(int(m[1]) == hz and int(m[2]) > 0, f"expected `timer: "
                f"hz={hz} tsc=<kHz> kHz` with a TSC rate above 0, got "
                f"`{m[0]}`", boot=b, at=at)
        n, lo, hi = int(ticks[1]), hz // 2, hz * 3 // 2
        t.check(lo <= n <= hi, f"{n} ticks in one RTC second at {hz} Hz: "
                f"expected {lo}..{hi}", boot=b, at=tat)
        ms = int(sleep[1])
        t.check(100 <= ms <= 400, f"a 200 ms sleep took {ms} ms by the TSC:"
                " expected 100..400", boot=b, at=sat)
        b.expect_exit(1)


@test("timer", emus=BOTH)
def timer(t):
    """Boot `test=timer`.  The boot line `boot: interrupts on: timer 100
    Hz, TSC N.NNN MHz` (`boot: no timer interrupts` fails at once); in the
    block `timer: hz=100 tsc=K kHz` (K > 0), `timer: N ticks in one RTC
    second` with N in 50..150, `timer: sleep 200 ms took M ms by the TSC`
    with M in 100..400 (emulated time: deliberately loose); QEMU status 1."""
    timer_test(t, 100)


@test("timer_1000", emus=BOTH)
def timer_1000(t):
    """Boot `test=timer hz=1000`: as timer, with 1000 Hz on the boot line
    and `timer: hz=1000`, and N in 500..1500."""
    timer_test(t, 1000)


@test("rtc", emus=BOTH)
def rtc(t):
    """Boot `test=banner` and read `boot: time YYYY-MM-DD HH:MM:SS UTC`:
    it must be a valid date and time within 10 minutes of the host's UTC
    clock when the line arrives (QEMU's RTC, and Bochs's as the grader sets
    it up, start at the host's UTC time).  The only test that compares
    with the wall clock."""
    with t.boot("test=banner") as b:
        m = b.expect(r"^boot: time (.*)$", what="the `boot: time` line")
        host = datetime.datetime.now(datetime.timezone.utc)
        at = b.line_of(m.start())
        f = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC",
                         m[1])
        t.check(f, "the line does not read `boot: time YYYY-MM-DD HH:MM:SS "
                "UTC`", boot=b, at=at)
        try:
            kt = datetime.datetime(*map(int, f.groups()),
                                   tzinfo=datetime.timezone.utc)
        except ValueError as e:
            t.fail(f"the RTC time {m[1]} is not a valid date and time ({e}):"
                   " decode the CMOS fields (BCD unless status B bit 2, "
                   "12-hour unless bit 1, the century)", boot=b, at=at)
        off = (kt - host).total_seconds()
        way = "ahead of" if off > 0 else "behind"
        t.check(abs(off) <= 600, f"the RTC says {kt:%Y-%m-%d %H:%M:%S}, "
                f"{abs(off) / 60:.1f} minutes {way} the host's UTC clock "
                f"({host:%Y-%m-%d %H:%M:%S}; allowed: 10 minutes): the "
                f"emulator's RTC starts at the host's UTC time, so the CMOS "
                "fields are decoded wrongly", boot=b, at=at)


def escape(s):
    """As the kernel prints typed text: printable ASCII except `"` and `\\`
    as is, everything else as \\xNN."""
    return "".join(c if " " <= c < "\x7f" and c not in '"\\'
                   else f"\\x{ord(c):02x}" for c in s)


# test=keys: each key (QEMU qcodes, "-" joins keys held together) and the
# characters it must produce.  The final `dot` ends the test.
KEYS = [("h", "h"), ("e", "e"), ("l", "l"), ("l", "l"), ("o", "o"),
        ("spc", " "), ("shift-w", "W"), ("o", "o"), ("r", "r"), ("l", "l"),
        ("d", "d"), ("ret", "\n"), ("caps_lock", ""), ("a", "A"),
        ("b", "B"), ("caps_lock", ""), ("c", "c"), ("shift-1", "!"),
        ("2", "2"), ("shift-3", "#"), ("minus", "-"), ("equal", "="),
        ("shift-slash", "?"), ("backspace", "\b"), ("tab", "\t"),
        ("up", "\x1b[A"), ("down", "\x1b[B"), ("left", "\x1b[D"),
        ("right", "\x1b[C"), ("kp_enter", "\n"), ("ctrl-c", "\x03"),
        ("ctrl_r-u", "\x15"), ("alt-x", "\x1bx"), ("kp_divide", "/")]


def first_wrong_key(got):
    """(key, its text, the text found instead) for the first key of KEYS
    whose text does not follow in `got` (all escaped)."""
    pos = 0
    for key, chars in KEYS:
        want = escape(chars)
        if not got.startswith(want, pos):
            return key, want, got[pos:pos + 16]
        pos += len(want)
    return "dot", "(the end)", got[pos:pos + 16]


@test("keys", emu_note=QMP_KEYS)
def keys(t):
    """Boot `test=keys`; after `boot: interrupts on` and `keys: ready`,
    press (QMP send-key) h e l l o spc shift-w o r l d ret caps_lock a b
    caps_lock c shift-1 2 shift-3 minus equal shift-slash backspace tab up
    down left right kp_enter ctrl-c ctrl_r-u alt-x kp_divide dot.  Expect
    within 5 s the line `keys: "hello World\\x0aABc!2#-=?\\x08\\x09\\x1b[A
    \\x1b[B\\x1b[D\\x1b[C\\x0a\\x03\\x15\\x1bx/"` (no space inside), then
    QEMU status 1.  `boot: no timer interrupts` fails at once."""
    with t.qemu("test=keys") as b:
        interrupts_on(t, b)
        b.expect(r"^keys: ready$", what="`keys: ready`")
        b.send_keys([k for k, _ in KEYS] + ["dot"])
        m = b.expect(r'^(?:keys: "(.*)"|ktest: end keys)$', AFTER_KEYS,
                     'the line `keys: "..."` after the last key (`.` ends '
                     "the test)")
        at = b.line_of(m.start())
        t.check(m[1] is not None, 'no `keys: "..."` line', boot=b, at=at)
        want = escape("".join(c for _, c in KEYS))
        if m[1] != want:
            key, exp, found = first_wrong_key(m[1])
            t.fail(f"the typed text differs from the expected from the key "
                   f'`{key}` on: expected "{exp}", got "{found}"',
                   [f'expected: keys: "{want}"', f'got:      {m[0]}'], b, at)
        b.expect_exit(1)


def render(line):
    """A serial line as a terminal shows it: \\b moves back one column and
    the next character overwrites (the editor erases with "\\b \\b")."""
    cells, col = [], 0
    for c in line:
        if c == "\b":
            col = max(0, col - 1)
            continue
        if col < len(cells):
            cells[col] = c
        else:
            cells.append(c)
        col += 1
    return "".join(cells).rstrip()


def edited_lines(t, b, name, send, want):
    """test=lines: wait for `lines: ready`, send() the input, and compare
    the block's prompt lines (`> ...`, rendered) and `line:` lines, up to
    `ktest: end lines`, with want."""
    interrupts_on(t, b)
    begin(b, "lines")
    b.expect(r"^lines: ready$", what="`lines: ready`")
    first = b.line_of(b.pos)
    send()
    b.expect(r"^ktest: end lines$", AFTER_KEYS, "`ktest: end lines` after "
             "the last line (`end`)")
    block = Lines(b.lines[first:b.line_of(b.pos) - 1], first)
    got, at = [], []
    for i, ln in enumerate(block):
        if ln.startswith(("> ", "line:")):
            got.append(render(ln))
            at.append(block.start + i)
    t.compare(want, got, f"the line editor's lines on serial ({name})", b,
              at)


# test=lines by keyboard: the keys of each line and what the kernel shows.
LINE_KEYS = ["a", "b", "backspace", "c", "ret", "x", "y", "ctrl-u", "z",
             "ret", "q", "ctrl-c", "a", "left", "b", "ret", "e", "n", "d",
             "ret"]
LINES = ["> ac", 'line: "ac"', "> z", 'line: "z"', "> q^C", "line: cancelled",
         "> ab", 'line: "ab"', "> end", 'line: "end"']


@test("lines", emu_note=QMP_KEYS + " and VGA is read back")
def lines(t):
    """Boot `test=lines` (VGA kept for readback); after `boot: interrupts
    on` and `lines: ready`, press a b backspace c ret x y ctrl-u z ret q
    ctrl-c a left b ret e n d ret.  Within 5 s `ktest: end lines` must
    come, and the block's lines starting `> ` (shown as a terminal would:
    \\b steps back) or `line:` must be exactly: `> ac`, `line: "ac"`,
    `> z`, `line: "z"`, `> q^C`, `line: cancelled`, `> ab`, `line: "ab"`,
    `> end`, `line: "end"`.  After power-off, the ten VGA rows above the
    row `ktest: end lines` must read the same."""
    with t.qemu("test=lines", screen=True) as b:
        edited_lines(t, b, "keyboard", lambda: b.send_keys(LINE_KEYS), LINES)
        s = b.screen()
        end = max((r for r, row in enumerate(s.rows)
                   if row == "ktest: end lines"), default=None)
        t.check(end is not None and end >= len(LINES), "the VGA screen has "
                "no row `ktest: end lines` below the edited lines", s.dump())
        t.compare(LINES, s.rows[end - len(LINES):end],
                  "VGA rows above `ktest: end lines`")


@test("serial_input", emus=BOTH)
def serial_input(t):
    """Boot `test=lines`; the boot must say `boot: interrupts on` (serial
    input arrives on IRQ 4, not by polling).  After `lines: ready` write
    `abc\\r`, `x\\x7fy\\r` (DEL erases) and `end\\r` to the serial port.
    Within 5 s `ktest: end lines`; the block's `> ` lines (rendered) and
    `line:` lines must be `> abc`, `line: "abc"`, `> y`, `line: "y"`,
    `> end`, `line: "end"`; QEMU status 1."""
    with t.boot("test=lines") as b:
        edited_lines(t, b, "serial", lambda: b.send("abc\rx\x7fy\rend\r"),
                     ["> abc", 'line: "abc"', "> y", 'line: "y"', "> end",
                      'line: "end"'])
        b.expect_exit(1)


@test("monitor_keys", emu_note=QMP_KEYS)
def monitor_keys(t):
    """Boot with command line `monitor`; after `boot: interrupts on` and
    the prompt `K> `, type `kerninfo` and ret on the keyboard: the output
    must pass lab 1's kerninfo rules (sections as in kernel.elf); then
    type `poweroff` and ret: QEMU status 1."""
    with t.qemu("monitor") as b:
        interrupts_on(t, b)
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        check_kerninfo(t, b, *command(t, b, "kerninfo", keys=True,
                                      timeout=AFTER_KEYS))
        b.send_keys(keys_for("poweroff\r"))
        b.expect_exit(1)
