/* Copies across the user/kernel boundary (see usercopy.h). */
#include <kstring.h>
#include <kerrno.h>
#include <layout.h>
#include <usercopy.h>

bool
user_range_ok(uint64_t va, size_t n)
{
	/* Linux's access_ok: only the top is checked; a low address faults in the copy. */
	return va + n >= va && va + n <= USER_TOP;
}

#if SOL >= 4
int
copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return -EFAULT;
	return usercopy_raw(dst, (const void *)usrc, n) ? -EFAULT : 0;
}

int
copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return usercopy_raw((void *)udst, src, n) ? -EFAULT : 0;
}
#else
int
copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	/* LAB 4: your code here. Refuse ranges outside user space
	 * (user_range_ok), then copy with usercopy_raw, which returns the
	 * bytes it could not copy when the page fault fixup stopped it. */
	(void)dst, (void)usrc, (void)n;
	return -EFAULT;
}

int
copy_to_user(uint64_t udst, const void *src, size_t n)
{
	/* LAB 4: your code here. */
	(void)udst, (void)src, (void)n;
	return -EFAULT;
}
#endif

long
copy_string_from_user(char *dst, uint64_t usrc, size_t max)
{
	/*
	 * In pieces of at most 128 bytes that never cross a page the string
	 * does not reach (it may end just before an unmapped one): a short
	 * string costs a short copy.
	 */
	for (size_t i = 0; i < max;) {
		size_t chunk = PAGE_SIZE - ((usrc + i) & (PAGE_SIZE - 1));

		if (chunk > 128)
			chunk = 128;
		if (chunk > max - i)
			chunk = max - i;
		if (copy_from_user(dst + i, usrc + i, chunk) < 0)
			return -EFAULT;
		size_t len = strnlen(dst + i, chunk);
		if (len < chunk)
			return (long)(i + len);
		i += chunk;
	}
	return -ENAMETOOLONG;
}

long
strnlen_user(uint64_t usrc, size_t max)
{
	char buf[256];

	/* In pieces that never cross a page the string does not reach. */
	for (size_t i = 0; i < max;) {
		size_t chunk = PAGE_SIZE - ((usrc + i) & (PAGE_SIZE - 1));

		if (chunk > sizeof(buf))
			chunk = sizeof(buf);
		if (chunk > max - i)
			chunk = max - i;
		if (copy_from_user(buf, usrc + i, chunk) < 0)
			return -EFAULT;
		size_t len = strnlen(buf, chunk);
		if (len < chunk)
			return (long)(i + len);
		i += chunk;
	}
	return -ENAMETOOLONG;
}
