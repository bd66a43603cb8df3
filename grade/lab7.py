"""Lab 7 grader: authentication. This first part checks the kernel's
credentials, capabilities and permission checks; authd, logd, login and
bcrypt come later.

Each test boots `init=/bin/PROGRAM` (a C program of user/bin), which
starts as root and gives its privileges up itself; where it uses only
Linux's calls its lines must equal what the same binary prints on this
machine's Linux (run as root in a chroot of its initramfs tree, as lab
5's C tests are).
"""

from gradelib import test
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

def login(b, user, password):
    """Logs in on serial as user; waits for the shell's prompt."""
    b.expect(r"login: ", partial=True, what="login's prompt")
    b.send(user + "\r")
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send(password + "\r")
    mark = "#" if user == "root" else "\\$"
    b.expect(rf"{user}@nexa:~{mark} ", partial=True, what=f"{user}'s shell prompt")


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
    /etc/shadow (Permission denied); /var/log/messages (read after `/bin/su`
    to root) holds authd's records of the failure and the success."""
    b = t.qemu("init=/sbin/init", initrd=True)
    with b:
        b.expect(r"login: ", partial=True, what="login's prompt")
        b.send("student\r")
        b.expect(r"Password: ", partial=True, what="the password prompt")
        b.send("wrongpass\r")
        b.expect(r"^Login incorrect\r?$", what="`Login incorrect`")
        t.check(not b.wait_for_text("wrongpass", 0.2), "the password was echoed")
        login(b, "student", "student")
        shell(b, "id", r"^uid=1000\(student\) gid=1000\(student\) "
              r"groups=100\(users\),1000\(student\)\r?$", "the student's ids")
        shell(b, "echo $HOME:$USER:$LOGNAME:$SHELL:$(pwd)",
              r"^/home/student:student:student:/bin/sh:/home/student\r?$",
              "the session's environment and directory")
        shell(b, "cat /etc/shadow", r"can't open '/etc/shadow': Permission denied",
              "/etc/shadow refused to the student")
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
