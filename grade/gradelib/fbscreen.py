"""The framebuffer console's screen (kernel/drivers/fbcon.c), read back
from a QMP screendump and recognised cell by cell with the font file the
kernel was built with (build/fonts): the screen as text, each cell's
colours, and the cursor.  expected_screen() says what an 80x25 VGA-like
screen shows after some console output, to compare the two."""
import gzip
import re
import struct
from pathlib import Path

COLS, ROWS = 80, 25
# The Makefile's FONTS, smallest first: the kernel takes the largest with
# which 80x25 cells fit, centred.
FONTS = ["Uni2-Terminus16", "Uni2-Terminus24x12", "Uni2-Terminus32x16"]
SYSTEM_FONTS = Path("/usr/share/consolefonts")
VGA_RGB = [(0x00, 0x00, 0x00), (0x00, 0x00, 0xAA), (0x00, 0xAA, 0x00),
           (0x00, 0xAA, 0xAA), (0xAA, 0x00, 0x00), (0xAA, 0x00, 0xAA),
           (0xAA, 0x55, 0x00), (0xAA, 0xAA, 0xAA), (0x55, 0x55, 0x55),
           (0x55, 0x55, 0xFF), (0x55, 0xFF, 0x55), (0x55, 0xFF, 0xFF),
           (0xFF, 0x55, 0x55), (0xFF, 0x55, 0xFF), (0xFF, 0xFF, 0x55),
           (0xFF, 0xFF, 0xFF)]
CSI_RX = re.compile(r"\x1b(\[[0-9;?]*[@-~]|[^\[])")


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255)."""
    data = Path(path).read_bytes()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            i = data.index(b"\n", i)
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: not a P6 PPM with maxval 255")
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[i + 1:i + 1 + w * h * 3]


class Font:
    """A PSF1 or PSF2 font: rows(c) are the glyph rows of character c
    (leftmost pixel in the top bit of a width-bit number)."""

    def __init__(self, data):
        if data[:4] == struct.pack("<I", 0x864AB572):
            _, _, hsize, flags, n, size, h, w = struct.unpack("<8I", data[:32])
            table = flags & 1
        elif data[:2] == b"\x36\x04":
            mode, size = data[2], data[3]
            hsize, n, h, w, table = 4, 512 if mode & 1 else 256, size, 8, mode & 2
        else:
            raise ValueError("not a PSF font")
        self.width, self.height = w, h
        stride = (w + 7) // 8
        self.glyphs = []
        for g in range(n):
            raw = data[hsize + g * size:hsize + (g + 1) * size]
            self.glyphs.append(tuple(
                int.from_bytes(raw[y * stride:(y + 1) * stride], "big")
                >> (stride * 8 - w) for y in range(h)))
        self.of_char = {}           # Unicode character -> glyph
        if table:
            self._table(data[hsize + n * size:], n, data[:2] == b"\x36\x04")

    def _table(self, t, n, psf1):
        g, i = 0, 0
        while g < n and i < len(t):
            if psf1:
                entry, i, seq = [], i, False
                while i + 1 < len(t):
                    u = t[i] | t[i + 1] << 8
                    i += 2
                    if u == 0xFFFF:
                        break
                    seq = seq or u == 0xFFFE
                    if not seq:
                        self.of_char.setdefault(chr(u), g)
            else:
                end = t.index(b"\xff", i)
                part = t[i:end].split(b"\xfe")[0]
                for c in part.decode("utf-8", "replace"):
                    self.of_char.setdefault(c, g)
                i = end + 1
            g += 1

    def rows(self, c):
        return self.glyphs[self.of_char.get(c, self.of_char.get("?", 0))]


def load_font(build, name):
    """The font file the kernel embedded (build/fonts), else Debian's."""
    p = Path(build) / "fonts" / f"{name}.psf"
    if p.exists():
        return Font(p.read_bytes())
    return Font(gzip.decompress((SYSTEM_FONTS / f"{name}.psf.gz").read_bytes()))


class FbScreen:
    """What the framebuffer shows, as the console's 80x25 cells: rows[r]
    (text, right-stripped; an unknown glyph is shown as \\ufffd),
    colors[r][c] ((fg, bg) RGB, fg None for a blank cell), cursor (r, c)
    or None, font (width, height)."""

    def __init__(self, build, width, height, rgb):
        fonts = [load_font(build, n) for n in FONTS]
        fit = [f for f in fonts if f.width * COLS <= width and
               f.height * ROWS <= height]
        if not fit:
            raise ValueError(f"a {width}x{height} screen has no room for "
                             "80x25 cells")
        f = fit[-1]
        self.font = (f.width, f.height)
        x0, y0 = (width - f.width * COLS) // 2, (height - f.height * ROWS) // 2
        # glyph rows -> character (ASCII first), without and with the cursor
        plain, under = {}, {}
        cut = f.height - f.height // 8
        chars = [chr(c) for c in range(0x20, 0x7F)] + \
            [bytes([b]).decode("cp437") for b in range(0x80, 0x100)]
        for c in chars:
            rows = f.rows(c)
            plain.setdefault(rows, c)
            under.setdefault(rows[:cut], c)
        full = (1 << f.width) - 1
        self.rows, self.colors, self.cursor = [], [], None
        for r in range(ROWS):
            text, colors = [], []
            for c in range(COLS):
                px = []
                for y in range(f.height):
                    o = ((y0 + r * f.height + y) * width + x0 + c * f.width) * 3
                    line = rgb[o:o + f.width * 3]
                    px.append([line[i:i + 3] for i in range(0, len(line), 3)])
                count = {}
                for line in px:
                    for p in line:
                        count[p] = count.get(p, 0) + 1
                bg = max(count, key=count.get)
                fg = next((p for p in count if p != bg), None)
                rows = tuple(sum(1 << (f.width - 1 - x) for x, p in
                                 enumerate(line) if p != bg) for line in px)
                ch = plain.get(rows)
                if ch is None and all(v == full for v in rows[cut:]):
                    ch = under.get(rows[:cut])
                    if ch is not None:
                        self.cursor = (r, c)
                text.append(ch or "\ufffd")
                colors.append((tuple(fg) if fg else None, tuple(bg)))
            self.rows.append("".join(text).rstrip())
            self.colors.append(colors)

    def dump(self):
        return [f"framebuffer screen (font {self.font[0]}x{self.font[1]}):"] + \
            [f"{r:2} |{row}" for r, row in enumerate(self.rows)]


def expected_screen(text):
    """The rows (right-stripped) and the cursor of an 80x25 screen after
    the console wrote text (serial output: \\r, \\n, \\b, \\t, wrapping and
    scrolling as the VGA driver; escape sequences are dropped)."""
    grid = [[" "] * COLS for _ in range(ROWS)]
    r = c = 0
    for ch in CSI_RX.sub("", text):
        if ch == "\n":
            r, c = r + 1, 0
        elif ch == "\r":
            c = 0
        elif ch == "\b":
            c = max(0, c - 1)
        elif ch == "\t":
            c = (c + 8) & ~7
        elif ch >= " " or ch == "\x00":
            grid[r][c] = ch if ch >= " " else " "
            c += 1
        if c >= COLS:
            r, c = r + 1, 0
        if r >= ROWS:
            grid = grid[1:] + [[" "] * COLS]
            r = ROWS - 1
    return ["".join(row).rstrip() for row in grid], (r, c)
