/* cmdline: word splitting with quotes, the word limit, key=value lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <cmdline.h>

static void
test_split_words(void **state)
{
	char line[] = "  test=printf \t hz=1000  quiet ";
	char *argv[8];

	assert_int_equal(cmdline_split(line, argv, 8), 3);
	assert_string_equal(argv[0], "test=printf");
	assert_string_equal(argv[1], "hz=1000");
	assert_string_equal(argv[2], "quiet");
}

static void
test_split_quotes(void **state)
{
	char line[] = "init=/bin/sh args=\"a b  c\" x\"y z\"w \"\"";
	char *argv[8];

	assert_int_equal(cmdline_split(line, argv, 8), 4);
	assert_string_equal(argv[0], "init=/bin/sh");
	assert_string_equal(argv[1], "args=a b  c");
	assert_string_equal(argv[2], "xy zw");
	assert_string_equal(argv[3], "");
}

static void
test_split_empty_and_limit(void **state)
{
	char empty[] = " \t ";
	char many[] = "a b c d";
	char exact[] = "a b";
	char *argv[3];

	assert_int_equal(cmdline_split(empty, argv, 3), 0);
	assert_int_equal(cmdline_split(many, argv, 3), -1);
	assert_int_equal(cmdline_split(exact, argv, 2), 2);
}

static void
test_value(void **state)
{
	char line[] = "test=printf quiet hz= hzz=5";
	char *argv[8];
	int argc = cmdline_split(line, argv, 8);

	assert_string_equal(cmdline_value(argc, argv, "test"), "printf");
	assert_string_equal(cmdline_value(argc, argv, "quiet"), "");
	assert_string_equal(cmdline_value(argc, argv, "hz"), "");
	assert_string_equal(cmdline_value(argc, argv, "hzz"), "5");
	assert_null(cmdline_value(argc, argv, "tes"));
	assert_null(cmdline_value(argc, argv, "missing"));
}

static void
test_has(void **state)
{
	char line[] = "debug=exec,oom debugx=all one=exec";
	char *argv[8];
	int argc = cmdline_split(line, argv, 8);

	assert_true(cmdline_has(argc, argv, "debug", "exec"));
	assert_true(cmdline_has(argc, argv, "debug", "oom"));
	assert_false(cmdline_has(argc, argv, "debug", "ex"));
	assert_false(cmdline_has(argc, argv, "debug", "all"));
	assert_true(cmdline_has(argc, argv, "one", "exec"));
	assert_false(cmdline_has(argc, argv, "missing", "exec"));
}

static void
test_debug(void **state)
{
	char some[] = "debug=usb,apic", all[] = "quiet debug", every[] = "debug=all";
	char none[] = "debugx=all hz=100";
	char *argv[8];
	int argc = cmdline_split(some, argv, 8);

	assert_true(cmdline_debug(argc, argv, "usb"));
	assert_true(cmdline_debug(argc, argv, "apic"));
	assert_false(cmdline_debug(argc, argv, "boot"));
	argc = cmdline_split(all, argv, 8);
	assert_true(cmdline_debug(argc, argv, "boot"));
	argc = cmdline_split(every, argv, 8);
	assert_true(cmdline_debug(argc, argv, "syscall"));
	argc = cmdline_split(none, argv, 8);
	assert_false(cmdline_debug(argc, argv, "usb"));
}

static void
test_uint(void **state)
{
	char line[] = "hz=1000 maxproc= bad=12x big=999999999999 zero=0";
	char *argv[8];
	int argc = cmdline_split(line, argv, 8);

	assert_int_equal(cmdline_uint(argc, argv, "hz", 100), 1000);
	assert_int_equal(cmdline_uint(argc, argv, "maxproc", 7), 7);
	assert_int_equal(cmdline_uint(argc, argv, "bad", 7), 7);
	assert_int_equal(cmdline_uint(argc, argv, "big", 7), 7);
	assert_int_equal(cmdline_uint(argc, argv, "zero", 7), 0);
	assert_int_equal(cmdline_uint(argc, argv, "missing", 9), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_empty_and_limit),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_debug),
		cmocka_unit_test(test_uint),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
