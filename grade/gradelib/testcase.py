"""T: the running test as its function sees it (boots, checks, logs)."""
import subprocess
import time
from pathlib import Path

from .bochs import BochsBoot
from .core import Lines, TestFail, diff, kill, mktemp, spawn, tail
from .qemu import QemuBoot


class T:
    """The running test, passed to its function as `t`.  cfg (from grade.py)
    has build, emu, scale (time-limit factor), logdir and elf()."""

    def __init__(self, tdef, cfg, parent_data=None):
        self.cfg, self.name, self.lab = cfg, tdef.name, tdef.lab
        self.build = cfg.build
        self.timeout = tdef.timeout * cfg.scale
        self.deadline = time.monotonic() + self.timeout
        self.boots, self.logs = [], []
        self.data, self.parent_data = {}, parent_data or {}

    @property
    def elf(self):
        """The build's kernel.elf, parsed (an Elf)."""
        return self.cfg.elf()

    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def logpath(self, suffix=""):
        """labN-TEST.log, then labN-TEST-2.log, ... (serial logs), or
        labN-TEST<suffix>.log."""
        if not suffix:
            n = sum(p.suffixes == [".log"] for p in self.logs)
            suffix = f"-{n + 1}" if n else ""
        p = self.cfg.logdir / f"lab{self.lab}-{self.name}{suffix}.log"
        self.logs.append(p)
        return p

    def scratch(self):
        """A directory of the test's own for files it makes (removed when
        the grader exits)."""
        if "scratch" not in self.data:
            self.data["scratch"] = mktemp()
        return self.data["scratch"]

    def _add(self, boot):
        self.boots.append(boot)
        return boot.start()

    def qemu(self, cmdline="", mem=None, iso=False, uefi=False, screen=False,
             gdb_port=None, expect_panic=False, initrd=False, cpu="qemu64",
             machine="pc", gfxpayload=None, extra=()):
        """Boot QEMU: kernel32.elf via Multiboot1 with `cmdline`, or with
        iso=True (uefi=True adds OVMF) an ISO made for `cmdline` (None:
        nexaos.iso as make built it).  screen=True: no debug-exit device,
        so power-off only stops QEMU and b.screen() can read VGA memory.
        gdb_port: stay halted for gdb on that port.  initrd=True: the
        build's initrd.cpio as the boot module (user programs, lab 4 on).
        cpu: QEMU's -cpu model (`max` has SMEP, SMAP and more); machine:
        its -machine (pc, q35).  gfxpayload: GRUB's video mode for an ISO
        ("1024x768x32"; None: VGA text on BIOS, GOP's choice on UEFI).
        extra: more QEMU arguments (`-device qemu-xhci`, `-no-hpet`)."""
        return self._add(QemuBoot(self, cmdline, mem or self.cfg.mem, iso, uefi,
                                  screen, gdb_port, expect_panic, initrd, cpu,
                                  machine, gfxpayload, extra))

    def bochs(self, cmdline=None, mem=None, expect_panic=False, initrd=False):
        """Boot under Bochs (serial output only): nexaos.iso, or given a
        cmdline, an ISO made from kernel.elf whose GRUB passes it (and
        the initrd.cpio module with initrd=True)."""
        return self._add(BochsBoot(self, cmdline, mem or self.cfg.mem, expect_panic,
                                   initrd))

    def boot(self, cmdline, mem=None, expect_panic=False, initrd=False):
        """Boot with a kernel command line under the --emu emulator."""
        if self.cfg.emu == "bochs":
            return self.bochs(cmdline, mem, expect_panic, initrd)
        return self.qemu(cmdline, mem, expect_panic=expect_panic, initrd=initrd)

    def boot_iso(self, mem=None, expect_panic=False, cmdline=None, initrd=False):
        """Boot an ISO (BIOS) under the --emu emulator: nexaos.iso as make
        built it, or one made for cmdline (with initrd's modules)."""
        if self.cfg.emu == "bochs":
            return self.bochs(cmdline, mem, expect_panic, initrd)
        return self.qemu(cmdline, mem=mem, iso=True, expect_panic=expect_panic,
                         initrd=initrd)

    def close(self, linger=False):
        """Stop every boot; linger: let the kernel finish its output first."""
        for b in self.boots:
            if linger:
                b.linger()
            b.close()

    def fail(self, reason, detail=None, boot=None, at=None):
        raise TestFail(reason, detail, boot, at)

    def check(self, cond, reason, detail=None, boot=None, at=None):
        if not cond:
            raise TestFail(reason, detail, boot, at)

    def compare(self, expected, got, what, boot=None, at=None):
        """Fail with a unified diff unless the two lists of lines are equal.
        The failure points at the first bad line: at is got's line indices
        in boot.lines (a list), or got is a Lines block."""
        exp, got_l = list(expected), list(got)
        if exp == got_l:
            return
        pairs = list(zip(exp, got_l))
        first = next((i for i, (a, b) in enumerate(pairs) if a != b),
                     len(pairs))
        bad = sum(a != b for a, b in pairs) + abs(len(exp) - len(got_l))
        if at is None and isinstance(got, Lines):
            at = range(got.start, got.start + len(got))
        at = at[min(first, len(at) - 1)] if at else None
        raise TestFail(f"{what} differ from the expected ({bad} of "
                       f"{len(exp)} lines)", diff(exp, got_l), boot, at)

    def run(self, argv, env=None, log=None):
        """Run a host program (e.g. gdb) in its own process group until the
        test's deadline; return (status, output).  With log, the output is
        saved as labN-TEST.<log>.log."""
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                  stderr=subprocess.STDOUT, env=env)
        try:
            out, status = p.communicate(timeout=self.remaining())[0], 0
        except subprocess.TimeoutExpired:
            kill(p)
            out, status = p.communicate()[0], None
        finally:
            kill(p)
        out = out.decode("utf-8", "replace")
        if log:
            path = self.logpath("." + log)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(out)
        if status is None:
            raise TestFail(f"{Path(argv[0]).name} did not finish within "
                           f"{self.timeout:.0f}s (the test's time limit)",
                           tail(out))
        return p.returncode, out

