"""Lab 5 grader: the VFS, the initramfs, devices, pipes, the terminal, and
Debian's busybox running on them.

Most tests boot `init=PROGRAM ARGS` as lab 4's do (grade/lab4.py's run):
a C program of user/bin, or `/bin/sh SCRIPT` with a script that the test
packs into an archive of its own, given to the kernel as a second boot
module (the kernel unpacks every module into its root file system).
Wherever the output is deterministic it is compared with the same binary
run on this machine's Linux: the C programs in a copy of their initramfs
tree, the scripts under the same busybox binary.
"""
import hashlib
import os
import random
import shutil
import stat
import string
import subprocess

from gradelib import cpio, test
from lab4 import ENV, nonce, run

BUSYBOX_ENV = ["HOME=/", "TERM=linux"]


def script_module(t, name, text, extra=()):
    """An archive holding /t/NAME.sh (and extra entries), written to the
    test's scratch directory; its path, for run(..., modules=...)."""
    entries = [cpio.Entry("t", stat.S_IFDIR | 0o755),
               cpio.Entry(f"t/{name}.sh", stat.S_IFREG | 0o755, text)]
    path = t.scratch() / f"{name}.cpio"
    return cpio.write(path, entries + list(extra))


def run_script(t, name, text, extra=(), mem=None, pre=""):
    """Boots `init=/bin/sh /t/NAME.sh`; the script's lines."""
    module = script_module(t, name, text, extra)
    b, lines = run(t, "sh", [f"/t/{name}.sh"], pre=pre, mem=mem, modules=[module])
    return b, lines


def host_busybox(t):
    """A directory of links to the build's busybox, for running a script
    on this machine with the very applets NexaOS runs."""
    bb = t.build / "busybox" / "busybox"
    t.check(bb.exists(), f"{bb} is missing (make fetches it)")
    d = t.scratch() / "bb"
    if not d.exists():
        d.mkdir()
        out = subprocess.run([bb, "--list"], capture_output=True, text=True).stdout
        for applet in out.split():
            os.symlink(bb.resolve(), d / applet)
    return d


def script_on_linux(t, text, env_t):
    """The lines of the script run by busybox sh on this machine, with
    T=env_t as its scratch directory."""
    bb = host_busybox(t)
    path = t.scratch() / "script.sh"
    path.write_text(text)
    env = dict(e.split("=", 1) for e in BUSYBOX_ENV)
    env.update(PATH=str(bb), T=str(env_t))
    status, out = t.run([bb / "sh", path], env=env)
    t.check(status == 0, f"the script failed on Linux (status {status})",
            out.splitlines()[-20:])
    return out.splitlines()


def same_script_output(t, name, text):
    """Runs the script on NexaOS (T=/tmp/NAME) and on Linux: same lines."""
    b, lines = run_script(t, name, text)
    want = script_on_linux(t, text, t.scratch() / "t")
    t.compare(want, lines, f"/t/{name}.sh's output (against busybox on Linux)", b)


# ---------------------------------------------------------------- the shell

@test("shell_prompt", emus=("qemu", "bochs"))
def shell_prompt(t):
    """`init=/sbin/init shell` (the full system; `shell`: a root shell
    instead of lab 7's login): /etc/rc runs, a busybox shell prompt
    `root@nexa:~#` appears on the console, a command typed on serial runs
    (`echo $((6*7))` prints 42), and after `exit` init starts a new shell
    with a new prompt."""
    b = t.boot("init=/sbin/init shell", initrd=True)
    with b:
        b.expect(r"^Welcome to NexaOS\.$", what="/etc/rc's /etc/motd")
        b.expect(r"root@nexa:~# ", partial=True, what="the shell's prompt")
        b.send("echo $((6*7))\r")
        b.expect(r"^42\r?$", what="the answer 42")
        b.send("exit\r")
        b.expect(r"root@nexa:~# ", partial=True,
                 what="a new shell's prompt after exit")


# root's password in the image lab 7 builds (user/README.md, tools/mkshadow.py)
ROOT_PASSWORD = "nexaos"


def shell_from_iso(t, b):
    """The prompt of the system booted from an ISO (after logging in as
    root where lab 7's login asks); a command runs."""
    with b:
        b.expect(r"^init: NexaOS user space$", what="/sbin/init's first line")
        m = b.expect(r"login: |root@nexa:~# ", partial=True,
                     what="the shell's prompt or login's")
        if m.group(0) == "login: ":
            b.send("root\r")
            b.expect(r"Password: ", partial=True, what="login's password prompt")
            b.send(ROOT_PASSWORD + "\r")
            b.expect(r"root@nexa:~# ", partial=True, what="root's shell prompt")
        b.send("uname -s; ls /proc/1/fd | wc -l\r")
        b.expect(r"^NexaOS\r?$", what="uname's answer")
        b.expect(r"^3\r?$", what="init's three descriptors")


@test("iso_shell", emus=("qemu", "bochs"))
def iso_shell(t):
    """nexaos.iso as `make` built it, BIOS (GRUB, multiboot2, the
    initramfs as a module, `init=/sbin/init`): the shell prompt comes up
    and runs `uname -s` (NexaOS) and `ls /proc/1/fd | wc -l` (3)."""
    shell_from_iso(t, t.boot_iso())


@test("uefi_shell", emu_note="it boots QEMU with OVMF, the UEFI firmware")
def uefi_shell(t):
    """nexaos.iso under UEFI (OVMF, a framebuffer and no VGA text mode):
    the same prompt and commands as iso_shell, on the serial console."""
    shell_from_iso(t, t.qemu(None, mem=128, iso=True, uefi=True))


# Run as init, a script finds /dev and /proc empty: it mounts them (on
# Linux they are there already).
SCRIPT_HEAD = """\
set -e
[ -e /dev/null ] || mount -t devtmpfs dev /dev
[ -e /proc/self ] || mount -t proc proc /proc
T=${T:-/tmp/%s}
rm -rf "$T"; mkdir -p "$T"; cd "$T"
"""

PIPES = SCRIPT_HEAD % "pipes" + """\
seq 1 2000 | grep 7 | sort -rn | head -3
seq 1 100000 | wc -l
printf 'b\\na\\nc\\na\\n' | sort | uniq -c
echo one two three | tr ' ' '\\n' | tail -n 2 | cat -n
yes nexa | head -c 20000 | md5sum
echo "abc" | sed 's/b/B/' | awk '{ print length($0), $0 }'
seq 1 10 | xargs -n 3 echo | cut -d' ' -f1,3
dd if=/dev/zero bs=4096 count=300 2>/dev/null | od -An -tx1 | sort -u
"""

REDIRECT = SCRIPT_HEAD % "redirect" + """\
echo first > f
echo second >> f
cat < f
wc -l f
ls nothing-here 2> err || echo "ls failed with $?"
cut -d: -f2- err | sed 's/^ *//'
{ echo out; echo err >&2; } > both 2>&1
sort both
exec 3> fd3
echo via three >&3
exec 3>&-
cat fd3
cat f f | sort -r > g; cat g
: > f; wc -c < f
set +e; false; echo "status $?"; set -e
echo $(echo nested $(echo deeper))
"""

HEREDOC = SCRIPT_HEAD % "heredoc" + """\
name=world
cat <<EOF
hello $name
$(echo substituted) and $((2 + 3))
EOF
cat <<'EOF'
literal $name $(nothing)
EOF
tr a-z A-Z <<-EOF
	tabs stripped
	EOF
while read -r a b; do echo "$b $a"; done <<EOF
1 one
2 two
EOF
"""

LOOPS = SCRIPT_HEAD % "loops" + """\
for i in 1 2 3; do mkdir "d$i"; for j in a b; do echo "$i$j" > "d$i/$j"; done; done
ls -R | grep -v '^$'
cat d*/* | sort | tr '\\n' ' '; echo
n=0; while [ $n -lt 5 ]; do n=$((n + 1)); done; echo "n=$n"
f() { local x=$1; echo "f($x) = $((x * x))"; return 3; }
f 7 || echo "f returned $?"
case "$(uname -s)" in NexaOS|Linux) echo kernel ok;; *) echo odd;; esac
i=0; until [ $i -ge 3 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; echo "i=$i"; done
for f in d1/*; do [ -f "$f" ] && echo "file $f"; done
( cd d2 && pwd | sed "s|$T|T|" ); pwd | sed "s|$T|T|"
find . -type f | sort | xargs cat | wc -c
rm -r d1 d2 d3; ls | wc -l
"""


@test("shell_pipes", emus=("qemu", "bochs"))
def shell_pipes(t):
    """`init=/bin/sh /t/pipes.sh` (a second boot module): pipelines of
    busybox applets (seq, grep, sort, uniq, tr, tail, head, md5sum, sed,
    awk, xargs, cut, dd from /dev/zero, od): the same output as the same
    busybox running the same script on Linux."""
    same_script_output(t, "pipes", PIPES)


@test("shell_redirect", emus=("qemu", "bochs"))
def shell_redirect(t):
    """Redirections (>, >>, <, 2>, 2>&1, exec 3>, >&3, 3>&-), exit
    statuses and command substitution: the same output as on Linux."""
    same_script_output(t, "redirect", REDIRECT)


@test("shell_heredoc", emus=("qemu", "bochs"))
def shell_heredoc(t):
    """Here documents (expanded, quoted, <<- with tabs, feeding a while
    read loop): the same output as on Linux."""
    same_script_output(t, "heredoc", HEREDOC)


@test("shell_loops", emus=("qemu", "bochs"))
def shell_loops(t):
    """for, while, until, functions with local and return, case, subshells
    with cd, globbing, ls -R, find | xargs, rm -r: the same output as on
    Linux."""
    same_script_output(t, "loops", LOOPS)


# -------------------------------------------------------------- initramfs

NAME_CHARS = string.ascii_letters + string.digits + "._-"


def random_tree(rng):
    """Entries of a random tree under r/: directories, files of awkward
    sizes, symlinks, a hard-link group, device nodes and a fifo, with
    random modes, owners and times."""
    def name():
        return "".join(rng.choice(NAME_CHARS) for _ in range(rng.randint(1, 24))) \
            .lstrip(".") or "x"

    def attrs():
        return dict(uid=rng.randint(0, 65535), gid=rng.randint(0, 65535),
                    mtime=rng.randint(0, 2**31 - 1))

    entries, dirs, used = [cpio.Entry("r", stat.S_IFDIR | 0o755)], ["r"], set()

    def fresh(parent):
        while True:
            p = f"{parent}/{name()}"
            if p not in used:
                used.add(p)
                return p
    for _ in range(8):
        d = fresh(rng.choice(dirs))
        dirs.append(d)
        entries.append(cpio.Entry(d, stat.S_IFDIR | rng.choice([0o755, 0o700, 0o1777, 0o555]),
                                  **attrs()))
    for size in [0, 1, 511, 4095, 4096, 4097, 65537, rng.randint(1, 300000)] * 2:
        data = rng.randbytes(size)
        mode = rng.choice([0o644, 0o600, 0o755, 0o444, 0o4755, 0o2755, 0o700])
        entries.append(cpio.Entry(fresh(rng.choice(dirs)), stat.S_IFREG | mode, data,
                                  **attrs()))
    for _ in range(4):
        target = "/".join(name() for _ in range(rng.randint(1, 3)))
        entries.append(cpio.Entry(fresh(rng.choice(dirs)), stat.S_IFLNK | 0o777, target,
                                  **attrs()))
    data, ino = rng.randbytes(rng.randint(1, 9000)), 777777
    names = [fresh(rng.choice(dirs)) for _ in range(3)]
    for i, n in enumerate(names):       # GNU cpio: the data with the last name
        entries.append(cpio.Entry(n, stat.S_IFREG | 0o640, data if i == 2 else b"",
                                  ino=ino, nlink=3, uid=5, gid=6, mtime=123456789))
    entries.append(cpio.Entry(fresh("r"), stat.S_IFCHR | 0o620, rdev=(4, 64), **attrs()))
    entries.append(cpio.Entry(fresh("r"), stat.S_IFBLK | 0o660, rdev=(8, 17), **attrs()))
    entries.append(cpio.Entry(fresh("r"), stat.S_IFIFO | 0o644, **attrs()))
    return entries


def expected_listing(entries):
    """What the check script prints for entries: a stat line per name, then
    a sha256sum line per regular file, each part sorted as sort(1) does."""
    stats, sums, data_of = [], [], {}
    for e in entries:
        if stat.S_ISREG(e.mode) and e.data:
            data_of[e.ino or id(e)] = e.data
    for e in entries:
        p = "./" + e.name
        if stat.S_ISDIR(e.mode):
            stats.append(f"{p}|{e.mode:x}|{e.uid}|{e.gid}|{e.mtime}")
            continue
        data = data_of.get(e.ino, e.data) if e.nlink > 1 else e.data
        size = len(data if isinstance(data, bytes) else data.encode())
        major, minor = e.rdev
        stats.append(f"{p}|{e.mode:x}|{e.uid}|{e.gid}|{size}|{e.mtime}|{e.nlink}|"
                     f"{major:x}|{minor:x}")
        if stat.S_ISREG(e.mode):
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {p}")
    return sorted(stats, key=lambda s: s.split("|")[0].encode()) + \
        sorted(sums, key=lambda s: s.encode())


CHECK_TREE = """\
cd /
export LC_ALL=C
find r | sort | while read -r p; do
    if [ -d "$p" ] && [ ! -L "$p" ]; then stat -c '%n|%f|%u|%g|%Y' "$p"
    else stat -c '%n|%f|%u|%g|%s|%Y|%h|%t|%T' "$p"; fi
done | sed 's|^|./|'
find r -type f -exec sha256sum {} + | sed 's|  r/|  ./r/|' | sort
ls -1 z
"""


@test("initramfs", emus=("qemu", "bochs"))
def initramfs(t):
    """A random archive as a second boot module (directories, files of
    sizes 0, 1, 511, 4095..4097, 65537 and random, symlinks, a hard-link
    group, character and block devices, a fifo; random modes with setuid
    and sticky bits, owners and mtimes) and a third one cut short in its
    third file: every name with its mode, owner, size, mtime, link count
    and device number, and every file's sha256, as busybox's stat and
    sha256sum see them; the cut archive gets an `initrd:` message and its
    first two files stay."""
    rng = random.Random(nonce())
    entries = random_tree(rng)
    tree = t.scratch() / "tree.cpio"
    cpio.write(tree, entries)
    z = [cpio.Entry("z", stat.S_IFDIR | 0o755)] + \
        [cpio.Entry(f"z/f{i}", stat.S_IFREG | 0o644, rng.randbytes(700)) for i in range(4)]
    head = len(cpio.newc(z[:3])) - len(cpio.newc([]))      # z, f0, f1 without a trailer
    bad = t.scratch() / "cut.cpio"
    bad.write_bytes(cpio.newc(z)[:head + 300])
    module = script_module(t, "check", CHECK_TREE)
    b, lines = run(t, "sh", ["/t/check.sh"], modules=[tree, bad, module])
    t.check(any("initrd:" in ln and "cut short" in ln for ln in b.lines),
            "no `initrd:` message about the archive cut short", boot=b)
    want = expected_listing(entries) + ["f0", "f1"]
    t.compare(want, lines, "the unpacked tree (stat and sha256sum)", b)


# ---------------------------------------------------------------- terminal

KEYS_EDIT = ["a", "b", "c", "backspace", "d", "ctrl-u", "x", "y", "z", "ctrl-w",
             "h", "e", "l", "l", "o", "ret"]


@test("tty_modes", emu_note="it presses keys on the PS/2 keyboard through QEMU's QMP")
def tty_modes(t):
    """`init=/bin/ttykeys`, keys typed when it says `ttykeys: ready STEP`:
    canonical editing on the PS/2 keyboard (abc Backspace d Ctrl-U xyz
    Ctrl-W hello Enter reads `hello\n`), Ctrl-D on an empty line (0
    bytes) and after `ab` (`ab`), a line read 4 bytes at a time, VMIN=3
    (no return after 2 bytes, all 3 after the third), VMIN=0 VTIME=2 (0
    bytes after 0.2 s), echo off (`secret` read, never shown), poll on
    the terminal, and Ctrl-C killing a child in the foreground group."""
    b = t.qemu("init=/bin/ttykeys", initrd=True)
    with b:
        b.expect(r"^ttykeys: icanon 1 echo 1 isig 1 veof 4 verase 127$")
        b.expect(r"^ttykeys: window sized$")
        b.expect(r"^ttykeys: foreground is us: yes$")
        b.expect(r"^ttykeys: ready edit$")
        b.send_keys(KEYS_EDIT)
        b.expect(r'^ttykeys: edit read 6 "hello\\x0a"$')
        b.expect(r"^ttykeys: ready eof$")
        b.send("\x04")
        b.expect(r'^ttykeys: eof read 0 ""$')
        b.expect(r"^ttykeys: ready partial$")
        b.send("ab\x04")
        b.expect(r'ttykeys: partial read 2 "ab"$')     # after the echoed "ab"
        b.expect(r"^ttykeys: ready short$")
        b.send("one two\r")
        b.expect(r'^ttykeys: short read 4 "one "$')
        b.expect(r'^ttykeys: short read 4 "two\\x0a"$')
        b.expect(r"^ttykeys: ready vmin$")
        b.send("xy")
        t.check(not b.wait_for_text("vmin read", 0.5),
                "a VMIN=3 read returned with 2 bytes typed", boot=b)
        b.send("z")
        b.expect(r'ttykeys: vmin read 3 "xyz"$')       # after the echo
        b.expect(r'^ttykeys: vtime read 0 ""$')
        b.expect(r"^ttykeys: vtime waited enough$")
        b.expect(r"^ttykeys: ready noecho$")
        start = len(b.text)
        b.send("secret\r")
        b.expect(r'^ttykeys: noecho read 7 "secret\\x0a"$')
        t.check("secret" not in b.text[start:b.text.find("ttykeys: noecho", start)],
                "`secret` was echoed with ECHO off", boot=b)
        b.expect(r"^ttykeys: ready poll$")
        b.send("q\r")
        b.expect(r"^ttykeys: poll 1$")
        b.expect(r'^ttykeys: poll read 2 "q\\x0a"$')
        b.expect(r"^ttykeys: ready intr$")
        b.send("\x03")
        b.expect(r"ttykeys: intr child killed by SIGINT$")    # after ^C
        b.expect(r"^ttykeys: ok$")


# ---------------------------------------------------------------- procfs

PROCFS = """\
mount -t proc proc /proc
mount -t devtmpfs dev /dev
read -r pid comm state rest < /proc/self/stat
[ "$pid" = "$$" ] && echo "self is the reader: $comm $state"
readlink /proc/self/exe
tr '\\0' ' ' < /proc/1/cmdline; echo
cat /proc/1/comm
sed -n 's/^State:\\t//p; s/^PPid:\\t//p' /proc/self/status
[ "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" = "$(free | awk 'NR == 2 { print $2 }')" ] \\
    && echo "MemTotal agrees with free"
grep -E '^(tmpfs|proc) ' /proc/mounts | cut -d' ' -f1-3
mount | grep -c ' on /proc type proc'
df / | tail -1 | awk '{ print $1, $6 }'
mkdir -p '/tmp/my disk' && mount -t tmpfs 'a b\\c' '/tmp/my disk'
grep ' /tmp/my' /proc/mounts | cut -d' ' -f1-3
umount '/tmp/my disk'
ls /proc/self/fd | tr '\\n' ' '; echo
readlink /proc/self/fd/0
grep -Eq '^[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}$' /proc/uptime && echo uptime format ok
grep -Eq '^[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+$' \\
    /proc/loadavg && echo loadavg format ok
grep -c '^processor' /proc/cpuinfo
grep -q ' /bin/busybox$' /proc/self/maps && grep -q '\\[stack\\]$' /proc/self/maps && echo maps ok
grep -q '^cpu ' /proc/stat && echo stat ok
uptime | grep -q 'load average' && echo uptime ok
sleep 30 &
child=$!
until [ "$(cut -d' ' -f3 /proc/$child/stat)" = S ]; do sleep 0.1; done
read -r p c s rest < /proc/$child/stat
echo "child $c $s"
ps -o pid,comm | awk -v c=$child '$1 == 1 || $1 == c { print ($1 == 1 ? "init" : "child"), $2 }'
kill $child
until [ ! -e /proc/$child ] || [ "$(cut -d' ' -f3 /proc/$child/stat 2>/dev/null)" = Z ]; do
	sleep 0.1
done
wait $child 2>/dev/null
[ -e /proc/$child ] || echo "child gone"
ls /proc | grep -c '^1$'
cat /proc/sys/kernel/ostype
"""


@test("procfs", emus=("qemu", "bochs"))
def procfs(t):
    """A busybox script reads procfs (mounted on /proc): /proc/self/stat is
    the reader's, /proc/self/exe, /proc/1/cmdline and comm, status's State
    and PPid, meminfo's MemTotal equal to free's total, /proc/mounts,
    mount and df (through /etc/mtab), a name with a space and a backslash
    escaped in /proc/mounts as on Linux (\\040, \\134), /proc/self/fd and its links, the formats of uptime, loadavg,
    cpuinfo, maps and stat, busybox's uptime and ps, a background child's
    stat (`(sleep) S`: busybox sh runs its applets through /proc/self/exe,
    which names the process `exe`, and each applet renames itself with
    prctl(PR_SET_NAME), as on Linux),
    its directory gone once it is reaped (the script waits for it to be a
    zombie or gone, which the shell may reap on its own, first: before lab 6 has handlers, busybox's
    `wait` for a running child sleeps in sigsuspend for a SIGCHLD handler
    that never runs)."""
    b, lines = run_script(t, "procfs", PROCFS)
    lines = [ln for ln in lines if ln != "Terminated"]     # ash says it when it notices
    want = ["self is the reader: (sh) R", "/bin/busybox", "/bin/sh /t/procfs.sh ", "sh",
            "R (running)", "1", "MemTotal agrees with free", "tmpfs / tmpfs",
            "proc /proc proc", "1", "tmpfs /",
            "a\\040b\\134c /tmp/my\\040disk tmpfs", "0 1 2 3 ", "/dev/console", "uptime format ok",
            "loadavg format ok", "1", "maps ok", "stat ok", "uptime ok",
            "child (sleep) S", "init sh", "child sleep", "child gone", "1", "NexaOS"]
    t.compare(want, lines, "what the script read in /proc", b)


# ------------------------------------------------- C programs against Linux

def chroot_linux(t, prog, args=()):
    """The lines PROG prints on this machine's Linux, run as root in a
    chroot of its initramfs tree (build/user/root) with /dev and /proc
    bound in, in a mount namespace of its own (unshare; a user namespace
    when the grader is not root).  None when this machine cannot do that:
    then the program's own checks decide alone."""
    root = (t.build / "user" / "root").resolve()
    if not shutil.which("unshare") or not (root / "bin" / prog).exists():
        return None
    script = (f'mount --bind /dev "{root}/dev" && mount --bind /proc "{root}/proc" && '
              f'exec chroot "{root}" /bin/{prog} "$@"')
    argv = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        argv += ["--user", "--map-root-user"]
    status, out = t.run(argv + ["sh", "-c", script, "sh", *args], log="linux")
    lines = [ln for ln in out.splitlines() if ln.startswith(prog + ": ")]
    if status != 0 and not lines:
        return None             # no namespace for us here: nothing to compare
    t.check(status == 0, f"{prog} failed on Linux (status {status})", lines[-20:])
    return lines


def c_program(t, prog, args=(), mem=None, linux=True):
    """Boots init=/bin/PROG: it must end with `PROG: ok` and print no FAIL
    line; where this machine can run it the same way (and linux: it uses
    only Linux's calls), its lines must equal what it prints on Linux."""
    b, lines = run(t, prog, args, mem=mem)
    mine = [ln for ln in lines if ln.startswith(prog + ": ")]
    bad = [ln for ln in mine if "FAIL" in ln]
    t.check(not bad, f"/bin/{prog} found {len(bad)} thing(s) wrong, the first: {bad[0]}"
            if bad else "", bad[:20], b)
    t.check(mine and mine[-1] == f"{prog}: ok", f"/bin/{prog} did not end with "
            f"`{prog}: ok`", lines[-20:], b)
    want = chroot_linux(t, prog, args) if linux else None
    if want is not None:
        t.compare(want, mine, f"/bin/{prog}'s lines (against the same binary on Linux)", b)


@test("files", emus=("qemu", "bochs"))
def files(t):
    """`init=/bin/files`: regular files in /tmp/files: lseek (SET, CUR,
    END, past the end, EINVAL), holes, truncate and ftruncate both ways,
    O_APPEND (through dup and F_SETFL too), O_EXCL, O_TRUNC, pread and
    pwrite (ESPIPE on a pipe), the vectored calls, sendfile, stat, unlink
    of an open file, rename over a file and over its own link, link
    counts, fsync, and a 4 MiB file read back in odd pieces: as on Linux."""
    c_program(t, "files")


@test("dirs", emus=("qemu", "bochs"))
def dirs(t):
    """`init=/bin/dirs`: 64 nested directories; 10,000 names listed by
    getdents64, each once with its type, also while unlinking; rename
    across directories (.. and link counts follow); ENOTEMPTY, EEXIST;
    chdir and getcwd through .. and links, ERANGE, a removed cwd; fchdir;
    the *at calls and renameat2's NOREPLACE and EXCHANGE: as on Linux."""
    c_program(t, "dirs")


@test("patherr", emus=("qemu", "bochs"))
def patherr(t):
    """`init=/bin/patherr`: 242 path walks and their errno, against Linux:
    "", missing parts, files used as directories, trailing slashes for
    every call, link loops and 40 vs 41 links, dangling links with
    O_CREAT, O_NOFOLLOW, O_DIRECTORY, O_PATH, 255/256-byte names and
    4095/4096-byte paths, "." and ".." for mkdir, rmdir, unlink and
    rename, renames into themselves and over the wrong type, link to a
    directory, bad dirfds, AT_EMPTY_PATH, bad pointers."""
    c_program(t, "patherr")


@test("fds", emus=("qemu", "bochs"))
def fds(t):
    """`init=/bin/fds`: dup, dup2, dup3, F_DUPFD(_CLOEXEC), F_GETFD/SETFD,
    F_GETFL/SETFL, offsets shared across dup and fork, EMFILE at
    RLIMIT_NOFILE (the lowest free descriptor reused), EBADF, close_range,
    close-on-exec across execve, and no memory kept after 10,000
    open/close and 10,000 pipe/close cycles: as on Linux."""
    c_program(t, "fds")


@test("pipes", emus=("qemu", "bochs"))
def pipes(t):
    """`init=/bin/pipes`: EOF, EPIPE (SIGPIPE ignored or blocked), death by
    SIGPIPE, 65536 bytes of room, O_NONBLOCK's EAGAIN and partial writes,
    4 writers of 4096-byte records never interleaved, 16 MiB checked byte
    by byte, FIONREAD, pipe2's flags, EFAULT without losing data."""
    c_program(t, "pipes")


@test("polltest", emus=("qemu", "bochs"))
def polltest(t):
    """`init=/bin/polltest`: poll, ppoll, select and pselect6 on pipes:
    POLLIN, POLLHUP, POLLERR, POLLNVAL, timeouts of 0 and 50 ms, select's
    remaining time, EINVAL, EBADF, EFAULT, and wake-ups from another
    process: as on Linux."""
    c_program(t, "polltest")


@test("devices", emus=("qemu", "bochs"))
def devices(t):
    """`init=/bin/devices`: /dev/null, /dev/zero (read, private and shared
    mmap), /dev/full, /dev/random and /dev/urandom, getrandom and its
    flags, /dev/tty without a terminal (ENXIO), mknod: as on Linux."""
    c_program(t, "devices")


@test("mmapfile", emus=("qemu", "bochs"))
def mmapfile(t):
    """`init=/bin/mmapfile`: mmap of a tmpfs file: MAP_PRIVATE copy on
    write, MAP_SHARED seen by read(), other mappings and a child, write()
    seen through a mapping, SIGBUS past the end and after a shrink, msync,
    EACCES, EINVAL, ENODEV, mprotect's limits: as on Linux."""
    c_program(t, "mmapfile")


@test("scripts", emus=("qemu", "bochs"))
def scripts(t):
    """`init=/bin/scripts`: #! lines split as Linux splits them (one
    argument, blanks trimmed, the 256-byte limit), scripts run by scripts
    (ELOOP past five), missing and unrunnable interpreters, EACCES,
    ENOTDIR, ENOEXEC, odd spellings of a path, and ETXTBSY both ways."""
    c_program(t, "scripts")


@test("vfsfuzz", emu_note="its 20,000 calls take minutes under Bochs")
def vfsfuzz(t):
    """`init=/bin/vfsfuzz`: 20,000 file-system calls with random and
    hostile arguments from two chrooted workers (paths with .., //, links,
    loops and over-long names, bad pointers, all kinds of descriptors,
    mounts); a worker blocked too long must die of SIGKILL; afterwards
    every mount and file is gone and the kernel has given back its memory
    and its open files."""
    b, lines = run(t, "vfsfuzz")
    mine = [ln for ln in lines if ln.startswith("vfsfuzz: ") and "blocked" not in ln]
    t.compare(["vfsfuzz: 20000 calls from 2 workers, the kernel carried on",
               "vfsfuzz: open files released", "vfsfuzz: memory returned", "vfsfuzz: ok"],
              mine, "/bin/vfsfuzz's verdict", b)
