# Lab 5: the shell and the everyday tools are Debian's unmodified
# busybox-static (tools/busybox.sh fetches and checks it), installed as
# /bin/busybox with a link per applet, beside the configuration in user/etc.
# The course's own programs keep their names: an applet that would take the
# name of one of them (or of /sbin/init) gets no link.

BUSYBOX		:= $(BUILD)/busybox/busybox

$(BUSYBOX): tools/busybox.sh
	$(call step,FETCH,busybox-static)
	$(Q)tools/busybox.sh $(dir $@)

INITRD_DEPS	+= $(BUSYBOX) $(wildcard user/etc/*)
define INITRD_STAGE
	$(Q)cp $(BUSYBOX) $(USER_ROOT)/bin/busybox
	$(Q)cp -r user/etc/. $(USER_ROOT)/etc/
	$(Q)mkdir -p $(USER_ROOT)/proc $(USER_ROOT)/dev $(USER_ROOT)/tmp $(USER_ROOT)/root
	$(Q)$(BUSYBOX) --list-full | while read -r path; do \
		name=$${path##*/}; \
		case $$path in *sbin/*) dir=sbin; to=../bin/busybox ;; *) dir=bin; to=busybox ;; esac; \
		[ -e $(USER_ROOT)/bin/$$name ] || [ -e $(USER_ROOT)/sbin/$$name ] || \
			ln -s $$to $(USER_ROOT)/$$dir/$$name; \
	done
endef
