"""Lab 7 grader: authentication.

The first tests check the kernel's credentials, capabilities and
permission checks: each boots `init=/bin/PROGRAM` (a C program of
user/bin), which starts as root and gives its privileges up itself; where
it uses only Linux's calls its lines must equal what the same binary
prints on this machine's Linux (run as root in a chroot of its initramfs
tree, as lab 5's C tests are). The others boot the whole system
(`init=/sbin/init`: authd, logd, login) and log in on serial, on the
PS/2 keyboard, from the ISO (BIOS and UEFI) and under Bochs.
"""

import re
import time

from gradelib import keys_for, test
from gradelib.core import TestFail
from lab5 import c_program


def c_test(name, doc, linux=True):
    """A test of C program NAME (lab 5's c_program), declared here so that
    it counts for lab 7: compared with Linux unless linux=False."""
    def fn(t):
        c_program(t, name, linux=linux)
    fn.__doc__ = doc
    fn.__name__ = name
    return test(name, emus=("qemu", "bochs"))(fn)


creds = c_test("creds", """`init=/bin/creds`: the set*id family's rules (setuid, seteuid,
    setreuid, setresuid and their gid twins, setfsuid, setfsgid: EPERM,
    EINVAL, saved ids), supplementary groups (sorted, EINVAL, EFAULT,
    EPERM), capabilities after each uid change (dropped, kept with
    PR_SET_KEEPCAPS, restored with euid 0, fs ones by setfsuid), capget and
    capset (version 3, a bad version's answer, EPERM), prctl's
    NO_NEW_PRIVS, KEEPCAPS and bounding set, /proc/self/status's Uid and
    Groups, and exec of set-user-ID and set-group-ID copies of itself
    (ids, capabilities, AT_SECURE and AT_UID..., nothing gained under
    NO_NEW_PRIVS): as on Linux.""")

perms = c_test("perms", """`init=/bin/perms`: what uid 1000 (group 50) may do with root's files
    in /tmp/perms: open (owner, group, other bits; O_TRUNC), directory
    search and listing, names made and removed, the sticky bit (also
    against a second user), chmod (S_ISGID dropped), chown and chgrp,
    utimensat, exec without x, S_ISUID and S_ISGID cleared by a write or
    a truncate (not by root's), a set-group-ID directory, the umask,
    access() with the real ids against AT_EACCESS, kill (EPERM; SIGCONT in
    the session), reboot (EPERM) and /proc of root's process: as on
    Linux.""")

chanperm = c_test("chanperm", """`init=/bin/chanperm`: channels between users, each line checking
    itself (nothing to compare with Linux): modes 0600, 0622, 0644 and a
    group's 0660 for users 1000 (in the group) and 2000, a user's own
    channel refused to the other, destroy by the owner or CAP_FOWNER only,
    root without CAP_DAC_OVERRIDE refused; reboot(2)'s EINVAL for bad
    magic or command, CAD_ON and CAD_OFF accepted, EPERM without
    CAP_SYS_BOOT.""", linux=False)


# ------------------------------------------------- authd, logd and login
# The full system (`init=/sbin/init`) as lab 7 builds it: init starts
# logd and authd and runs /bin/login on the console; the users and their
# passwords are tools/mkshadow.py's (bcrypt, cost 12).

def login_prompt(b):
    """Waits for login's prompt; fails at once where init says login cannot
    work or a shell's prompt comes instead (init's root shell: a lab-7 hole
    not done)."""
    m = b.expect(r"login: |^init: no authd, logd or login, (.*): a root shell"
                 r"|\S+@nexa:\S* ?[#$] ", partial=True, what="login's prompt")
    if m[0] != "login: ":
        why = m[1] and f"init found {m[1]}" or f"a shell's prompt `{m[0].strip()}` came"
        raise TestFail(f"no login prompt: {why}", boot=b)


def login(b, user, password, prompted=False):
    """Logs in on serial as user (prompted: `login:` already seen); waits
    for the shell's prompt."""
    if not prompted:
        login_prompt(b)
    b.send(user + "\r")
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send(password + "\r")
    mark = "#" if user == "root" else "\\$"
    m = b.expect(rf"{user}@nexa:~{mark} |^(login: cannot become [^\r\n]*)\r?\n", partial=True,
                 what=f"{user}'s shell prompt")
    if m.group(1):
        raise TestFail(f"no shell: {m.group(1)}", boot=b)


def refused(b, user, password, what="`Login incorrect`"):
    """At login's prompt, types user and a wrong password; expects
    `Login incorrect`."""
    b.send(user + "\r")
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send(password + "\r")
    b.expect(r"^Login incorrect\r?$", what=what)


def shell(b, text, pattern, what):
    """Types a command on serial and expects a line matching pattern."""
    b.send(text + "\r")
    return b.expect(pattern, what=what)


@test("login_serial")
def login_serial(t):
    """`init=/sbin/init`: login on serial refuses a wrong password (`Login
    incorrect`, the password not echoed) and accepts the right one; the
    student's shell runs with the user's ids and groups (`id`), in the
    home directory with HOME, USER, LOGNAME, SHELL set, and cannot read
    /etc/shadow (Permission denied) nor power the machine off; after
    `/bin/su` to root, /var/log/messages holds authd's records of the
    failure and the success, and root's `poweroff` ends it all."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        login_prompt(b)
        refused(b, "student", "wrongpass")
        t.check(not b.wait_for_text("wrongpass", 0.2), "the password was echoed")
        login(b, "student", "student")
        shell(b, "id", r"^uid=1000\(student\) gid=1000\(student\) "
              r"groups=100\(users\),1000\(student\)\r?$", "the student's ids")
        shell(b, "echo $HOME:$USER:$LOGNAME:$SHELL:$(pwd)",
              r"^/home/student:student:student:/bin/sh:/home/student\r?$",
              "the session's environment and directory")
        shell(b, "cat /etc/shadow", r"can't open '/etc/shadow': Permission denied",
              "/etc/shadow refused to the student")
        shell(b, "poweroff", r"^poweroff: .*Operation not permitted\r?$",
              "busybox's poweroff refused to the student")
        # Debian's busybox sh runs its own applets first (STANDALONE):
        # NexaOS's su goes by its path
        b.send("/bin/su\r")
        b.expect(r"Password: ", partial=True, what="su's password prompt")
        b.send("nexaos\r")
        b.expect(r"root@nexa:~# ", partial=True, what="root's prompt after su")
        shell(b, "id -u; grep -c 'login student: FAILED' /var/log/messages",
              r"^0\r?$", "root's uid after su")
        b.expect(r"^1\r?$", what="authd's record of the failure")
        shell(b, "grep -c 'login student: ok' /var/log/messages", r"^1\r?$",
              "authd's record of the success")
        b.send("poweroff\r")
        b.expect(r"^init: the system is going down for power-off\r?$",
                 what="init's shutdown on root's poweroff")
        status = b.wait_done()
        t.check(status == 1, f"QEMU exited with status {status} after root's poweroff "
                "(expected 1: a clean power-off)", boot=b)


def root_shell(t):
    """Boots the full system and logs in as root on serial."""
    b = t.qemu("init=/sbin/init", initrd=True)
    b.__enter__()
    login(b, "root", "nexaos")
    return b


@test("passwd_serial")
def passwd_serial(t):
    """`init=/sbin/init`: the student's `/bin/passwd` refuses another
    user's password, changes their own (old one asked, the new one twice);
    after `exit`, login refuses the old password and accepts the new."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        login(b, "student", "student")
        shell(b, "/bin/passwd root", r"^passwd: you may change only your own password\r?$",
              "passwd refusing root's password to the student")
        b.send("/bin/passwd\r")
        b.expect(r"^Changing password for student\r?$", what="passwd's first line")
        b.expect(r"Current password: ", partial=True, what="the old password's prompt")
        b.send("student\r")
        b.expect(r"New password: ", partial=True, what="the new password's prompt")
        b.send("n3wpass\r")
        b.expect(r"Retype password: ", partial=True, what="the retyped password's prompt")
        b.send("n3wpass\r")
        b.expect(r"^passwd: password for student changed\r?$", what="passwd's success")
        t.check(not b.wait_for_text("n3wpass", 0.2), "the new password was echoed")
        b.send("exit\r")
        b.expect(r"login: ", partial=True, what="login's prompt after exit")
        refused(b, "student", "student", "the old password refused")
        login(b, "student", "n3wpass")
        shell(b, "id -u", r"^1000\r?$", "the student's uid after the new password")


@test("authd_restart")
def authd_restart(t):
    """`init=/sbin/init`: root stops authd, leaves a job that kills it
    (SIGKILL) a few seconds later and logs out; the student's login sent
    meanwhile waits on authd's channel, init restarts authd and the new
    authd answers it: the login completes."""
    b = root_shell(t)
    try:
        b.send("A=$(pidof authd); kill -STOP $A; "
               "setsid sh -c \"sleep 8; kill -9 $A\" </dev/null >/dev/null 2>&1 & exit\r")
        b.expect(r"login: ", partial=True, what="login's prompt after root's exit")
        b.send("student\r")
        b.expect(r"Password: ", partial=True, what="the password prompt")
        b.send("student\r")
        t.check(not b.wait_for_text("student@nexa", 2),
                "the login completed while authd was stopped")
        b.expect(r"^init: /sbin/authd killed by signal 9\r?$", timeout=60,
                 what="init's report of authd's death, after the password was sent")
        b.expect(r"student@nexa:~\$ ", partial=True, what="the student's shell prompt")
        shell(b, "id -u", r"^1000\r?$", "the student's uid")
    finally:
        b.__exit__(None, None, None)


@test("logd_restart")
def logd_restart(t):
    """`init=/sbin/init`: with logd stopped, root's `/bin/su student`
    three times queues three records on logd's channel; logd killed
    (SIGKILL), init restarts it and the new logd writes all three to
    /var/log/messages."""
    b = root_shell(t)
    try:
        shell(b, "L=$(pidof logd); kill -STOP $L; echo stopped", r"^stopped\r?$",
              "logd stopped")
        for i in range(3):
            b.send("/bin/su student\r")
            b.expect(r"student@nexa:~\$ ", partial=True, what="su's student shell")
            b.send("exit\r")
            b.expect(r"root@nexa:~# ", partial=True, what="root's prompt again")
        shell(b, "grep -c 'to student: ok' /var/log/messages", r"^0\r?$",
              "no record written while logd is stopped")
        b.send("kill -9 $L\r")
        b.expect(r"init: /sbin/logd killed by signal 9\r?$", what="init's report of logd's death")
        shell(b, "sleep 2; grep -c 'su: uid 0 to student: ok' /var/log/messages", r"^3\r?$",
              "the three records written by the new logd")
    finally:
        b.__exit__(None, None, None)


@test("rate_limit")
def rate_limit(t):
    """`init=/sbin/init`: the student's `/bin/su` (password piped in),
    wrong passwords for root (again at once after a refusal, a second
    after a lock's answer): the first three are refused as wrong
    (`Authentication failure`), then authd locks the name for a growing
    delay (`too many failures`, nothing checked); root's right
    password just after is refused the same way; once the delay is over
    root logs in and /var/log/messages has the `refused: too many failures`
    records."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        login(b, "student", "student")
        # one letter an answer: A(uthentication failure), t(oo many
        # failures); a wrong password again at once after a refusal (so a
        # loaded machine cannot outlast the lock), a second after a lock's
        # answer, until the fifth checked one (a fresh lock of 4+ seconds);
        # root's right one at once after it
        b.send("n=0; i=0; s=; while [ $n -lt 5 -a $i -lt 40 ]; do "
               "r=$(echo wrong | /bin/su 2>&1 | sed -n 's/^su: //p' | cut -c1); "
               "s=$s$r; i=$((i+1)); [ \"$r\" = A ] && n=$((n+1)); "
               "[ \"$r\" = t ] && sleep 1; done; echo \"$s.\"; echo nexaos | /bin/su\r")
        b.expect(r"^AAA[At]*t[At]*A\.\r?$", what="three refusals, then the lock")
        m = b.expect(r"^su: too many failures: try again in (\d+) seconds\r?$",
                     what="root's right password refused while the name is locked")
        b.send(f"sleep {int(m.group(1)) + 2}; exit\r")
        b.expect(r"login: ", partial=True, what="login's prompt after the delay")
        login(b, "root", "nexaos", prompted=True)
        shell(b, "grep -c 'login root refused: too many failures' /var/log/messages | "
              "sed 's/^[1-9][0-9]*$/some/'", r"^some\r?$", "authd's records of the lock")


@test("authd_fuzz")
def authd_fuzz(t):
    """`init=/sbin/init`, root's `/bin/authfuzz`: authd keeps only
    CAP_DAC_OVERRIDE and logd no capability (effective, permitted and
    bounding sets, NoNewPrivs in /proc/PID/status); as uid 1000 it sends
    authd's channel a thousand random and broken requests (bad magic, op,
    lengths, unterminated or forbidden strings, reply channels not its
    own); authd stays the same process, still answers (malformed: BADREQ,
    wrong password: DENIED, right one: OK) and writes nothing into root's
    channels."""
    b = root_shell(t)
    try:
        b.send("/bin/authfuzz\r")
        m = b.expect(r"^authfuzz: (ok|FAIL.*)\r?$", what="authfuzz's verdict")
        t.check(m[1] == "ok", f"authfuzz: {m[1]}", boot=b, at=b.line_of(m.start()))
        t.check("init: /sbin/authd" not in b.text, "init reported authd's death", boot=b)
    finally:
        b.__exit__(None, None, None)


@test("unknown_user")
def unknown_user(t):
    """`init=/sbin/init`: a name nobody has gets login's `Login incorrect`
    as a wrong password does; root's `/bin/authtime` times login requests
    for unknown names and for the student's wrong password: both DENIED,
    their medians within a quarter of each other."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        login_prompt(b)
        refused(b, "nosuchuser", "wrongpass", "`Login incorrect` for an unknown user")
        login(b, "root", "nexaos")
        b.send("/bin/authtime\r")
        m = b.expect(r"^authtime: (ok|FAIL.*)\r?$", what="authtime's verdict")
        t.check(m[1] == "ok", f"authtime: {m[1]}", boot=b, at=b.line_of(m.start()))


# ------------------------------------------- the keyboard, the ISO, Bochs

SCREEN_WAIT = 15        # seconds for text to show on the VGA screen


def on_screen(t, b, pattern, what, timeout=SCREEN_WAIT):
    """Reads QEMU's VGA text screen until a row matches regex pattern;
    returns the screen (the test fails with it shown after timeout s)."""
    rx, end = re.compile(pattern), time.monotonic() + timeout * t.cfg.scale
    while True:
        s = b.screen_now()
        if any(rx.search(row) for row in s.rows):
            return s
        if time.monotonic() > end:
            t.fail(f"{what} did not appear on the VGA screen within "
                   f"{timeout * t.cfg.scale:.0f}s", s.dump(), boot=b)
        time.sleep(0.2)


def typed(b, text):
    """Types text on the PS/2 keyboard (QMP send-key)."""
    b.send_keys(keys_for(text))


def no_password(t, b, s, passwords):
    """Fails if the screen s shows one of the passwords: after `Password:`
    or on a row of its own (the name student is also a password: other
    rows may hold it)."""
    for row in s.rows:
        for pw in passwords:
            t.check(row != pw and not row.startswith("Password: " + pw) and
                    (pw == "student" or pw not in row),
                    f"the password `{pw}` shows on the VGA screen: echo was on",
                    s.dump(), boot=b)


@test("login_keys", emu_note="it presses keys on the PS/2 keyboard through QEMU's "
      "QMP and reads the VGA screen")
def login_keys(t):
    """`init=/sbin/init`, everything typed on the PS/2 keyboard (QMP
    send-key), checked on serial and on the VGA screen (read from QEMU's
    memory): `login:` and `Password:` show, the name typed is echoed
    (`login: student`), a wrong password is refused (`Login incorrect`)
    and never shows; the right one (student's) is accepted, `id` typed at
    once after it (while authd checks it) is not lost: the shell's prompt
    `student@nexa:~$`, the command and its output show on the screen,
    and the password never does."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        login_prompt(b)
        on_screen(t, b, r"^login:$", "login's prompt `login:`")
        typed(b, "student\r")
        b.expect(r"Password: ", partial=True, what="the password prompt")
        on_screen(t, b, r"^login: student$", "the name typed, echoed (`login: student`)")
        on_screen(t, b, r"^Password:$", "the password prompt `Password:`")
        typed(b, "wrongpass\r")
        b.expect(r"^Login incorrect\r?$", what="`Login incorrect`")
        b.expect(r"login: ", partial=True, what="login's prompt again")
        t.check("wrongpass" not in b.text, "the wrong password was echoed on serial")
        s = on_screen(t, b, r"^Login incorrect$", "`Login incorrect`")
        no_password(t, b, s, ["wrongpass"])
        typed(b, "student\r")
        b.expect(r"Password: ", partial=True, what="the password prompt")
        typed(b, "student\r" "id\r")
        b.expect(r"student@nexa:~\$ ", partial=True, what="the student's shell prompt")
        b.expect(r"^uid=1000\(student\) gid=1000\(student\) groups=100\(users\),"
                 r"1000\(student\)\r?$", what="`id`'s output (typed during the check)")
        on_screen(t, b, r"^uid=1000\(student\) gid=1000\(student\) "
                  r"groups=100\(users\),1000\(student\)$", "`id`'s output")
        s = on_screen(t, b, r"^student@nexa:~\$ id$", "the shell's prompt and `id`")
        no_password(t, b, s, ["wrongpass", "student"])
        t.check(s.rows.count("Password:") >= 2, "the two `Password:` prompts "
                "are not on the screen, each alone on its row", s.dump(), boot=b)


def iso_login(t, uefi):
    """Boots an ISO made for `init=/sbin/init` (the initramfs a GRUB
    module), BIOS or UEFI; logs in as root on serial; `id -u` says 0."""
    # OVMF itself fails in less than 128 MiB (GRADE_MEM=32 is the kernel's
    # test, not the firmware's)
    b = t.qemu("init=/sbin/init", iso=True, uefi=uefi, initrd=True,
               mem=128 if uefi else None)
    with b:
        b.expect(r"^init: NexaOS user space\r?$", what="/sbin/init's first line")
        login_prompt(b)
        login(b, "root", "nexaos", prompted=True)
        shell(b, "id -u", r"^0\r?$", "root's uid")


@test("login_iso", emu_note="it boots QEMU with OVMF, the UEFI firmware")
def login_iso(t):
    """An ISO (GRUB, multiboot2, `init=/sbin/init`, the initramfs as a
    module) under BIOS, then under UEFI (OVMF, a framebuffer and no VGA
    text mode): each time `login:` comes, root logs in on serial with the
    right password and `id -u` says 0."""
    iso_login(t, uefi=False)
    iso_login(t, uefi=True)


@test("login_bochs", emus=("qemu", "bochs"))
def login_bochs(t):
    """`init=/sbin/init` under Bochs whatever --emu says (an ISO the grader
    makes, the initramfs a GRUB module): `login:` comes, on serial a
    wrong password is refused (`Login incorrect`) and the student's right
    one accepted (bcrypt at cost 12 under Bochs), `id -u` says 1000."""
    with t.bochs("init=/sbin/init", initrd=True) as b:
        login_prompt(b)
        refused(b, "student", "wrongpass")
        login(b, "student", "student")
        shell(b, "id -u", r"^1000\r?$", "the student's uid")
