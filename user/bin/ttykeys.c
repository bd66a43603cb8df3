/*
 * The console as a terminal, driven by keys the grader types: canonical
 * mode with its editing (erase, kill, word erase) and end of file,
 * non-canonical mode with VMIN and VTIME, echo off, and Ctrl-C sending
 * SIGINT to the foreground process group. Before each step it prints
 * `ttykeys: ready STEP` and waits for what the grader types.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct termios saved;

static void
fail(const char *what)
{
	printf("ttykeys: FAIL %s\n", what);
	tcsetattr(0, TCSANOW, &saved);
	_exit(1);
}

static void
ready(const char *step)
{
	printf("ttykeys: ready %s\n", step);
	fflush(stdout);
}

/* One read(2) of at most n bytes, shown with its control characters escaped. */
static void
read_once(const char *step, size_t n)
{
	char buf[256], shown[1024];
	ssize_t r = read(0, buf, n);

	if (r < 0)
		fail(step);
	size_t k = 0;
	for (ssize_t i = 0; i < r; i++)
		k += (size_t)snprintf(shown + k, sizeof(shown) - k,
				      (unsigned char)buf[i] < ' ' ? "\\x%02x" : "%c", buf[i]);
	shown[k] = '\0';
	printf("ttykeys: %s read %zd \"%s\"\n", step, r, shown);
}

static void
set_mode(tcflag_t lflag_off, cc_t min, cc_t time)
{
	struct termios t = saved;

	t.c_lflag &= ~lflag_off;
	t.c_cc[VMIN] = min;
	t.c_cc[VTIME] = time;
	if (tcsetattr(0, TCSAFLUSH, &t) < 0)
		fail("tcsetattr");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Ctrl-C reaches the foreground group only: a child put there dies of
 * SIGINT. As a shell does, the parent moves the terminal between the
 * groups, ignoring SIGTTOU (it is in the background for a while).
 */
static void
interrupt(void)
{
	signal(SIGTTOU, SIG_IGN);
	pid_t child = fork();

	if (child == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(child, child);
	if (tcsetpgrp(0, child) < 0)
		fail("tcsetpgrp");
	ready("intr");
	int status;
	if (waitpid(child, &status, 0) != child)
		fail("waitpid");
	printf("ttykeys: intr child %s\n",
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGINT ? "killed by SIGINT" : "odd");
	tcsetpgrp(0, getpgrp());	/* back in front */
}

int
main(void)
{
	struct winsize ws;

	if (tcgetattr(0, &saved) < 0)
		fail("tcgetattr");
	printf("ttykeys: icanon %d echo %d isig %d veof %d verase %d\n",
	       !!(saved.c_lflag & ICANON), !!(saved.c_lflag & ECHO), !!(saved.c_lflag & ISIG),
	       saved.c_cc[VEOF], saved.c_cc[VERASE]);
	if (ioctl(0, TIOCGWINSZ, &ws) < 0)
		fail("TIOCGWINSZ");
	printf("ttykeys: window %s\n", ws.ws_row && ws.ws_col ? "sized" : "zero");

	/* The session and the terminal: init has no controlling terminal yet. */
	setsid();
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		fail("TIOCSCTTY");
	printf("ttykeys: foreground is us: %s\n", tcgetpgrp(0) == getpgrp() ? "yes" : "no");

	ready("edit");			/* the grader types: abc DEL d ^U xyz ^W hello RET */
	read_once("edit", sizeof(saved));
	ready("eof");			/* ^D on an empty line */
	read_once("eof", 100);
	ready("partial");		/* ab ^D: the line so far, without a newline */
	read_once("partial", 100);
	ready("short");			/* one two RET, read 4 bytes at a time */
	read_once("short", 4);
	read_once("short", 4);

	set_mode(ICANON, 3, 0);
	ready("vmin");			/* xy, a pause, z: the read returns with all 3 */
	read_once("vmin", 100);
	set_mode(ICANON, 0, 2);
	double t0 = now();
	read_once("vtime", 100);	/* nothing typed: 0 after 0.2 s */
	printf("ttykeys: vtime waited %s\n", now() - t0 >= 0.15 ? "enough" : "too little");
	set_mode(ECHO, 1, 0);
	ready("noecho");		/* secret RET, not echoed */
	read_once("noecho", 100);
	tcsetattr(0, TCSANOW, &saved);

	struct pollfd p = { 0, POLLIN, 0 };
	ready("poll");			/* q RET */
	printf("ttykeys: poll %d\n", poll(&p, 1, 10000));
	read_once("poll", 100);

	interrupt();
	printf("ttykeys: ok\n");
	return 0;
}
