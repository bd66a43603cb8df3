"""The VGA text screen as read back from the emulator's memory."""

VGA_TEXT, VGA_SIZE = 0xB8000, 80 * 25 * 2


class Screen:
    """The 80x25 VGA text screen: rows[r] (text, right-stripped, control
    bytes shown as spaces), attr(r, c) the attribute byte of a cell."""

    def __init__(self, data):
        self.data = data
        text = bytes(c if c >= 0x20 else 0x20 for c in data[0::2])
        text = text.decode("cp437")
        self.rows = [text[r * 80:(r + 1) * 80].rstrip() for r in range(25)]

    def attr(self, r, c):
        return self.data[(r * 80 + c) * 2 + 1]

    def attrs(self, r, c0=0, n=80):
        """The set of attribute bytes of cells c0..c0+n-1 of row r."""
        return {self.attr(r, c) for c in range(c0, c0 + n)}

    def dump(self):
        return ["VGA screen:"] + [f"{r:2} |{row}"
                                  for r, row in enumerate(self.rows)]
