/*
 * libxcrypt, the hashing authd links (lab 7): bcrypt ($2b$) against the
 * published vectors of Openwall's crypt_blowfish (wrapper.c's tests[],
 * which OpenBSD's bcrypt also passes), crypt_gensalt's bcrypt settings,
 * and yescrypt ($y$, Debian's default) verifying.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <crypt.h>

struct vector {
	const char *password;
	const char *hash;
};

/* crypt_blowfish 1.3 wrapper.c: $2a$ and $2b$ agree on these (< 255 bytes). */
static const struct vector bcrypt_vectors[] = {
	{ "U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" },
	{ "U*U*", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK" },
	{ "U*U*U", "$2b$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a" },
	{ "", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy" },
	{ "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	  "chars after 72 are ignored",
	  "$2b$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui" },
	{ "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" },
};

static void
test_bcrypt_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(bcrypt_vectors) / sizeof(bcrypt_vectors[0]); i++) {
		const struct vector *v = &bcrypt_vectors[i];
		const char *h = crypt(v->password, v->hash);

		assert_non_null(h);
		assert_string_equal(h, v->hash);
		h = crypt("wrong", v->hash);
		assert_non_null(h);
		assert_string_not_equal(h, v->hash);
	}
}

static void
test_bcrypt_72_bytes(void **state)
{
	/* Only the first 72 bytes of a password count. */
	const char *h = crypt("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
			      bcrypt_vectors[4].hash);

	assert_string_equal(h, bcrypt_vectors[4].hash);
}

static void
test_gensalt_bcrypt(void **state)
{
	static const char rbytes[16] = "0123456789abcdef";
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data data;
	const char *h;

	assert_non_null(crypt_gensalt_rn("$2b$", 12, rbytes, sizeof(rbytes),
					 setting, sizeof(setting)));
	assert_string_equal(setting, "$2b$12$KBCwKxOzLha2MUDgW0PjXe");
	/* cost 4, the least bcrypt takes, for a quick round trip */
	assert_non_null(crypt_gensalt_rn("$2b$", 4, rbytes, sizeof(rbytes),
					 setting, sizeof(setting)));
	assert_string_equal(setting, "$2b$04$KBCwKxOzLha2MUDgW0PjXe");
	memset(&data, 0, sizeof(data));
	h = crypt_rn("student", setting, &data, sizeof(data));
	assert_non_null(h);
	assert_int_equal(strlen(h), 60);
	assert_memory_equal(h, setting, strlen(setting));
	/* too few random bytes, a cost bcrypt does not have: refused */
	errno = 0;
	assert_null(crypt_gensalt_rn("$2b$", 12, rbytes, 8, setting, sizeof(setting)));
	assert_null(crypt_gensalt_rn("$2b$", 3, rbytes, sizeof(rbytes), setting, sizeof(setting)));
	assert_null(crypt_gensalt_rn("$2b$", 32, rbytes, sizeof(rbytes), setting, sizeof(setting)));
}

static void
test_yescrypt(void **state)
{
	/* made by Debian 13's libxcrypt 4.4 (crypt_gensalt "$y$", count 5) */
	static const char hash[] = "$y$j9T$V7qMYJaNbVKOeh4PhtqPk3bQnFLRqR5S$"
				   "TwCLEqLXonkigxhe/P.Rv.26VHOb6o6g8KDIeF54odC";
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	char h2[CRYPT_OUTPUT_SIZE];

	assert_string_equal(crypt("nexaos", hash), hash);
	assert_string_not_equal(crypt("nexaOS", hash), hash);
	assert_non_null(crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof(setting)));
	strcpy(h2, crypt("pw", setting));
	assert_string_equal(crypt("pw", h2), h2);
}

static void
test_bad_settings(void **state)
{
	/* a broken hash never matches: crypt fails with "*0" or "*1" (or NULL) */
	static const char *bad[] = { "", "*", "!", "$2b$", "$2b$05$short", "$2b$99$CCCCCCCCCCCCCCCCCCCCC." };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *h = crypt("U*U", bad[i]);

		assert_true(h == NULL || h[0] == '*');
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bcrypt_vectors),
		cmocka_unit_test(test_bcrypt_72_bytes),
		cmocka_unit_test(test_gensalt_bcrypt),
		cmocka_unit_test(test_yescrypt),
		cmocka_unit_test(test_bad_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
