/*
 * syslog(2), what dmesg reads: the kernel's messages as the console
 * printed them, the last CONSOLE_LOG_SIZE bytes (console.c keeps them).
 */
#include <console.h>
#include <kerrno.h>
#include <kmalloc.h>
#include <ksyscall.h>
#include <param.h>
#include <proc.h>
#include <usercopy.h>

enum {
	SYSLOG_CLOSE, SYSLOG_OPEN, SYSLOG_READ, SYSLOG_READ_ALL, SYSLOG_READ_CLEAR,
	SYSLOG_CLEAR, SYSLOG_CONSOLE_OFF, SYSLOG_CONSOLE_ON, SYSLOG_CONSOLE_LEVEL,
	SYSLOG_SIZE_UNREAD, SYSLOG_SIZE_BUFFER,
};

SYSCALL(syslog, 5)
{
	int action = (int)a0, len = (int)a2;
	bool root = capable(CAP_SYSLOG);

	switch (action) {
	case SYSLOG_READ_ALL:
	case SYSLOG_READ_CLEAR:
	case SYSLOG_READ: {
		if (len < 0)
			return -EINVAL;
		if (action != SYSLOG_READ_ALL && !root)
			return -EPERM;
		char *buf = kmalloc(CONSOLE_LOG_SIZE);
		if (!buf)
			return -ENOMEM;
		size_t n = console_log(buf, (size_t)len);
		int r = copy_to_user(a1, buf, n) < 0 ? -EFAULT : (int)n;
		kfree(buf);
		if (r >= 0 && action != SYSLOG_READ_ALL)
			console_log_clear();
		return r;
	}
	case SYSLOG_CLOSE:
	case SYSLOG_OPEN:
		return 0;
	case SYSLOG_CLEAR:
	case SYSLOG_CONSOLE_OFF:
	case SYSLOG_CONSOLE_ON:
	case SYSLOG_CONSOLE_LEVEL:
		if (!root)
			return -EPERM;
		if (action == SYSLOG_CLEAR)
			console_log_clear();
		if (action == SYSLOG_CONSOLE_LEVEL && (len < 1 || len > 8))
			return -EINVAL;
		return 0;
	case SYSLOG_SIZE_UNREAD:
		return (int64_t)console_log(NULL, 0);
	case SYSLOG_SIZE_BUFFER:
		return CONSOLE_LOG_SIZE;
	default:
		return -EINVAL;
	}
}
