# Lab 7: authentication. authd links libxcrypt (crypt_rn, crypt_gensalt_rn)
# statically, and Debian's libcrypt.a is built for glibc (it asks for
# glibc's fortify and versioned symbols, which musl lacks): authd is the one
# program built with gcc -static against glibc, as Debian's busybox-static
# is, and NexaOS runs such binaries as they are. user/lib's sources are
# (nexa.c, auth.c)
# compiled into it afresh with gcc (objects of two libcs do not mix).
# /etc/passwd, /etc/group and /etc/shadow get their users here (passwords in
# user/README.md), and tools/cpio-own.py gives the archive's entries their
# owners and modes: /etc/shadow root's 0600, /home/student the student's,
# su and passwd set-user-ID root.

AUTHD		:= $(USER_BUILD)/sbin/authd
LIBCRYPT_A	?= /usr/lib/x86_64-linux-gnu/libcrypt.a
AUTH_USERS	:= tools/mkshadow.py

AUTHD_LIBSRCS	:= user/lib/nexa.c user/lib/auth.c

$(AUTHD): user/sbin/authd.c $(AUTHD_LIBSRCS) $(wildcard user/lib/*.h) user/auth.mk | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,GCC,$< (static glibc, libxcrypt))
	$(Q)gcc $(USER_CFLAGS) -static -fno-pie -no-pie -o $@ $< $(AUTHD_LIBSRCS) $(LIBCRYPT_A)

INITRD_DEPS	+= $(AUTH_USERS) tools/cpio-own.py user/auth.mk
define INITRD_STAGE_AUTH
	$(Q)$(PYTHON) $(AUTH_USERS) $(USER_ROOT)
endef
INITRD_OWNERS	:= etc/shadow=0:0:0600 home/student=1000:1000:0700 var/log=0:0:0755 \
		   bin/su=0:0:4755 bin/passwd=0:0:4755
