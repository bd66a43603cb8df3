"""The hardware test set's registry and the helpers its tests share
(grade/hw.py runs them; grade/hw_*.py declare them)."""
import time

from .core import TestDef
from .fbscreen import FbScreen, expected_screen
from .qemu import keys_for

BANNER = "NexaOS 0.1.0 (x86_64)"
LIGHT_GREY, BLACK = (0xAA, 0xAA, 0xAA), (0, 0, 0)
WHITE, RED = (0xFF, 0xFF, 0xFF), (0xAA, 0x00, 0x00)
HW = []                 # the tests, in the order they run


def hw_test(name, timeout=180):
    def deco(fn):
        HW.append(TestDef("hw", name, fn, 1, timeout, None, ("qemu",)))
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
    banner, as an 80x25 console, with the cursor after it. A framebuffer
    (fbcon's boots) is read as pixels and matched against the font; VGA
    text as memory (its cursor is in the CRTC, out of reach: not checked)."""
    time.sleep(0.5)                     # the last echo reaches the screen
    text = b.text[b.text.index(BANNER):] if BANNER in b.text else b.text
    rows, cursor = expected_screen(text)
    if "fbcon:" not in b.text:
        s = b.screen_now()
        t.compare(rows, s.rows, f"the VGA text screen's rows ({what})", b)
        return s
    s = FbScreen(t.build, *b.screendump())
    t.compare(rows, s.rows, f"the screen's rows ({what})", b)
    t.check(s.cursor == cursor, f"the cursor is at {s.cursor}, expected "
            f"{cursor} ({what})", s.dump(), b)
    return s


def login_on_keyboard(t, b):
    """Logs in as root with keys (QMP send-key: the machine's keyboard)."""
    b.expect(r"login: ", partial=True, what="login's prompt")
    b.send_keys(keys_for("root\r"))
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send_keys(keys_for("nexaos\r"))
    b.expect(r"root@nexa:~# ", partial=True, what="root's shell prompt")
    b.send_keys(keys_for("echo fb$((6*7))\r"))
    b.expect(r"^fb42$", what="the echo typed on the keyboard")
    b.expect(r"root@nexa:~# ", partial=True, what="the next prompt")


