# User programs and the initial ramdisk; the top-level Makefile includes
# this after it has set BUILD. Each user/bin/NAME.c and user/sbin/NAME.c is
# one static musl program, linked with an archive of the objects of
# user/lib/*.c, so that it carries only the ones it calls.
#
#   make user        $(INITRD): a cpio newc archive of $(USER_BUILD)/root

USER_BUILD	:= $(BUILD)/user
USER_ROOT	:= $(USER_BUILD)/root
INITRD		:= $(BUILD)/initrd.cpio
PYTHON		?= python3

USER_CC		:= musl-gcc
USER_CFLAGS	:= -O2 -g -Wall -Wextra -Iuser/lib $(USER_DEFS)
ifeq ($(WERROR),1)
USER_CFLAGS	+= -Werror
endif
# musl-gcc's specs know nothing of -static-pie (they would link Scrt1.o and
# ask for ld-musl as interpreter): hello-pie gets musl's self-relocating
# rcrt1.o and the static-PIE link options by hand. (Deferred with '=', so
# that musl-gcc runs only when hello-pie is linked.)
MUSL_LIBDIR	?= /usr/lib/x86_64-linux-musl
USER_PIE_LINK	= -static-pie -nostartfiles -Wl,-static -Wl,--no-dynamic-linker \
		   -Wl,-z,text $(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
		   $(shell $(USER_CC) -print-file-name=crtbeginS.o)
USER_PIE_END	= -Wl,--start-group -lc -lgcc -lgcc_eh -Wl,--end-group \
		   $(shell $(USER_CC) -print-file-name=crtendS.o) $(MUSL_LIBDIR)/crtn.o

USER_BINS	:= $(patsubst user/%.c,$(USER_BUILD)/%,$(sort $(wildcard user/bin/*.c)))
USER_SBINS	:= $(patsubst user/%.c,$(USER_BUILD)/%,$(sort $(wildcard user/sbin/*.c)))
USER_PIE	:= $(USER_BUILD)/bin/hello-pie
USER_LIBSRCS	:= $(sort $(wildcard user/lib/*.c))
USER_LIBOBJS	:= $(patsubst user/%.c,$(USER_BUILD)/%.o,$(USER_LIBSRCS))
USER_PIEOBJS	:= $(patsubst user/lib/%.c,$(USER_BUILD)/lib-pie/%.o,$(USER_LIBSRCS))
USER_LIB	:= $(USER_BUILD)/lib/libuser.a
USER_PIELIB	:= $(USER_BUILD)/lib-pie/libuser.a

# Later labs add files to the initramfs (user/busybox.mk, lab 5): what the
# archive depends on, and the commands that put them into $(USER_ROOT).
INITRD_DEPS	:=
INITRD_STAGE	:=
-include user/busybox.mk
# Lab 7: authd, the users, and the owners and modes of a few entries.
INITRD_OWNERS	:=
-include user/auth.mk

.PHONY: user

user: $(INITRD)

$(USER_BUILD)/lib/%.o: user/lib/%.c | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,MUSL,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -fno-pie -MMD -MP -c -o $@ $<

$(USER_BUILD)/lib-pie/%.o: user/lib/%.c | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,MUSL,$< (PIE))
	$(Q)$(USER_CC) $(USER_CFLAGS) -fPIE -MMD -MP -c -o $@ $<

# (An empty user/lib makes an empty archive, which links as nothing.)
$(USER_LIB): $(USER_LIBOBJS)
	@mkdir -p $(dir $@)
	$(call step,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(USER_PIELIB): $(USER_PIEOBJS)
	@mkdir -p $(dir $@)
	$(call step,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(USER_BUILD)/bin/%: user/bin/%.c $(USER_LIB) | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,MUSL,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -static -fno-pie -no-pie -MMD -MP -MF $@.d \
		-o $@ $< $(USER_LIB)

$(USER_BUILD)/sbin/%: user/sbin/%.c $(USER_LIB) | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,MUSL,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -static -fno-pie -no-pie -MMD -MP -MF $@.d \
		-o $@ $< $(USER_LIB)

# The same hello as an ET_DYN, so that the kernel's loader meets a load bias.
$(USER_PIE): user/bin/hello.c $(USER_PIELIB) | check-deps-user
	@mkdir -p $(dir $@)
	$(call step,MUSL,$< (static PIE))
	$(Q)$(USER_CC) $(USER_CFLAGS) -fPIE -MMD -MP -MF $@.d $(USER_PIE_LINK) \
		-o $@ $< $(USER_PIELIB) $(USER_PIE_END)

# The root is staged afresh each time, so a removed program leaves it too.
# Fixed owner, modes, times and inode numbers and a sorted list make the
# archive depend on its contents only.
$(INITRD): $(USER_BINS) $(USER_SBINS) $(USER_PIE) tools/mkbadelf.py user/user.mk \
		$(INITRD_DEPS) | check-deps-user
	$(call step,CPIO,$@)
	@rm -rf $(USER_ROOT) && mkdir -p $(USER_ROOT)/bin $(USER_ROOT)/sbin $(USER_ROOT)/etc
	$(Q)cp $(USER_BINS) $(USER_PIE) $(USER_ROOT)/bin/
	$(Q)$(if $(USER_SBINS),cp $(USER_SBINS) $(USER_ROOT)/sbin/)
	@# The initramfs gets stripped copies (GRUB loads it byte by byte from
	@# the CD); gdb takes the symbols from $(USER_BUILD)/bin.
	$(Q)strip --strip-debug $(USER_ROOT)/bin/* $(USER_ROOT)/sbin/*
	$(Q)$(PYTHON) tools/mkbadelf.py $(USER_ROOT)/bin/bad $(USER_BUILD)/bin/hello
	$(Q)echo 'Welcome to NexaOS.' > $(USER_ROOT)/etc/motd
	$(INITRD_STAGE)
	$(INITRD_STAGE_AUTH)
	@chmod -R u=rwX,go=rX $(USER_ROOT) && \
		chmod 755 $(USER_ROOT)/bin/* $(USER_ROOT)/sbin/* $(USER_ROOT)/bin/bad/* && \
		{ [ ! -d $(USER_ROOT)/tmp ] || chmod 1777 $(USER_ROOT)/tmp; } && \
		{ [ ! -d $(USER_ROOT)/root ] || chmod 700 $(USER_ROOT)/root; } && \
		find $(USER_ROOT) -exec touch -h -d @$${SOURCE_DATE_EPOCH:-0} {} +
	$(Q)cd $(USER_ROOT) && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort | \
		cpio -o -H newc --quiet --owner=0:0 --reproducible > $(abspath $@).tmp
	$(if $(strip $(INITRD_OWNERS)),$(Q)$(PYTHON) tools/cpio-own.py $@.tmp $(INITRD_OWNERS))
	$(Q)mv $@.tmp $@

-include $(USER_BINS:=.d) $(USER_SBINS:=.d) $(USER_PIE:=.d) \
	$(USER_LIBOBJS:.o=.d) $(USER_PIEOBJS:.o=.d)
