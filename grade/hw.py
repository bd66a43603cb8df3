#!/usr/bin/env python3
"""Hardware tests of the full tree (issue 14), not a student lab: the
framebuffer console in the configurations of a current PC.  Each test
boots an ISO (BIOS or UEFI, pc or q35, QEMU's -vga std), takes a
screendump through QMP and reads it back as text with the kernel's own
font (gradelib/fbscreen.py); the screen must show what the console wrote
(the serial output, as an 80x25 screen would show it) and the cursor
where it stands.

    python3 grade/hw.py --build build [NAME...]

prints one line per test and "hw: N passed, M failed"; exit status 1 if
any failed.
"""
import argparse
import re
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gradelib as gl                                   # noqa: E402
from gradelib.fbscreen import FbScreen, expected_screen  # noqa: E402
from grade import Config, load_rubric                   # noqa: E402

BANNER = "NexaOS 0.1.0 (x86_64)"
LIGHT_GREY, BLACK = (0xAA, 0xAA, 0xAA), (0, 0, 0)
WHITE, RED = (0xFF, 0xFF, 0xFF), (0xAA, 0x00, 0x00)
HW = []


def hw_test(name, timeout=180):
    def deco(fn):
        HW.append(gl.TestDef("hw", name, fn, 1, timeout, None, ("qemu",)))
        return fn
    return deco


def fbcon_line(b, font):
    """Waits for fbcon's line; checks it draws with font (e.g. "12x24")."""
    m = b.expect(r"^fbcon: (\d+)x(\d+), (\d+) bpp, font (\d+x\d+), (.*)$",
                 what="fbcon's line (the framebuffer console started)")
    b.t.check(m[4] == font, f"fbcon chose font {m[4]}, expected {font}",
              boot=b, at=b.line_of(m.start()))
    return m


def screen_matches(t, b, what):
    """Reads the screen back; it must show the serial output since the
    banner, as an 80x25 console, with the cursor after it."""
    time.sleep(0.5)                     # the last echo reaches the screen
    s = FbScreen(t.build, *b.screendump())
    text = b.text[b.text.index(BANNER):] if BANNER in b.text else b.text
    rows, cursor = expected_screen(text)
    t.compare(rows, s.rows, f"the screen's rows ({what})", b)
    t.check(s.cursor == cursor, f"the cursor is at {s.cursor}, expected "
            f"{cursor} ({what})", s.dump(), b)
    return s


def login_on_keyboard(t, b):
    """Logs in as root with keys (QMP send-key: the machine's keyboard)."""
    b.expect(r"login: ", partial=True, what="login's prompt")
    b.send_keys(gl.keys_for("root\r"))
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send_keys(gl.keys_for("nexaos\r"))
    b.expect(r"root@nexa:~# ", partial=True, what="root's shell prompt")
    b.send_keys(gl.keys_for("echo fb$((6*7))\r"))
    b.expect(r"^fb42$", what="the echo typed on the keyboard")
    b.expect(r"root@nexa:~# ", partial=True, what="the next prompt")


@hw_test("fb_uefi_login")
def fb_uefi_login(t):
    """pc, OVMF, GOP in the mode GRUB picks: login typed on the keyboard,
    the screen shows the session; text light grey on black."""
    with t.qemu("init=/sbin/init", mem="256", iso=True, uefi=True,
                screen=True, initrd=True) as b:
        fbcon_line(b, "8x16")
        login_on_keyboard(t, b)
        s = screen_matches(t, b, "after the login")
        r = next(i for i, row in enumerate(s.rows) if row.startswith("fbcon:"))
        t.check(s.colors[r][0] == (LIGHT_GREY, BLACK), "fbcon's line is not "
                f"light grey on black: {s.colors[r][0]}", s.dump(), b)


@hw_test("fb_q35_uefi_1024")
def fb_q35_uefi_1024(t):
    """q35, OVMF, GOP 1024x768x32: the login prompt with the 12x24 font."""
    with t.qemu("init=/sbin/init", mem="256", iso=True, uefi=True,
                screen=True, initrd=True, machine="q35",
                gfxpayload="1024x768x32") as b:
        fbcon_line(b, "12x24")
        b.expect(r"login: ", partial=True, what="login's prompt")
        screen_matches(t, b, "at the login prompt")


@hw_test("fb_bios_vbe_scroll")
def fb_bios_vbe_scroll(t):
    """pc, SeaBIOS, VBE 1024x768x32, test=fbcon: 50 full screens of text
    scrolled; the screen shows the last of it; reports the scroll's cost."""
    with t.qemu("test=fbcon", iso=True, screen=True,
                gfxpayload="1024x768x32") as b:
        fbcon_line(b, "12x24")
        m = b.expect(r"^fbcon: full-screen scroll (\d+) cycles \((\d+) us\)",
                     what="the scroll's cost")
        b.expect(r"^nexaos: power off", what="the power-off")
        screen_matches(t, b, "after test=fbcon")
        t.data["note"] = f"scroll {m[1]} cycles ({m[2]} us under TCG)"


@hw_test("fb_bios_32x16_panic")
def fb_bios_32x16_panic(t):
    """pc, SeaBIOS, VBE 1280x1024x32, test=panic: the panic is on the
    screen (16x32 font), its line white on red."""
    with t.qemu("test=panic", iso=True, screen=True, expect_panic=True,
                gfxpayload="1280x1024x32") as b:
        fbcon_line(b, "16x32")
        b.expect(r"^System halted\.", what="the end of the panic report")
        s = screen_matches(t, b, "after the panic")
        r = next((i for i, row in enumerate(s.rows)
                  if row.startswith("KERNEL PANIC")), None)
        t.check(r is not None, "no KERNEL PANIC line on the screen", s.dump(), b)
        t.check(s.colors[r][0] == (WHITE, RED), "the panic line is not white "
                f"on red: {s.colors[r][0]}", s.dump(), b)


@hw_test("bios_text_default")
def bios_text_default(t):
    """pc, SeaBIOS, the ISO as make builds it: VGA text, no fbcon."""
    with t.qemu(None, iso=True, screen=True) as b:
        b.expect(r"^boot: video VGA text 80x25$", what="VGA text on BIOS")
        b.expect(r"login: ", partial=True, what="login's prompt")
        t.check("fbcon:" not in b.text, "fbcon started on a VGA text boot",
                boot=b)
        s = b.screen_now()
        t.check(any(row.startswith("login:") for row in s.rows),
                "no login: on the VGA text screen", s.dump(), b)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default="build")
    p.add_argument("names", nargs="*", help="run the tests whose name contains one")
    args = p.parse_args()
    _, scale = load_rubric("qemu")
    cfg = Config(Path(args.build).resolve(), "qemu", scale, 64)
    cfg.logdir.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    try:
        for td in HW:
            if args.names and not any(n in td.name for n in args.names):
                continue
            t, start = gl.T(td, cfg), time.monotonic()
            try:
                td.fn(t)
                ok, why = True, t.data.get("note", "")
            except gl.TestFail as e:
                ok, why = False, "\n    ".join([e.reason] + list(e.detail or []))
            except Exception:
                ok, why = False, "grader error: " + traceback.format_exc()
            finally:
                t.close()
            passed, failed = passed + ok, failed + (not ok)
            print(f"hw {td.name:.<28} {'OK' if ok else 'FAIL'} "
                  f"({time.monotonic() - start:.1f}s){': ' + why if why else ''}",
                  flush=True)
    finally:
        gl.kill_all()
    print(f"hw: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
