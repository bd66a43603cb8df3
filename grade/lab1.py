"""Lab 1 grader: boot, VGA, serial, kprintf, backtrace, kernel monitor.

Each test's docstring says exactly which output it matches; grade/README.md
says the same for students.  Serial lines are compared after removing the
\\r of \\r\\n and any ANSI escape sequences.
"""
import os
import re
import shutil

from gradelib import (REPO, Lines, check_backtrace, free_port, keys_for,
                      parse_backtrace, tail, test)

BANNER = "NexaOS 0.1.0 (x86_64)"
KIB = 1024
BOTH = ("qemu", "bochs")       # tests that also run under --emu bochs
VGA_READ = "the grader reads the VGA screen from QEMU's memory"
RANGE = r"0x([0-9a-f]{16})-0x([0-9a-f]{16})"


def starting(block, prefix):
    """The lines of a Lines block that start with prefix, and their line
    indices (for t.compare)."""
    pairs = [(ln, block.start + i) for i, ln in enumerate(block)
             if ln.startswith(prefix)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def boot_lines(t, b, mem=None, loader=None, proto=None, lo=None, hi=None):
    """Match the banner and the four boot: lines, and return those.  Memory
    must lie in [lo, hi] KiB, by default [mem*1024 - 1536, mem*1024]."""
    seen = []

    def line(name, rx, shape):
        m = b.expect(rf"^boot: {name} (.*)$", what=f"the boot: {name} line")
        at = b.line_of(m.start())
        seen.append(m[0])
        f = re.fullmatch(rx, m[1])
        t.check(f, f"the boot: {name} line does not read `boot: {name} "
                f"{shape}`", boot=b, at=at)
        return f, at
    b.expect(rf"^{re.escape(BANNER)}$", what="the banner line")
    m, at = line("loader", r'"([^"]*)" \((multiboot[12])\)',
                 '"NAME" (multiboot1 or 2)')
    if loader:
        t.check(m[1].startswith(loader), f"boot loader is {m[1]!r}, expected "
                f"{loader!r}", boot=b, at=at)
    if proto:
        t.check(m[2] == proto, f"boot protocol is {m[2]}, expected {proto}",
                boot=b, at=at)
    line("cmdline", r'"(.*)"', '"TEXT"')
    m, at = line("memory", r"(\d+) KiB usable in (\d+) regions?",
                 "N KiB usable in N regions")
    kib, regions = int(m[1]), int(m[2])
    lo = mem * KIB - 1536 if lo is None else lo
    hi = mem * KIB if hi is None else hi
    t.check(lo <= kib <= hi, f"{kib} KiB usable, but the machine has "
            f"{hi // KIB} MiB: expected {lo}..{hi} KiB", boot=b, at=at)
    t.check(regions >= 1, f"{regions} usable regions: expected at least 1",
            boot=b, at=at)
    line("video", r"\S.*", "DESCRIPTION")
    return seen


@test("banner", emu_note=VGA_READ)
def banner(t):
    """Boot `test=banner` with -m 64.  Serial: the banner, boot: loader
    "qemu" (multiboot1), boot: cmdline, boot: memory (64000..65536 KiB, at
    least 1 region), boot: video.  Then the VGA text screen is read back from
    QEMU's memory after power-off: row 0 is the banner with attribute 0x0B on
    each of its characters; rows 1-4 are the four boot: lines exactly as on
    serial, attribute 0x07 on each of their characters."""
    with t.qemu("test=banner", mem=64, screen=True) as b:
        boot = boot_lines(t, b, mem=64, loader="qemu", proto="multiboot1")
        s = b.screen()
        rows = "VGA screen rows 0-4 (after power-off)"
        t.compare([BANNER] + boot, s.rows[:5], rows)
        for r, attr in [(0, 0x0B)] + [(r, 0x07) for r in range(1, 5)]:
            got = s.attrs(r, 0, len(s.rows[r]))
            t.check(got == {attr}, f"VGA row {r} has attributes "
                    f"{sorted(map(hex, got))}, expected {attr:#04x}",
                    s.dump())


def printf_cases():
    """The expected lines of the printf self-test, in order: Python's %
    with the C length modifiers removed, NULL and %p done by hand."""
    cases = [("%d", 0), ("%d", 42), ("%d", -42), ("%i", 2147483647),
             ("%d", -2147483648), ("%u", 4294967295), ("%x", 0xdeadbeef),
             ("%X", 0xdeadbeef), ("%5d", 42), ("%-5d|", 42), ("%05d", -42),
             ("%s", "hello"), ("%10s|", "right"), ("%-10s|", "left"),
             ("%s", None), ("%c%c%c", ("a", "b", "c")), ("100%%", ()),
             ("%ld", -9223372036854775808), ("%lu", 18446744073709551615),
             ("%llx", 0x123456789abcdef0), ("%zu", 12345),
             ("%lx", 0xffffffff80000000), ("%p", 0xffffffff80100000),
             ("%p", None), ("%08x", 0xbeef), ("%.3s", "abcdef"),
             ("%#x", 255), ("%+d", 5), ("% d", 5), ("%-6x|", 0xab),
             ("%3c|", "z")]
    out = []
    for fmt, args in cases:
        if fmt == "%p":
            want = "(nil)" if args is None else "%#x" % args
        elif args is None:
            want = "(null)"
        else:
            want = re.sub(r"(ll|l|z)([dux])", r"\2", fmt) % args
        out.append(f'printf: "{want}"')
    return out


@test("printf", emus=BOTH)
def printf(t):
    """Boot `test=printf`.  Between `ktest: begin printf` and `ktest: end
    printf`, the lines starting with `printf: ` must be exactly the 31
    expected lines `printf: "RESULT"` in order (see README for the list);
    a diff shows any difference."""
    with t.boot("test=printf") as b:
        got, at = starting(b.ktest("printf"), "printf: ")
        t.compare(printf_cases(), got, "printf lines", b, at)


@test("scroll", emu_note=VGA_READ)
def scroll(t):
    """Boot `test=scroll`; read the VGA screen after power-off.  The kernel
    cleared the screen and printed `scroll 01`..`scroll 40` (line NN in
    attribute NN % 15 + 1) and then `ktest: end scroll` and `nexaos: power
    off`.  Expected: rows 0-21 hold `scroll 19`..`scroll 40`, each text
    character in its line's attribute; rows 22-23 the two end lines; row 24
    blank (spaces)."""
    with t.qemu("test=scroll", screen=True) as b:
        s = b.screen()
        want = [f"scroll {n:02}" for n in range(19, 41)] + \
            ["ktest: end scroll", "nexaos: power off", ""]
        t.compare(want, s.rows, "VGA screen rows 0-24")
        for r in range(22):
            a = (19 + r) % 15 + 1
            got = s.attrs(r, 0, 9)
            t.check(got == {a}, f"VGA row {r} ({s.rows[r]!r}) has attributes"
                    f" {sorted(map(hex, got))}, expected {a:#04x}", s.dump())
        t.check(set(s.data[24 * 160::2]) <= {0x20},
                "VGA row 24 is not blank: it must be filled with spaces",
                s.dump())


@test("cursor", emu_note=VGA_READ)
def cursor(t):
    """Boot `test=cursor`.  The kernel clears the screen, writes
    "abc\\nde\\tf\\bg" to VGA and prints the hardware cursor position (read
    from the CRTC) as `cursor: row R col C` on serial.  Expected: `cursor:
    row 1 col 9`; VGA row 0 `abc`, row 1 `de      g` (tab stops every 8
    columns; \\b moves back one column and g overwrites f)."""
    with t.qemu("test=cursor", screen=True) as b:
        got, at = starting(b.ktest("cursor"), "cursor:")
        t.compare(["cursor: row 1 col 9"], got, "cursor lines", b, at)
        s = b.screen()
        t.compare(["abc", "de      g"], s.rows[:2], "VGA screen rows 0-1")


def check_memmap(t, b, block, mem, p="memmap: "):
    """The memmap rules shared by memmap_* and monitor (see README); p is
    the regex of the line prefix."""
    regions, kernel, total = [], None, None
    for i, ln in enumerate(block):
        at = block.start + i
        if m := re.fullmatch(rf"{p}{RANGE} (\S+)", ln):
            s, e = int(m[1], 16), int(m[2], 16)
            t.check(m[3] in ("usable", "reserved", "acpi", "nvs", "bad"),
                    f"unknown region type {m[3]!r}", boot=b, at=at)
            t.check(s <= e, f"region starts after its end: {ln}", boot=b,
                    at=at)
            t.check(not regions or s > regions[-1][1], "regions are not "
                    "sorted and non-overlapping", boot=b, at=at)
            regions.append((s, e, m[3]))
        elif m := re.fullmatch(rf"{p}kernel {RANGE}", ln):
            kernel = (int(m[1], 16), int(m[2], 16), at)
        elif m := re.fullmatch(rf"{p}total usable (\d+) KiB", ln):
            total = (int(m[1]), at)
        else:
            t.check(re.fullmatch(rf"{p}[a-z_]+ {RANGE}", ln), "unexpected "
                    f"line in the memory map: {ln!r}", boot=b, at=at)
    at = block.start + len(block)
    t.check(regions, "no `memmap: 0x...-0x... TYPE` lines", boot=b, at=at)
    t.check(kernel, "no `memmap: kernel 0x...-0x...` line", boot=b, at=at)
    t.check(total, "no `memmap: total usable N KiB` line", boot=b, at=at)
    usable = [(s, e) for s, e, k in regions if k == "usable"]
    t.check(usable, "no usable region", boot=b, at=block.start)
    size = sum(e - s + 1 for s, e in usable)
    sums = {size // KIB, sum((e - s + 1) // KIB for s, e in usable)}
    t.check(total[0] in sums, f"total usable {total[0]} KiB is not the sum "
            f"of the usable regions ({size // KIB} KiB)", boot=b, at=total[1])
    lo, hi = mem * KIB - 1536, mem * KIB
    t.check(lo <= total[0] <= hi, f"total usable {total[0]} KiB, but the "
            f"machine has {mem} MiB: expected {lo}..{hi} KiB", boot=b,
            at=total[1])
    t.check(any(s <= 0x100000 for s, e in usable), "no usable region starts "
            "at or below 0x100000", boot=b, at=block.start)
    top = max(e for s, e in usable) + 1
    t.check((mem - 1) << 20 <= top <= mem << 20, f"highest usable end "
            f"{top - 1:#x} is not within 1 MiB below {mem} MiB", boot=b,
            at=block.start)
    ks, ke, kat = kernel
    end = t.elf.kernel_end()
    t.check(ks == 0x100000, f"kernel starts at {ks:#x}, expected 0x100000",
            boot=b, at=kat)
    t.check(end <= ke <= end | 0xfff, f"kernel ends at {ke:#x}: kernel.elf's "
            f"highest PT_LOAD ends at {end:#x} (accepted: {end:#x}.."
            f"{end | 0xfff:#x})", boot=b, at=kat)


def memmap_test(t, mem):
    with t.boot("test=memmap", mem=mem) as b:
        check_memmap(t, b, b.ktest("memmap"), mem)


@test("memmap_48", emus=BOTH)
def memmap_48(t):
    """Boot `test=memmap` with -m 48 and check the memory map (README)."""
    memmap_test(t, 48)


@test("memmap_256", emus=BOTH)
def memmap_256(t):
    """Boot `test=memmap` with -m 256 and check the memory map (README)."""
    memmap_test(t, 256)


@test("cmdline", emus=BOTH)
def cmdline(t):
    """Boot with the command line `test=cmdline alpha beta=gamma "quoted
    arg"`.  The lines starting with `cmdline: ` between the ktest lines must
    be `argc=4` and `argv[0]="test=cmdline"`, `argv[1]="alpha"`,
    `argv[2]="beta=gamma"`, `argv[3]="quoted arg"`."""
    with t.boot('test=cmdline alpha beta=gamma "quoted arg"') as b:
        block = b.ktest("cmdline")
        args = ["test=cmdline", "alpha", "beta=gamma", "quoted arg"]
        want = ["cmdline: argc=4"] + [f'cmdline: argv[{i}]="{a}"'
                                      for i, a in enumerate(args)]
        got, at = starting(block, "cmdline: ")
        t.compare(want, got, "cmdline lines", b, at)


@test("backtrace", emus=BOTH)
def backtrace(t):
    """Boot `test=backtrace`.  Between the ktest lines: `Stack backtrace:`
    then frames #0.. naming backtrace_test_leaf, backtrace_test_middle,
    backtrace_test_outer, ktest_backtrace, ktest_run, run_test,
    boot_actions_run, kmain; every frame checked against kernel.elf's
    symbol table (README)."""
    with t.boot("test=backtrace") as b:
        block = b.ktest("backtrace")
        check_backtrace(t, parse_backtrace(block, block.start),
                        ["backtrace_test_leaf", "backtrace_test_middle",
                         "backtrace_test_outer", "ktest_backtrace",
                         "ktest_run", "run_test", "boot_actions_run", "kmain"], b)


REGS = ["RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP", "R8", "R9",
        "R10", "R11", "R12", "R13", "R14", "R15", "RIP", "RFLAGS", "CR0",
        "CR2", "CR3", "CR4"]


@test("panic", emus=BOTH)
def panic(t):
    """Boot `test=panic`: expect `KERNEL PANIC in panic_test_inner (FILE:
    LINE): deliberate panic 42`, then all of RAX..R15, RIP, RSP, RBP,
    RFLAGS, CR0, CR2, CR3, CR4 as NAME=0x<16 hex digits>, `Stack
    backtrace:` with frames panic_test_inner, panic_test_outer, ktest_panic
    (checked against kernel.elf), `System halted.`, QEMU exit status 5."""
    with t.boot("test=panic", expect_panic=True) as b:
        m = b.expect(r"^KERNEL PANIC in (\S+) \(([^)]*)\): (.*)$",
                     what="a KERNEL PANIC line")
        at = b.line_of(m.start())
        t.check((m[1], m[3]) == ("panic_test_inner", "deliberate panic 42"),
                "expected `KERNEL PANIC in panic_test_inner (...): deliberate"
                f" panic 42`, got {m[0]!r}", boot=b, at=at)
        t.check(re.fullmatch(r"\S+\.c:\d+", m[2]), f"expected FILE.c:LINE in "
                f"the parentheses, got {m[2]!r}", boot=b, at=at)
        b.expect(r"^System halted\.$", what="`System halted.`")
        report = b.lines[at:b.line_of(b.pos)]
        text = "\n".join(report)
        missing = [r for r in REGS
                   if not re.search(rf"(?<![0-9A-Z]){r}=0x[0-9a-f]{{16}}\b",
                                    text)]
        t.check(not missing, "registers missing from the panic report (as "
                f"NAME=0x<16 hex digits>): {' '.join(missing)}", boot=b,
                at=at + 1)
        check_backtrace(t, parse_backtrace(report, at),
                        ["panic_test_inner", "panic_test_outer",
                         "ktest_panic"], b, "panic backtrace")
        b.expect_exit(5)


def command(t, b, cmd, keys=False, timeout=None):
    """Send a monitor command (on serial, or typed on the PS/2 keyboard with
    keys=True); return the lines it printed before the next `K> ` prompt
    (the echo of the command removed), waiting at most timeout seconds."""
    if keys:
        b.send_keys(keys_for(cmd + "\r"))
    else:
        b.send(cmd + "\r")
    first = b.line_of(b.pos)
    b.expect(r"K> ", timeout, what=f"the prompt after `{cmd}`", partial=True)
    lines = b.lines[first:b.line_of(b.pos)]
    echo = lines and lines[0].strip() in (cmd, "K> " + cmd)
    return type(lines)(lines[1:] if echo else lines), first + bool(echo)


def check_kerninfo(t, b, out, at):
    """The output of the monitor's kerninfo (lines `out`, the first at line
    `at`): each of .text .rodata .data .bss as in kernel.elf (README)."""
    for sec in [".text", ".rodata", ".data", ".bss"]:
        m = [re.fullmatch(rf"\s*{re.escape(sec)}\s+{RANGE}\s+(\d+) KiB",
                          ln) for ln in out]
        m = [x for x in m if x]
        t.check(m, f"kerninfo has no line `  {sec}  0x...-0x... N KiB`",
                out, b, at)
        t.check(sec in t.elf.sections, f"kernel.elf has no {sec}")
        addr, size = t.elf.sections[sec]
        want = (addr, addr + size)
        got = (int(m[0][1], 16), int(m[0][2], 16))
        t.check(got == want, f"kerninfo {sec} is {got[0]:#x}-{got[1]:#x},"
                f" kernel.elf says {want[0]:#x}-{want[1]:#x}", boot=b, at=at)
        kib = int(m[0][3])
        t.check(kib in (size // KIB, -(-size // KIB)), f"kerninfo {sec}"
                f" is {kib} KiB, but its size is {size} bytes", boot=b, at=at)


@test("monitor", emus=BOTH)
def monitor(t):
    """Boot with command line `monitor` (no test).  Wait for the prompt
    `K> `, then type: `help` (a line `NAME - ...` for each of help, kerninfo,
    backtrace, memmap, poweroff); `kerninfo` (`.text`, `.rodata`, `.data`,
    `.bss` lines whose start and end equal kernel.elf's section headers);
    `memmap` (the memmap rules); `backtrace` (frames mon_backtrace,
    monitor_run, kmain, checked against kernel.elf); `bogus` (`Unknown
    command 'bogus'`); `poweroff` (QEMU exits with status 1; Bochs powers
    off)."""
    with t.boot("monitor", mem=64) as b:
        b.expect(r"^Welcome to the NexaOS kernel monitor\.$",
                 what="the monitor's welcome line")
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        out, at = command(t, b, "help")
        for c in ["help", "kerninfo", "backtrace", "memmap", "poweroff"]:
            t.check(any(re.match(rf"{c} - \S", ln) for ln in out),
                    f"help does not list `{c} - ...`", out, b, at)
        check_kerninfo(t, b, *command(t, b, "kerninfo"))
        out, at = command(t, b, "memmap")
        check_memmap(t, b, Lines(out, at), 64, "(?:memmap: )?")
        out, at = command(t, b, "backtrace")
        check_backtrace(t, parse_backtrace(out, at),
                        ["mon_backtrace", "monitor_run", "kmain"], b,
                        "monitor backtrace")
        out, at = command(t, b, "bogus")
        t.check("Unknown command 'bogus'" in out, "`bogus` did not print "
                "`Unknown command 'bogus'`", out, b, at)
        b.send("poweroff\r")
        b.expect_exit(1)


@test("grub", emus=BOTH)
def grub(t):
    """Boot an ISO like nexaos.iso (GRUB, BIOS) with -m 64 and no command
    line: the banner, `boot: loader "GRUB...` (multiboot2), memory
    64000..65536 KiB, the prompt `K> `; then `poweroff` must exit QEMU with
    status 1 (under --emu bochs: power Bochs off)."""
    with t.boot_iso(mem=64, cmdline="") as b:
        boot_lines(t, b, mem=64, loader="GRUB", proto="multiboot2")
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        b.send("poweroff\r")
        b.expect_exit(1)


@test("uefi", parent="grub",
      emu_note="it boots QEMU with OVMF, the UEFI firmware")
def uefi(t):
    """Boot an ISO like nexaos.iso under UEFI (OVMF) with -m 128 and no
    command line: `boot: loader "GRUB...` (multiboot2), memory
    102400..131072 KiB (UEFI reserves more), a `boot: video` line, the
    prompt `K> `; `poweroff` exits with status 1."""
    with t.qemu("", mem=128, iso=True, uefi=True) as b:
        boot_lines(t, b, loader="GRUB", proto="multiboot2", lo=100 * KIB,
                   hi=128 * KIB)
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        b.send("poweroff\r")
        b.expect_exit(1)


@test("bochs", parent="grub", emus=BOTH)
def bochs(t):
    """Boot an ISO like nexaos.iso under Bochs (megs: 64), no command line:
    the banner, `boot: loader "GRUB...` (multiboot2), memory 64000..65536
    KiB, the prompt `K> `; then `poweroff` (typed on COM1) must power
    Bochs off."""
    with t.bochs("", mem=64) as b:
        boot_lines(t, b, mem=64, loader="GRUB", proto="multiboot2")
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        b.send("poweroff\r")
        b.expect_exit(1)


@test("gdb",
      emu_note="gdb attaches to QEMU's gdb stub (Bochs has none)")
def gdb(t):
    """Start QEMU halted (-S -gdb) with `test=scroll`; run gdb in batch mode
    with the repo's .gdbinit: `hbreak vga_scroll`, `continue`, `bt`, `kill`.
    gdb's backtrace must show frame #0 in vga_scroll and, further up,
    vga_putc and then kmain."""
    gdbinit = REPO / ".gdbinit"
    t.check(gdbinit.is_file(), f"{gdbinit} does not exist")
    t.check(shutil.which("gdb"), "gdb not found: install Debian's gdb")
    port = free_port()
    with t.qemu("test=scroll", gdb_port=port):
        env = os.environ | {"NEXAOS_GDB_PORT": str(port),
                            "NEXAOS_KERNEL": str(t.build / "kernel.elf")}
        _, out = t.run(["gdb", "-nx", "-batch", "-x", gdbinit,
                        "-ex", "set breakpoint pending off",
                        "-ex", "hbreak vga_scroll", "-ex", "continue",
                        "-ex", "bt", "-ex", "kill"], env=env, log="gdb")
    names = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(", out, re.M)
    errs = [ln.strip() for ln in out.split("\n") if re.search(
        r"not defined|No symbol|[Ee]rror|refused|annot access", ln)]
    why = f" (gdb: {errs[0]})" if errs else ""
    shown = tail(out, 25)
    t.check(names[:1] == ["vga_scroll"], "gdb's backtrace does not start in "
            f"vga_scroll{why}", shown)
    up = names[1:]
    t.check("vga_putc" in up and "kmain" in up[up.index("vga_putc"):],
            "gdb's backtrace from vga_scroll does not pass through vga_putc "
            f"and then kmain: {' <- '.join(names)}", shown)
