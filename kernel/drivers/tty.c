/*
 * The console as a terminal (/dev/console, /dev/tty): Linux's line
 * discipline in small. Input arrives at interrupt time: with ISIG the
 * interrupt and quit characters signal the foreground process group at
 * once, with ECHO a typed key shows at once, and in canonical mode the
 * editing keys (erase, kill, word erase) work on the line until Enter
 * (or the EOF character) makes it readable. In non-canonical mode reads
 * follow VMIN and VTIME. Output goes through OPOST/ONLCR.
 *
 *   buf:  [tail ........ canon ........ head)
 *          complete lines  | the line being edited
 */
#include <abi.h>
#include <clock.h>
#include <console.h>
#include <init.h>
#include <kerrno.h>
#include <ksched.h>
#include <kstring.h>
#include <proc.h>
#include <usercopy.h>
#include <tty.h>
#include <vt.h>
#include <vfs.h>
#include <arch/cpu.h>

#define TTY_BUF		4096		/* a power of two */
#define TTY_CONSOLE	MKDEV(5, 1)
#define TTY_SELF	MKDEV(5, 0)

/* termios bits (Linux's). */
#define ISTRIP		0x20
#define INLCR		0x40
#define IGNCR		0x80
#define ICRNL		0x100
#define OPOST		0x1
#define ONLCR		0x4
#define OCRNL		0x8
#define ISIG		0x1
#define ICANON		0x2
#define ECHO		0x8
#define ECHOE		0x10
#define ECHOK		0x20
#define ECHONL		0x40
#define NOFLSH		0x80
#define ECHOCTL		0x200
#define TOSTOP		0x100
#define ECHOKE		0x800
#define IEXTEN		0x8000
enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL,
       VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 };

#define F_LINE_END	1		/* a character that completes a line */
#define F_EOF		2		/* the EOF character: ends the line, is not read */

struct tty {
	struct termios_abi t;
	struct winsize_abi ws;
	char buf[TTY_BUF];
	uint8_t flags[TTY_BUF];
	unsigned head, canon, tail;	/* free-running: used = head - tail */
	int sid, pgrp;			/* the session it controls and its foreground group */
	char read_wait;			/* wait channel */
};

static struct tty console = {
	.t = { 0x500, 0x5, 0xBF, 0x8A3B, 0,
	       { 3, 0x1C, 0x7F, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1A, 0, 0x12, 0xF, 0x17, 0x16, 0 } },
	.ws = { 25, 80, 0, 0 },
};

/* Output, after OPOST's translations. */
static void
out(struct tty *tty, char c)
{
	if (tty->t.c_oflag & OPOST) {
		if (c == '\n' && (tty->t.c_oflag & ONLCR))
			console_putc_raw('\r');
		else if (c == '\r' && (tty->t.c_oflag & OCRNL))
			c = '\n';
	}
	console_putc_raw(c);
}

/* Echoes c as typed: a control character as ^X with ECHOCTL. */
static void
echo(struct tty *tty, char c)
{
	if ((tty->t.c_lflag & ECHOCTL) && (unsigned char)c < ' ' && c != '\n' && c != '\t') {
		out(tty, '^');
		out(tty, (char)(c + '@'));
	} else if (c == 0x7F && (tty->t.c_lflag & ECHOCTL)) {
		out(tty, '^');
		out(tty, '?');
	} else {
		out(tty, c);
	}
}

/* Takes the last character of the line being edited back; false if none. */
static bool
unput(struct tty *tty)
{
	if (tty->head == tty->canon)
		return false;
	tty->head--;
	char c = tty->buf[tty->head % TTY_BUF];
	if (tty->t.c_lflag & ECHO && tty->t.c_lflag & ECHOE) {
		int width = (unsigned char)c < ' ' && (tty->t.c_lflag & ECHOCTL) ? 2 : 1;

		for (int i = 0; i < width; i++) {
			out(tty, '\b');
			out(tty, ' ');
			out(tty, '\b');
		}
	}
	return true;
}

static void
put(struct tty *tty, char c, uint8_t flags)
{
	if (tty->head - tty->tail >= TTY_BUF - 1)
		return;			/* full: the character is lost, as on Linux */
	tty->buf[tty->head % TTY_BUF] = c;
	tty->flags[tty->head % TTY_BUF] = flags;
	tty->head++;
}

static void
flush_input(struct tty *tty)
{
	tty->head = tty->canon = tty->tail;
}

/* A signal character: the foreground group hears of it. */
static void
signal_char(struct tty *tty, char c, int sig)
{
	if (!(tty->t.c_lflag & NOFLSH))
		flush_input(tty);
	if (tty->t.c_lflag & ECHO)
		echo(tty, c);
	if (tty->pgrp > 0)
		proc_kill_code(-tty->pgrp, sig, SI_KERNEL);
}

static void input_locked(char c);

/*
 * One character from the keyboard or the serial line (at interrupt
 * time), or an answer of the screen's (ESC [ 6 n, from a process): the
 * two must not meet in the buffer.
 */
static void
tty_input(char c)
{
	uint64_t flags = irq_save();

	input_locked(c);
	irq_restore(flags);
}

static void
input_locked(char c)
{
	struct tty *tty = &console;
	const uint8_t *cc = tty->t.c_cc;
	uint32_t lflag = tty->t.c_lflag;

	if (tty->t.c_iflag & ISTRIP)
		c &= 0x7F;
	if (c == '\r') {
		if (tty->t.c_iflag & IGNCR)
			return;
		if (tty->t.c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tty->t.c_iflag & INLCR)) {
		c = '\r';
	}
	if (lflag & ISIG) {
		if (c == cc[VINTR] && c) {
			signal_char(tty, c, SIGINT);
			return;
		}
		if (c == cc[VQUIT] && c) {
			signal_char(tty, c, SIGQUIT);
			return;
		}
		if (c == cc[VSUSP] && c) {
			signal_char(tty, c, SIGTSTP);
			return;
		}
	}
	if (lflag & ICANON) {
		/* The PC keyboard's Backspace gives ^H (lab 2's monitor wants it) where
		 * Linux's console gives DEL: both erase while DEL is the erase character. */
		if ((c == cc[VERASE] && c) || (c == '\b' && cc[VERASE] == 0x7F)) {
			unput(tty);
			return;
		}
		if (c == cc[VKILL] && c) {
			while (unput(tty))
				;
			return;
		}
		if (c == cc[VWERASE] && c && (lflag & IEXTEN)) {
			while (tty->head != tty->canon &&
			       tty->buf[(tty->head - 1) % TTY_BUF] == ' ')
				unput(tty);
			while (tty->head != tty->canon &&
			       tty->buf[(tty->head - 1) % TTY_BUF] != ' ')
				unput(tty);
			return;
		}
		if (c == cc[VEOF] && c) {
			put(tty, c, F_LINE_END | F_EOF);
			tty->canon = tty->head;
			sched_wakeup(&tty->read_wait);
			return;
		}
		bool end = c == '\n' || (c == cc[VEOL] && c) || (c == cc[VEOL2] && c);
		put(tty, c, end ? F_LINE_END : 0);
		if (lflag & ECHO || (c == '\n' && (lflag & ECHONL)))
			echo(tty, c);
		if (end) {
			tty->canon = tty->head;
			sched_wakeup(&tty->read_wait);
		}
		return;
	}
	put(tty, c, 0);
	tty->canon = tty->head;
	if (lflag & ECHO)
		echo(tty, c);
	sched_wakeup(&tty->read_wait);
}

/* Bytes a read could take now. */
static unsigned
readable(const struct tty *tty)
{
	return tty->canon - tty->tail;
}

/* Copies up to n readable bytes out (up to the end of a line in canonical mode). */
static int64_t
take(struct tty *tty, struct iobuf buf, uint64_t n)
{
	bool canonical = tty->t.c_lflag & ICANON;
	uint64_t done = 0;

	while (done < n && tty->tail != tty->canon) {
		uint64_t flags = irq_save();
		unsigned at = tty->tail % TTY_BUF;
		char c = tty->buf[at];
		uint8_t f = tty->flags[at];

		tty->tail++;
		irq_restore(flags);
		if (canonical && (f & F_EOF))
			break;			/* ends the line, is not read */
		if (iobuf_write(buf, done, &c, 1) < 0)
			return done ? (int64_t)done : -EFAULT;
		done++;
		if (canonical && (f & F_LINE_END))
			break;
	}
	return (int64_t)done;
}

/*
 * Job control: a process of the terminal's session outside its
 * foreground group that reads (or, with TOSTOP, writes, or changes the
 * terminal) stops its group with sig, unless it ignores or blocks sig:
 * then a read is EIO and the rest goes ahead. 0: go ahead.
 */
static int
background_check(struct tty *tty, int sig, bool reading)
{
	struct proc *p = proc_current();

	if (!tty->sid || p->sid != tty->sid || p->pgid == tty->pgrp)
		return 0;
	if (signal_ignored_or_blocked(p, sig))
		return reading ? -EIO : 0;
	if (proc_group_orphaned(p->pgid, NULL))
		return -EIO;	/* nobody would continue it after the stop */
	proc_kill_code(-p->pgid, sig, SI_KERNEL);
	return -ERESTARTSYS;
}

static int64_t
tty_read(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct tty *tty = &console;
	int r = background_check(tty, SIGTTIN, true);

	if (r < 0)
		return r;
	bool canonical = tty->t.c_lflag & ICANON;
	unsigned min = tty->t.c_cc[VMIN], time = tty->t.c_cc[VTIME];
	uint64_t deadline = 0, want = canonical ? 1 : min ? (min < n ? min : n) : 1;

	if (!canonical && time && !min)
		deadline = clock_ns() + time * 100000000UL;
	for (;;) {
		uint64_t flags = irq_save();
		unsigned have = readable(tty);

		if (have >= want || (have && (canonical || !min))) {
			irq_restore(flags);
			return take(tty, buf, n);
		}
		if (!canonical && !min && !time) {
			irq_restore(flags);
			return have ? take(tty, buf, n) : 0;
		}
		if (f->flags & O_NONBLOCK) {
			irq_restore(flags);
			return have ? take(tty, buf, n) : -EAGAIN;
		}
		/* VTIME with VMIN: a timer between bytes, from the first one on. */
		if (!canonical && time && min && have)
			deadline = clock_ns() + time * 100000000UL;
		if (deadline && clock_ns() >= deadline) {
			irq_restore(flags);
			return take(tty, buf, n);
		}
		int r = sched_sleep(&tty->read_wait, deadline);
		irq_restore(flags);
		if (r < 0)
			return readable(tty) ? take(tty, buf, n) : -ERESTARTSYS;
	}
}

static int64_t
tty_write(struct file *f, struct iobuf buf, uint64_t n, uint64_t *pos)
{
	struct tty *tty = &console;
	char chunk[256];
	uint64_t done = 0;
	int r = tty->t.c_lflag & TOSTOP ? background_check(tty, SIGTTOU, false) : 0;

	if (r < 0)
		return r;

	while (done < n) {
		uint64_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);

		if (proc_signal_pending())
			return done ? (int64_t)done : -ERESTARTSYS;
		if (iobuf_read(chunk, buf, done, k) < 0)
			return done ? (int64_t)done : -EFAULT;
		for (uint64_t i = 0; i < k; i++)
			out(tty, chunk[i]);
		done += k;
		sched_cond_resched();
	}
	return (int64_t)done;
}

static unsigned
tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = &console;

	poll_wait(pt, &tty->read_wait);
	return POLLOUT | POLLWRNORM | (readable(tty) ? POLLIN | POLLRDNORM : 0);
}

/* The process's session leads this terminal's session. */
static bool
controls(const struct tty *tty)
{
	return tty->sid && proc_current()->sid == tty->sid;
}

static int64_t
set_termios(struct tty *tty, uint64_t arg, unsigned cmd)
{
	struct termios_abi t;

	if (copy_from_user(&t, arg, sizeof(t)) < 0)
		return -EFAULT;
	uint64_t flags = irq_save();
	if (cmd == TCSETSF)
		flush_input(tty);
	tty->t = t;
	if (!(t.c_lflag & ICANON))
		tty->canon = tty->head;	/* the line being edited becomes readable */
	irq_restore(flags);
	sched_wakeup(&tty->read_wait);
	return 0;
}

static int64_t
tty_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct tty *tty = &console;
	struct proc *p = proc_current();
	int v;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &tty->t, sizeof(tty->t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if ((v = background_check(tty, SIGTTOU, false)) < 0)
			return v;
		return set_termios(tty, arg, cmd);
	case TIOCGWINSZ:
		return copy_to_user(arg, &tty->ws, sizeof(tty->ws));
	case TIOCSWINSZ:
		return copy_from_user(&tty->ws, arg, sizeof(tty->ws));
	case TIOCGPGRP:
		if (!controls(tty))
			return -ENOTTY;
		return copy_to_user(arg, &tty->pgrp, sizeof(tty->pgrp));
	case TIOCSPGRP:
		if (!controls(tty))
			return -ENOTTY;
		if ((v = background_check(tty, SIGTTOU, false)) < 0)
			return v;
		if (copy_from_user(&v, arg, sizeof(v)) < 0)
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
		if (!proc_group_in_session(v, p->sid))
			return -EPERM;
		tty->pgrp = v;
		return 0;
	case TIOCGSID:
		if (!controls(tty))
			return -ENOTTY;
		return copy_to_user(arg, &tty->sid, sizeof(tty->sid));
	case TIOCSCTTY:
		/* A session leader takes the terminal (root may steal it: arg 1). */
		if (p->sid != p->pid || (tty->sid && tty->sid != p->sid && !(arg == 1 && capable(CAP_SYS_ADMIN))))
			return -EPERM;
		tty->sid = p->sid;
		tty->pgrp = p->pgid;
		return 0;
	case TIOCNOTTY:
		if (!controls(tty))
			return -ENOTTY;
		if (p->sid == p->pid)
			tty->sid = tty->pgrp = 0;
		return 0;
	case FIONREAD:
		v = (int)readable(tty);
		return copy_to_user(arg, &v, sizeof(v));
	case TCFLSH:
		if (arg > 2)
			return -EINVAL;
		if (arg != 1) {
			uint64_t flags = irq_save();
			flush_input(tty);
			irq_restore(flags);
		}
		return 0;
	case TCXONC:
	case TCSBRK:
		return 0;
	case TIOCOUTQ:
		v = 0;
		return copy_to_user(arg, &v, sizeof(v));
	default:
		return -ENOTTY;
	}
}

/* Opening the console makes it the controlling terminal of a session leader without one. */
static int
tty_open(struct inode *inode, struct file *f)
{
	struct tty *tty = &console;
	struct proc *p = proc_current();

	if (inode->rdev == TTY_SELF && !controls(tty))
		return -ENXIO;		/* /dev/tty without a controlling terminal */
	/* From the first open on, typed keys go to the terminal, no longer to the monitor. */
	console_set_input_hook(tty_input);
	if (!(f->flags & O_NOCTTY) && !tty->sid && p->sid == p->pid) {
		tty->sid = p->sid;
		tty->pgrp = p->pgid;
	}
	return 0;
}

static const struct file_ops tty_ops = {
	.open = tty_open, .read = tty_read, .write = tty_write, .poll = tty_poll,
	.ioctl = tty_ioctl,
};

uint32_t
tty_of_session(int sid, int *fg_pgrp)
{
	if (!sid || console.sid != sid) {
		*fg_pgrp = -1;
		return 0;
	}
	*fg_pgrp = console.pgrp;
	return MKDEV(5, 1);
}

/*
 * A session leader's exit (not a failed fork's end, nor a reaping) hangs
 * its terminal up: the foreground group gets SIGHUP and SIGCONT, as on
 * Linux, and the terminal is free for the next session.
 */
static void
tty_release(struct proc *p)
{
	if (p->pid != console.sid)
		return;
	if (p->state == P_RUNNING && console.pgrp > 0) {
		proc_kill_code(-console.pgrp, SIGHUP, SI_KERNEL);
		proc_kill_code(-console.pgrp, SIGCONT, SI_KERNEL);
	}
	console.sid = console.pgrp = 0;
}

PROC_HOOKS(tty, .release = tty_release);

static void
tty_init(void)
{
	chrdev_register(5, 0, "tty", 0666, &tty_ops);
	chrdev_register(5, 1, "console", 0600, &tty_ops);
	console_set_screen_hook(vt_putc);
	vt_set_reply(tty_input);
}
INITCALL(INIT_FS, tty_init);
