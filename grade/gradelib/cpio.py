"""cpio newc archives, written the way `cpio -o -H newc` writes them, for
tests that hand NexaOS an initramfs of their own (lab 5)."""
import stat


class Entry:
    """One archive member.  mode holds the type bits (stat.S_IFREG...);
    data is a regular file's bytes or a symlink's target; rdev a device's
    (major, minor); entries with the same ino and nlink > 1 are hard links
    (GNU cpio puts the data in the last of them)."""

    def __init__(self, name, mode, data=b"", uid=0, gid=0, mtime=0, ino=0,
                 nlink=1, rdev=(0, 0)):
        self.name, self.mode, self.data = name, mode, data
        self.uid, self.gid, self.mtime = uid, gid, mtime
        self.ino, self.nlink, self.rdev = ino, nlink, rdev


def _pad(n):
    return b"\0" * (-n % 4)


def _member(e, ino):
    name = e.name.encode() + b"\0"
    data = e.data if isinstance(e.data, bytes) else e.data.encode()
    if stat.S_ISDIR(e.mode):
        data = b""
    fields = [e.ino or ino, e.mode, e.uid, e.gid, e.nlink, e.mtime, len(data),
              0, 0, e.rdev[0], e.rdev[1], len(name), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    return head + name + _pad(len(head) + len(name)) + data + _pad(len(data))


def newc(entries):
    """The archive of entries, ending with its trailer."""
    out = b"".join(_member(e, i + 1) for i, e in enumerate(entries))
    return out + _member(Entry("TRAILER!!!", 0, nlink=1), 0) + b"\0" * 4


def write(path, entries):
    path.write_bytes(newc(entries))
    return path
