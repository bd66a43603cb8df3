"""Lab 3 grader: physical frames, page tables, the kernel heap, guard pages.

Each test's docstring says exactly which output it matches; grade/README.md
says the same for students.  Addresses and sections are checked against
kernel.elf wherever the kernel's own report could be wrong.
"""
import re

from gradelib import shape, test

from lab1 import RANGE, command, starting

PAGE = 4096
KIB = 1024
TEST_VA = 0xFFFFFE0000000000
BOTH = ("qemu", "bochs")       # every lab-3 test also runs under --emu bochs
EXC = (r"^EXCEPTION (\d+) (\S+) \(([^)]*)\) error 0x([0-9a-f]+) "
       r"at rip 0x([0-9a-f]{16}) (\S+)\+0x([0-9a-f]+)$")


def find(t, b, block, rx):
    """The first line of block that matches regex rx whole; fails the test,
    quoting the expected line, when none does."""
    for ln in block:
        if m := re.fullmatch(rx, ln):
            return m
    t.fail(f"no line `{shape(rx)}` in the self-test's output", block, b,
           block.start)


def ranges(lines, prefix):
    """(usable regions, reservations) of memmap-style lines."""
    usable, reserved = [], []
    for ln in lines:
        if m := re.fullmatch(rf"{prefix}{RANGE} usable", ln):
            usable.append((int(m[1], 16), int(m[2], 16) + 1))
        elif m := re.fullmatch(rf"{prefix}[a-z]+ {RANGE}", ln):
            reserved.append((int(m[1], 16), int(m[2], 16) + 1))
    return usable, reserved


def expected_frames(usable, reserved):
    """Frames of the usable regions above 1 MiB that no reservation touches."""
    n = 0
    for s, e in usable:
        for f in range(max(s, 0x100000) // PAGE, e // PAGE):
            a = f * PAGE
            n += not any(rs < a + PAGE and a < re_ for rs, re_ in reserved)
    return n


def pmm_test(t, mem):
    with t.boot("test=pmm", mem=mem) as b:
        block = b.ktest("pmm")
        usable, reserved = ranges(block, "pmm: ")
        t.check(usable, "no `pmm: 0x...-0x... usable` lines", block, b)
        want = expected_frames(usable, reserved)
        m = find(t, b, block, r"pmm: managed (\d+) frames \((\d+) KiB\), free (\d+) frames")
        managed, free = int(m[1]), int(m[3])
        t.check(managed == want, f"{managed} frames managed; the usable map above "
                f"1 MiB minus the reservations printed has {want}", block, b)
        t.check((mem - 2) * 256 <= managed <= mem * 256, f"{managed} frames "
                f"managed with {mem} MiB of RAM", block, b)
        t.check(managed - 64 <= free <= managed, f"{free} frames free of "
                f"{managed} right after boot", block, b)
        sizes = []
        for o in range(4):
            a = int(find(t, b, block, rf"pmm: alloc order {o}: 0x([0-9a-f]+)")[1], 16)
            t.check(a and a % (PAGE << o) == 0, f"order-{o} block at {a:#x}: "
                    f"expected a nonzero address aligned to {PAGE << o:#x}", block, b)
            sizes.append((a, a + (PAGE << o)))
        t.check(all(e1 <= s2 or e2 <= s1 for i, (s1, e1) in enumerate(sizes)
                    for s2, e2 in sizes[i + 1:]), "the four blocks overlap", block, b)
        after = int(find(t, b, block, r"pmm: free after allocating: (\d+)")[1])
        back = int(find(t, b, block, r"pmm: free after freeing: (\d+)")[1])
        t.check(after == free - 15, f"free frames went {free} -> {after} after "
                "allocating 1+2+4+8 frames", block, b)
        t.check(back == free, f"free frames {back} after freeing, {free} before",
                block, b)


@test("pmm_32", emus=BOTH)
def pmm_32(t):
    """Boot `test=pmm` with -m 32.  The frames managed must equal the usable
    frames above 1 MiB of the printed map minus the printed reservations
    (kernel, boot information, frame table), lie within 2 MiB of -m, and be
    nearly all free; blocks of order 0-3 come back aligned, disjoint, and
    the free count drops by 15 frames and returns."""
    pmm_test(t, 32)


@test("pmm_128", emus=BOTH)
def pmm_128(t):
    """`test=pmm` as pmm_32, with -m 128."""
    pmm_test(t, 128)


@test("pmm_512", emus=BOTH)
def pmm_512(t):
    """`test=pmm` as pmm_32, with -m 512."""
    pmm_test(t, 512)


@test("pmm_all", emus=BOTH)
def pmm_all(t):
    """Boot `test=pmm_all` (-m 128): every free frame is allocated one by one
    and stamped with its own address; expected `allocated N frames, N were
    free`, `0 frames with a foreign pattern`, and after freeing all of them
    the free count and the number of top-order (4 MiB) blocks as before."""
    with t.boot("test=pmm_all", mem=128) as b:
        block = b.ktest("pmm_all")
        m = find(t, b, block, r"pmm_all: allocated (\d+) frames, (\d+) were free")
        t.check(m[1] == m[2] and int(m[1]) > 30000, f"allocated {m[1]} frames "
                f"of {m[2]} free", block, b)
        m = find(t, b, block, r"pmm_all: (\d+) frames with a foreign pattern")
        t.check(m[1] == "0", f"{m[1]} frames were handed out twice", block, b)
        m = find(t, b, block, r"pmm_all: after freeing: free (\d+) \(was (\d+)\), "
                      r"order-10 blocks (\d+) \(was (\d+)\)")
        t.check(m[1] == m[2], f"{m[1]} frames free after freeing, {m[2]} before",
                block, b)
        t.check(m[3] == m[4], f"{m[3]} free 4 MiB blocks after freeing, {m[4]} "
                "before: the buddies did not all merge back", block, b)


@test("pmm_double_free", emus=BOTH)
def pmm_double_free(t):
    """Boot `test=pmm_double_free`: after `allocated frame 0x...` (nonzero) and
    `freeing frame 0x... again`, expect the panic `pmm: double free or bad
    free of frame 0x...` naming that same frame."""
    with t.boot("test=pmm_double_free", expect_panic=True) as b:
        a = b.expect(r"^pmm_double_free: allocated frame 0x([0-9a-f]+)$")[1]
        t.check(int(a, 16) != 0, "pmm_alloc_frame returned 0", boot=b)
        b.expect(rf"^pmm_double_free: freeing frame 0x{a} again$")
        b.expect(rf"^KERNEL PANIC in \S+ \(.*\): pmm: double free or bad free "
                 rf"of frame 0x{a} ", what="the double-free panic naming the frame")


@test("vmm", emus=BOTH)
def vmm(t):
    """Boot `test=vmm`.  The `vmm: ` lines must be exactly: map 0; map again
    -17 (EEXIST); translate ok 1, direct map sees 0x1234; pte present 1
    writable 1 nx 1; protect 0; pte writable 0; unmap returns the frame 1;
    translate after unmap -1; protect unmapped -2 (ENOENT)."""
    with t.boot("test=vmm") as b:
        got, at = starting(b.ktest("vmm"), "vmm: ")
        t.compare(["vmm: map 0", "vmm: map again -17",
                   "vmm: translate ok 1, direct map sees 0x1234",
                   "vmm: pte present 1 writable 1 nx 1", "vmm: protect 0",
                   "vmm: pte writable 0", "vmm: unmap returns the frame 1",
                   "vmm: translate after unmap -1", "vmm: protect unmapped -2"],
                  got, "vmm lines", b, at)


# What it means when a fault test's access did not fault at all.
SURVIVED = {
    "write_rodata": "the write into .rodata did not fault: the kernel maps "
                    ".rodata writable (W^X: map it read-only)",
    "exec_data": "the call into .data returned: the kernel maps .data "
                 "executable (set NX on it)",
    "unmapped": f"the read of {TEST_VA:#x} after unmapping it succeeded: "
                "the entry is still present, or the TLB still holds the old "
                "translation (a stale TLB entry: vmm_unmap_page must clear "
                "the entry, then invlpg the address)",
    "null": "the read of address 0 did not fault: low memory is still "
            "mapped (the boot's identity map must go)",
}


def fault(t, name, error, cr2=None, section=None, before=None):
    """Boot test=NAME expecting a page fault with this error code in
    ktest_NAME (at cr2, in section), after a line matching before."""
    with t.boot(f"test={name}", expect_panic=True) as b:
        if before:
            b.expect(before)
        m = b.expect(f"{EXC}|^ktest: end {name}$", what="an EXCEPTION line")
        at = b.line_of(m.start())
        t.check(m[1], SURVIVED[name], boot=b, at=at)
        t.check((m[1], m[2]) == ("14", "#PF"), f"expected a page fault (14 #PF), "
                f"got {m[1]} {m[2]}", boot=b, at=at)
        t.check(int(m[4], 16) == error, f"error code 0x{m[4]}, expected "
                f"{error:#x}", boot=b, at=at)
        c = b.expect(r"CR2=0x([0-9a-f]{16})", what="CR2= in the registers")
        addr = int(c[1], 16)
        if cr2 is not None:
            t.check(addr == cr2, f"CR2 {addr:#x}, expected {cr2:#x}", boot=b, at=at)
        rip = int(m[5], 16)
        if section:
            s, size = t.elf.sections[section]
            t.check(s <= addr < s + size, f"CR2 {addr:#x} is not in {section} "
                    f"({s:#x}-{s + size:#x}) of kernel.elf", boot=b, at=at)
        if name != "exec_data":
            f = t.elf.func_at(rip)
            t.check(f and f.name == f"ktest_{name}", f"rip {rip:#x} is in "
                    f"{f and f.name}, not in ktest_{name}", boot=b, at=at)
        else:
            t.check(rip == addr, f"rip {rip:#x} should be the fetched address "
                    f"{addr:#x}", boot=b, at=at)
        b.expect(r"^KERNEL PANIC", what="the panic after the fault")


@test("write_rodata", emus=BOTH)
def write_rodata(t):
    """`test=write_rodata`: a write to a string in .rodata must fault: #PF
    error 0x3 (present, write), CR2 inside kernel.elf's .rodata, rip in
    ktest_write_rodata."""
    fault(t, "write_rodata", 0x3, section=".rodata")


@test("exec_data", emus=BOTH)
def exec_data(t):
    """`test=exec_data`: a call into .data must fault: #PF error 0x11
    (present, instruction fetch), CR2 = rip inside kernel.elf's .data."""
    fault(t, "exec_data", 0x11, section=".data")


@test("unmapped", emus=BOTH)
def unmapped(t):
    """`test=unmapped`: `unmapped: map 0`, then a read of 0xfffffe0000000000
    after unmapping it: #PF error 0x0 (read, not present), CR2 that address,
    rip in ktest_unmapped."""
    fault(t, "unmapped", 0x0, cr2=TEST_VA, before=r"^unmapped: map 0$")


@test("null", emus=BOTH)
def null(t):
    """`test=null`: reading address 0 must fault (no identity map): #PF error
    0x0, CR2 0, rip in ktest_null."""
    fault(t, "null", 0x0, cr2=0)


@test("heap", emus=BOTH)
def heap(t):
    """Boot `test=heap` (30000 random kmalloc/kfree of 1..20000 bytes with
    patterns): `heap: aligned 1 1`, `heap: 30000 rounds, peak N bytes, 0
    corrupted bytes`, `heap: in use before X, after X` (the same X),
    `heap: free frames before F, after G (C size classes)` with G at
    least F - C (empty slabs go back to the frame allocator; one per class
    may stay), and no `ktest: heap leak` line."""
    with t.boot("test=heap", mem=64) as b:
        block = b.ktest("heap")
        bad = [ln for ln in block if re.match(r"heap: kmalloc\(\d+\) gave", ln)]
        t.check(not bad, f"kmalloc failed: {bad[0] if bad else ''}", block, b)
        t.check("heap: aligned 1 1" in block, "kmalloc_aligned did not align",
                block, b)
        m = find(t, b, block, r"heap: 30000 rounds, peak (\d+) bytes, (\d+) corrupted bytes")
        t.check(m[2] == "0", f"{m[2]} bytes of the patterns were corrupted", block, b)
        m = find(t, b, block, r"heap: in use before (\d+), after (\d+)")
        t.check(m[1] == m[2], f"heap use {m[2]} after the test, {m[1]} before",
                block, b)
        m = find(t, b, block, r"heap: free frames before (\d+), after (\d+) \((\d+) "
                 r"size classes\)")
        before, after, classes = int(m[1]), int(m[2]), int(m[3])
        t.check(after >= before - classes, f"{before - after} frames fewer free "
                f"after the test than before: the heap keeps slabs it no longer "
                f"needs (at most {classes}, one per size class, may stay)", block, b)
        t.check(not any(ln.startswith("ktest: heap leak") for ln in b.lines),
                "the self-test leaked heap memory", block, b)


@test("heap_debug", emus=BOTH)
def heap_debug(t):
    """With `kmalloc=debug`: `test=heap_overflow` must panic with `...
    24-byte object overflowed into its red zone`, and
    `test=heap_use_after_free` with `... was written after it was freed`."""
    with t.boot("test=heap_overflow kmalloc=debug", expect_panic=True) as b:
        b.expect(r"^KERNEL PANIC in \S+ \(.*\): kfree: 0x[0-9a-f]+: 24-byte "
                 r"object overflowed into its red zone$", what="the red-zone panic")
    with t.boot("test=heap_use_after_free kmalloc=debug", expect_panic=True) as b:
        b.expect(r"^KERNEL PANIC in \S+ \(.*\): kmalloc: 0x[0-9a-f]+ was "
                 r"written after it was freed", what="the use-after-free panic")


@test("stack_overflow", emus=BOTH)
def stack_overflow(t):
    """`test=stack_overflow`: recursion on a guarded 8 KiB kernel stack must
    end in `EXCEPTION 8 #DF (double fault)` with `kernel stack overflow: hit
    the guard page below the stack at 0x...` naming the stack bottom the
    test printed (its top minus 8 KiB), then a panic."""
    with t.boot("test=stack_overflow", expect_panic=True) as b:
        top = int(b.expect(r"^stack_overflow: recursing on an 8 KiB stack below "
                           r"0x([0-9a-f]+)$")[1], 16)
        m = b.expect(EXC, what="an EXCEPTION line")
        t.check(m[1] == "8", f"expected a double fault (8 #DF), got {m[1]} {m[2]}",
                boot=b, at=b.line_of(m.start()))
        g = b.expect(r"kernel stack overflow: hit the guard page below the stack "
                     r"at 0x([0-9a-f]{16})", what="the guard-page report")
        t.check(int(g[1], 16) == top - 2 * PAGE, f"guard report names "
                f"{int(g[1], 16):#x}, the stack's bottom is {top - 2 * PAGE:#x}",
                boot=b)
        b.expect(r"^KERNEL PANIC", what="the panic")


def walk(t, b, va):
    """The monitor's translate VA: (flags of the last level, physical)."""
    out, at = command(t, b, f"translate {va:x}")
    levels = [ln for ln in out if re.match(r"\s*(PML4|PDPT|PD|PT)\s*\[", ln)]
    phys = [ln for ln in out if "-> physical" in ln]
    if not phys:
        return levels[-1] if levels else "", None
    return levels[-1], int(phys[0].split("0x")[1], 16)


@test("wx", emus=BOTH)
def wx(t):
    """Boot the monitor with -m 32 and `translate` addresses taken from
    kernel.elf: .text must be `R X` (not writable, executable) and map to
    its load address; .rodata `R NX`; .data and .bss `W NX`; the direct-map
    alias of the first .text page (0xffff800000000000 + its physical
    address) and address 0 must be `not present`.  Also `free` reports
    free frames (a 32 MiB machine boots)."""
    with t.boot("monitor", mem=32) as b:
        b.expect(r"K> ", what="the prompt `K> `", partial=True)
        out, at = command(t, b, "free")
        t.check(any(re.match(r"frames: \d+ free of \d+", ln) for ln in out),
                "`free` prints no `frames: N free of M` line", out, b, at)
        kvma = 0xFFFFFFFF80000000
        for sec, want in [(".text", r"\bR X\b"), (".rodata", r"\bR NX\b"),
                          (".data", r"\bW NX\b"), (".bss", r"\bW NX\b")]:
            va = t.elf.sections[sec][0]
            last, pa = walk(t, b, va)
            t.check(re.search(want, last), f"{sec} at {va:#x}: the page-table "
                    f"entry reads {last.strip()!r}, expected {want[2:-2]!r}", boot=b)
            t.check(pa == va - kvma, f"{sec} at {va:#x} translates to "
                    f"{pa if pa is None else hex(pa)}, expected {va - kvma:#x}", boot=b)
        text = t.elf.sections[".text"][0]
        for va in (0xFFFF800000000000 + text - kvma, 0):
            last, pa = walk(t, b, va)
            t.check(pa is None and "not present" in last, f"{va:#x} is mapped "
                    f"({last.strip()!r}): expected not present", boot=b)
        b.send("poweroff\r")
        b.expect_exit(1)
