/* cpio: archives made by hand, lookups, and malformed archives refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <cpio_newc.h>
#include <errno.h>

static char archive[4096];
static size_t used;

/* Appends one newc entry (mode, name, data), padded as cpio pads. */
static void
add(unsigned mode, const char *name, const char *data)
{
	size_t namesize = strlen(name) + 1, size = strlen(data);

	used += (size_t)sprintf(archive + used,
		"070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(archive + used, name, namesize);
	used = (used + namesize + 3) & ~(size_t)3;
	memcpy(archive + used, data, size);
	used = (used + size + 3) & ~(size_t)3;
}

static void
build(void)
{
	memset(archive, 0, sizeof(archive));
	used = 0;
	add(040755, ".", "");
	add(040755, "bin", "");
	add(0100755, "bin/sh", "#!shell");
	add(0100644, "./etc/motd", "Welcome to NexaOS.\n");
	add(0, "TRAILER!!!", "");
}

static void
test_walk_and_find(void **state)
{
	struct cpio_entry e;
	size_t pos = 0;

	build();
	assert_int_equal(cpio_validate(archive, used), 4);
	assert_int_equal(cpio_next(archive, used, &pos, &e), 1);
	assert_string_equal(e.name, "");
	assert_int_equal(cpio_find(archive, used, "/bin/sh", &e), 0);
	assert_int_equal(e.mode, 0100755);
	assert_int_equal(e.size, 7);
	assert_memory_equal(e.data, "#!shell", 7);
	assert_int_equal(cpio_find(archive, used, "etc/motd", &e), 0);
	assert_int_equal(e.size, 19);
	assert_int_equal(cpio_find(archive, used, "./bin", &e), 0);
	assert_int_equal(e.mode & 0170000, 040000);
	assert_int_equal(cpio_find(archive, used, "/bin/ls", &e), -ENOENT);
	assert_int_equal(cpio_find(archive, 0, "/bin/sh", &e), -EINVAL);
}

static void
test_malformed(void **state)
{
	struct cpio_entry e;

	build();
	/* Cut inside a header, a name, file data, or before the trailer. */
	assert_int_equal(cpio_validate(archive, 50), -EINVAL);
	assert_int_equal(cpio_validate(archive, 111), -EINVAL);
	assert_int_equal(cpio_validate(archive, 112), -EINVAL);
	size_t sh = 0;
	for (int i = 0; i < 2; i++)
		assert_int_equal(cpio_next(archive, used, &sh, &e), 1);
	assert_int_equal(cpio_validate(archive, sh + 110 + 8 + 3), -EINVAL);
	/* A bad magic, a non-hex digit, a name size past the end, no NUL. */
	build();
	archive[0] = '1';
	assert_int_equal(cpio_validate(archive, used), -EINVAL);
	build();
	archive[6 + 8 + 3] = 'g';
	assert_int_equal(cpio_validate(archive, used), -EINVAL);
	build();
	memcpy(archive + 6 + 8 * 11, "7FFFFFFF", 8);
	assert_int_equal(cpio_validate(archive, used), -EINVAL);
	build();
	memcpy(archive + 6 + 8 * 11, "00000001", 8);	/* name "." without its NUL */
	archive[110] = '.';
	assert_int_equal(cpio_validate(archive, used), -EINVAL);
	/* A file size that runs past the end. */
	build();
	memcpy(archive + 6 + 8 * 6, "FFFFFFFF", 8);
	assert_int_equal(cpio_validate(archive, used), -EINVAL);
	assert_int_equal(cpio_find(archive, used, "bin/sh", &e), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_and_find),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
