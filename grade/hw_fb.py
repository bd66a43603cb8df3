"""Hardware tests: the framebuffer console (issue 14) on UEFI pc and q35,
SeaBIOS VBE modes, and VGA text by default on BIOS."""
from gradelib.hwtest import (BLACK, LIGHT_GREY, RED, WHITE, fbcon_line,
                             hw_test, login_on_keyboard, screen_matches)


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
