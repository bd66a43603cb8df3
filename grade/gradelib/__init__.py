"""gradelib: what every NexaOS lab grader (grade/labN.py) is built from.

A grader is a list of tests, each a function decorated with @test:

    @test("printf", points=5)
    def printf(t):
        with t.boot("test=printf") as b:        # boot; b reads its serial
            block = b.ktest("printf")           # lines between ktest: begin/end
            t.compare(expected_lines, block, "printf lines", b)

A test passes when its function returns and fails when it raises TestFail
(t.fail, t.check, t.compare, or any Boot method that gives up).  Points and
time limits come from grade/rubric.json; the numbers in @test are defaults.

A Boot (QemuBoot, BochsBoot) is one run of an emulator.  Serial output is read
as it arrives; b.expect(regex) waits for the next complete line that matches.
A kernel panic, a triple fault or the emulator stopping ends every wait at
once with that as the reason, never as a timeout.  The grader owns its
processes: each runs in its own process group and every exit path (return,
exception, timeout, Ctrl-C, SIGTERM) kills it.

The modules:

    core.py      the test registry (@test, TESTS), TestFail, Lines, diff,
                 the processes the grader owns (spawn, kill, kill_all)
    testcase.py  T, the running test: boots, checks, logs, host programs
    boot.py      Boot, the serial output of one run and its waits
    qemu.py      QemuBoot and its QMP client (keys, screen, power-off)
    bochs.py     BochsBoot
    iso.py       make_iso, the ISOs the grader makes for a command line
    cpio.py      cpio newc archives, for tests that bring their own initramfs
    screen.py    Screen, the VGA text screen read back
    stubs.py     earlier labs' stubs, recognised in a failed test's output
    elf.py       Elf (kernel.elf's symbols and sections), backtrace checks
"""
from .bochs import BOCHSRC, BXSHARE, BochsBoot
from .iso import GRUB_CFG, make_iso
from .boot import ANSI_RX, MAX_SERIAL, PANIC_RX, Boot, clean
from .core import (REPO, TESTS, Lines, TestDef, TestFail, diff, free_port,
                   kill, kill_all, mktemp, need_file, shape, spawn, tail,
                   test)
from .elf import (FRAME_RX, Elf, Frame, Sym, check_backtrace,
                  parse_backtrace)
from .qemu import OVMF, QEMU_EXITS, QMP, QemuBoot, keys_for
from .screen import VGA_SIZE, VGA_TEXT, Screen
from .stubs import STUBS, earlier_stubs
from .testcase import T

__all__ = [
    "BOCHSRC", "BXSHARE", "GRUB_CFG", "BochsBoot", "make_iso",
    "ANSI_RX", "MAX_SERIAL", "PANIC_RX", "Boot", "clean",
    "REPO", "TESTS", "Lines", "TestDef", "TestFail", "diff", "free_port",
    "kill", "kill_all", "mktemp", "need_file", "shape", "spawn", "tail",
    "test",
    "FRAME_RX", "Elf", "Frame", "Sym", "check_backtrace", "parse_backtrace",
    "OVMF", "QEMU_EXITS", "QMP", "QemuBoot", "keys_for",
    "VGA_SIZE", "VGA_TEXT", "Screen",
    "STUBS", "earlier_stubs",
    "T",
]
