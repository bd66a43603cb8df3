# NexaOS build. `make help` lists the targets.
# LAB=N names the lab to grade, never a build.

# DEBUG=1: -Og, so that GDB's breakpoints and single steps follow the source,
# and the kernel names each system call it lacks (as debug=syscall does).
# SAN=1: the undefined-behaviour sanitizer in the kernel (kernel/debug/ubsan.c).
# V=1: print every command in full (the default is one short line per step).
DEBUG		?= 0
SAN		?= 0
OPT		:= $(if $(filter 1,$(DEBUG)),-Og -DNEXA_DEBUG,-O2)
BUILD		?= build$(if $(filter 1,$(DEBUG)),/debug)$(if $(filter 1,$(SAN)),/san)
PYTHON		:= python3
TEST_CMD	= $(PYTHON) grade/grade.py --build $(BUILD)

.DEFAULT_GOAL	:= all

# Quiet build: `$(call step,CC,FILE)` prints "  CC      FILE", and $(Q)
# hides the command itself; the compiler's warnings still show. V=1 prints
# the commands instead; make -s prints neither.
ifeq ($(V),1)
Q		:=
step		= @:
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q		:= @
step		= @:
else
Q		:= @
step		= @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

# The instructor's tree only (never in a student branch): staged builds,
# `make labs`, and the full `make test`.
-include labs/instructor.mk

CC		:= gcc
LD		:= ld
OBJCOPY		:= objcopy
QEMU		:= qemu-system-x86_64
MEM		?= 128
CMDLINE		?=
EMU		?= qemu
GDBPORT		:= $(shell expr 26000 + $$(id -u) % 5000)
DEPS		:= tools/deps.sh check

# User programs and the initramfs (from lab 4 on): INITRD, make user.
-include user/user.mk

# The vDSO's code (kernel/arch/x86_64/vdso/*.c) runs in user space: built on its own.
VDSO_DIR	:= kernel/arch/x86_64/vdso
KSRCS		:= $(sort $(filter-out $(VDSO_DIR)/%.c,$(shell find kernel -name '*.c' -o -name '*.S')))
KOBJS		:= $(patsubst %,$(BUILD)/%.o,$(KSRCS))
LDSCRIPT	:= kernel/arch/x86_64/kernel.ld

KCFLAGS		:= -std=gnu11 $(OPT) -g -ffreestanding -nostdinc \
		   -isystem $(shell $(CC) -print-file-name=include) \
		   -m64 -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
		   -fno-pie -fno-pic -fno-stack-protector -fno-common \
		   -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
		   -fno-optimize-sibling-calls -fno-asynchronous-unwind-tables \
		   -Wall -Wextra -Wno-unused-parameter \
		   -Ikernel/include -Ikernel/arch/x86_64/include \
		   $(KDEFS) -MMD -MP
# Warnings are errors for us (WERROR=1 in make test), not for a student's newer GCC.
ifeq ($(WERROR),1)
KCFLAGS		+= -Werror
endif
ifeq ($(SAN),1)
# Alignment is left out: packed boot-information structures are read on purpose.
KCFLAGS		+= -fsanitize=undefined -fno-sanitize=alignment
endif
KLDFLAGS	:= -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
		   --no-warn-rwx-segments -T $(LDSCRIPT)

.PHONY: bench bench-linux fuzz handin all kernel iso qemu qemu-nox qemu-iso qemu-uefi qemu-gdb gdb bochs \
	bochs-nox grade test unit deps clean help check-deps-%

all: kernel iso $(INITRD)

help:
	@echo "make               build $(BUILD)/kernel.elf and $(BUILD)/nexaos.iso"
	@echo "make qemu          boot in QEMU (window if there is a display; serial here)"
	@echo "make qemu-nox      boot in QEMU, serial console in this terminal"
	@echo "make qemu-iso      boot the GRUB ISO (BIOS); qemu-uefi: the same with OVMF"
	@echo "make qemu-gdb      QEMU halted, waiting for GDB on port $(GDBPORT); then: gdb -x .gdbinit"
	@echo "make bochs         boot the ISO in Bochs (its debugger; type c to run)"
	@echo "make bochs-nox     Bochs headless, serial in $(BUILD)/bochs-serial.log"
	@echo "make grade         grade every lab (LAB=N: one lab, TEST=name: one test, EMU=bochs)"
	@echo "make bench         boot the lab-4 benchmark and print its table"
	@echo "make bench-linux   the same on NexaOS and on Debian's Linux, compared"
	@echo "make fuzz          10^6 random system calls from 4 processes (FUZZ_CALLS, FUZZ_PROCS;"
	@echo "                   FUZZER=vfsfuzz: the file system calls, from lab 5 on)"
	@echo "make test          every test: unit tests and graders"
	@echo "make unit          host unit tests of the pure kernel modules"
	@echo "make deps          install the Debian packages NexaOS needs"
	@echo "CMDLINE='test=printf' sets the kernel command line; MEM=64 the RAM in MiB"
	@echo "DEBUG=1 builds with -Og into build/debug, for stepping in GDB"
	@echo "SAN=1 builds with the undefined-behaviour sanitizer into build/san"
	@echo "V=1 prints the build's full command lines"

kernel: $(BUILD)/kernel.elf $(BUILD)/kernel32.elf

check-deps-%:
	@$(DEPS) $*

$(BUILD)/%.c.o: %.c | check-deps-build
	@mkdir -p $(dir $@)
	$(call step,CC,$<)
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

$(BUILD)/%.S.o: %.S | check-deps-build
	@mkdir -p $(dir $@)
	$(call step,AS,$<)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c -o $@ $<

# The vDSO: position-independent user code, linked as a shared object
# whose file is its memory image, then embedded in the kernel (image.S).
VDSO_SO		:= $(BUILD)/vdso/vdso.so
VDSO_CFLAGS	:= -std=gnu11 -O2 -fPIC -ffreestanding -nostdinc \
		   -isystem $(shell $(CC) -print-file-name=include) -fno-stack-protector \
		   -fno-asynchronous-unwind-tables -Wall -Wextra -DVDSO_BUILD \
		   -Ikernel/include -Ikernel/arch/x86_64/include -MMD -MP
VDSO_LDFLAGS	:= -nostdlib -shared -Wl,-T,$(VDSO_DIR)/vdso.ld -Wl,--hash-style=both \
		   -Wl,-soname=linux-vdso.so.1 -Wl,-Bsymbolic -Wl,--no-undefined \
		   -Wl,-z,max-page-size=4096 -Wl,--build-id=none
VDSO_OBJS	:= $(patsubst %.c,$(BUILD)/vdso/%.o,$(notdir $(wildcard $(VDSO_DIR)/*.c)))

$(BUILD)/vdso/%.o: $(VDSO_DIR)/%.c | check-deps-build
	@mkdir -p $(dir $@)
	$(call step,CC,$<)
	$(Q)$(CC) $(VDSO_CFLAGS) -c -o $@ $<

$(VDSO_SO): $(VDSO_OBJS) $(VDSO_DIR)/vdso.ld
	$(call step,LD,$@)
	$(Q)$(CC) $(VDSO_LDFLAGS) -o $@ $(VDSO_OBJS)

$(BUILD)/$(VDSO_DIR)/image.S.o: $(VDSO_SO)
$(BUILD)/$(VDSO_DIR)/image.S.o: KCFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

# The framebuffer console's fonts (kernel/drivers/fbfont.S, full tree only):
# Terminus from Debian's console-setup-linux, unpacked at build time.
FONT_DIR	:= /usr/share/consolefonts
FONTS		:= Uni2-Terminus16 Uni2-Terminus24x12 Uni2-Terminus32x16

$(BUILD)/fonts/%.psf: | check-deps-font
	@mkdir -p $(dir $@)
	$(call step,GUNZIP,$@)
	$(Q)gunzip -c $(FONT_DIR)/$*.psf.gz > $@.tmp && mv $@.tmp $@

$(BUILD)/kernel/drivers/fbfont.S.o: $(patsubst %,$(BUILD)/fonts/%.psf,$(FONTS))
$(BUILD)/kernel/drivers/fbfont.S.o: KCFLAGS += -Wa,-I$(BUILD)/fonts

# Two links: the second adds the symbol table generated from the first.
$(BUILD)/kernel.pass1.elf: $(KOBJS) $(LDSCRIPT)
	$(call step,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS)

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/mksyms
	$(call step,SYMS,$@)
	$(Q)$(PYTHON) tools/mksyms $< > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(call step,AS,$<)
	$(Q)$(CC) -c -o $@ $<

$(BUILD)/kernel.elf: $(KOBJS) $(BUILD)/ksyms.o $(LDSCRIPT)
	$(call step,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	$(Q)$(PYTHON) tools/mksyms --check $(BUILD)/kernel.pass1.elf $@

# QEMU's -kernel loads Multiboot1 images only from 32-bit ELF files.
$(BUILD)/kernel32.elf: $(BUILD)/kernel.elf
	$(call step,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# With an initramfs, make qemu (and the ISO) starts /sbin/init unless CMDLINE
# says otherwise.
QEMU_CMDLINE	= $(if $(CMDLINE),$(CMDLINE),$(if $(INITRD),init=/sbin/init))

iso: $(BUILD)/nexaos.iso

$(BUILD)/nexaos.iso: $(BUILD)/kernel.elf tools/grub.cfg.in $(INITRD) | check-deps-iso
	$(call step,GRUB,$@)
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	$(Q)cp $< $(BUILD)/iso/boot/kernel.elf
	$(Q)$(if $(INITRD),cp $(INITRD) $(BUILD)/iso/boot/initrd.cpio)
	$(Q)sed -e 's|@CMDLINE@|$(QEMU_CMDLINE)|' \
	    -e 's|@MODULE@|$(if $(INITRD),module2 /boot/initrd.cpio initrd.cpio)|' \
	    tools/grub.cfg.in > $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)echo '$(QEMU_CMDLINE)' > $(BUILD)/iso/.cmdline
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# The ISO bakes CMDLINE into grub.cfg: rebuild it when CMDLINE changes.
ifneq ($(QEMU_CMDLINE),$(shell cat $(BUILD)/iso/.cmdline 2>/dev/null))
.PHONY: $(BUILD)/nexaos.iso
endif

QEMUOPTS	= -machine pc -cpu qemu64 -m $(MEM) -no-reboot -net none \
		  -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_DIRECT	= -kernel $(BUILD)/kernel32.elf -append "$(QEMU_CMDLINE)" \
		  $(if $(INITRD),-initrd $(INITRD))
# The debug-exit device makes a clean power-off exit with status 1.
QEMU_RUN	= sh -c '"$$@"; s=$$?; [ $$s -eq 0 ] || [ $$s -eq 1 ] || { echo "qemu exit status $$s"; exit $$s; }' qemu

qemu: kernel $(INITRD) | check-deps-qemu
	$(QEMU_RUN) $(QEMU) $(QEMUOPTS) $(QEMU_DIRECT) -serial mon:stdio \
		$(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)

qemu-nox: kernel $(INITRD) | check-deps-qemu
	@echo "*** Serial console here. Ctrl-A X quits QEMU, Ctrl-A C its monitor."
	$(QEMU_RUN) $(QEMU) $(QEMUOPTS) $(QEMU_DIRECT) -display none -serial mon:stdio

qemu-iso: iso | check-deps-qemu
	$(QEMU_RUN) $(QEMU) $(QEMUOPTS) -cdrom $(BUILD)/nexaos.iso -serial mon:stdio \
		$(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)

qemu-uefi: iso | check-deps-qemu check-deps-test
	$(QEMU_RUN) $(QEMU) $(QEMUOPTS) -bios /usr/share/ovmf/OVMF.fd \
		-cdrom $(BUILD)/nexaos.iso -serial mon:stdio \
		$(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)

qemu-gdb: kernel $(INITRD) | check-deps-qemu
	@echo "*** QEMU is halted, waiting for GDB on port $(GDBPORT)."
	@echo "*** In another terminal: make gdb   (with the same DEBUG/BUILD options as here)"
	$(QEMU_RUN) $(QEMU) $(QEMUOPTS) $(QEMU_DIRECT) -display none -serial mon:stdio \
		-S -gdb tcp::$(GDBPORT)

gdb: | check-deps-gdb
	NEXAOS_KERNEL=$(BUILD)/kernel.elf gdb -q -iex 'set auto-load local-gdbinit off' -x .gdbinit

# Without an X display Bochs serves its screen over VNC (rfb) instead of
# dying with "cannot connect to X server", as make qemu falls back to
# -display none.
BOCHS_DISPLAY	= $(if $(DISPLAY),,'display_library: rfb, options="timeout=0"')

bochs: iso | check-deps-bochs
	$(if $(DISPLAY),,@echo "*** No X display: Bochs shows its screen over VNC" \
		"(localhost:5900, or the next free port up to 5949).")
	@echo "*** Bochs's debugger stops before the first instruction: type c to run."
	@echo "*** Serial output goes to $(BUILD)/bochs-serial.log."
	NEXAOS_ISO=$(BUILD)/nexaos.iso NEXAOS_SERIAL=$(BUILD)/bochs-serial.log \
		bochs -q -f bochsrc $(BOCHS_DISPLAY) || true

bochs-nox: iso | check-deps-bochs
	@echo "*** Bochs runs headless; serial output goes to $(BUILD)/bochs-serial.log"
	NEXAOS_ISO=$(BUILD)/nexaos.iso NEXAOS_SERIAL=$(BUILD)/bochs-serial.log \
		bochs -q -f bochsrc -rc tools/bochs-continue \
		'display_library: rfb, options="timeout=0"' || true

GRADEFLAGS	= --build $(BUILD) --emu $(EMU) $(if $(LAB),--lab $(LAB)) $(if $(GRADE_MEM),--mem $(GRADE_MEM)) \
		  $(if $(JSON),--json $(JSON)) $(if $(JOBS),--jobs $(JOBS)) $(TEST)

grade: kernel iso $(INITRD) | check-deps-qemu check-deps-gdb
	$(PYTHON) grade/grade.py $(GRADEFLAGS)

unit: | check-deps-build check-deps-test
	$(MAKE) -f tests/unit/Makefile UNIT_BUILD=$(BUILD)/unit KDEFS='$(KDEFS)'

test: | check-deps-build check-deps-iso check-deps-qemu check-deps-bochs \
	check-deps-gdb check-deps-test
	$(TEST_CMD)

# The lab-4 benchmark: system call, fork, exec, page fault, yield costs.
bench: kernel $(INITRD) | check-deps-qemu
	@test -n "$(INITRD)" || { echo "make bench needs the user programs (lab 4)"; exit 2; }
	@$(QEMU) $(QEMUOPTS) -display none -serial stdio -kernel $(BUILD)/kernel32.elf \
		-initrd $(INITRD) -append "init=/bin/bench" | grep -a '^bench:'

# The same benchmark on Debian's Linux kernel under the same QEMU flags.
bench-linux: kernel $(INITRD) | check-deps-qemu
	@test -n "$(INITRD)" || { echo "make bench-linux needs the user programs (lab 4)"; exit 2; }
	$(PYTHON) tools/bench.py $(BUILD)

# The long fuzz run: FUZZ_CALLS random system calls from FUZZ_PROCS
# processes at once, a heartbeat that fails on any wait of a second, free
# memory compared before and after. make test runs a shorter one (lab 4's
# fuzz_parallel).
FUZZER		?= fuzz
FUZZ_CALLS	?= 1000000
FUZZ_PROCS	?= 4
fuzz: kernel $(INITRD) | check-deps-qemu
	@test -n "$(INITRD)" || { echo "make fuzz needs the user programs (lab 4)"; exit 2; }
	@echo "$(FUZZER): $(FUZZ_CALLS) calls from $(FUZZ_PROCS) processes (QEMU, -m $(MEM)); log in $(BUILD)/fuzz.log"
	@timeout 1800 $(QEMU) $(QEMUOPTS) -display none -serial stdio -kernel $(BUILD)/kernel32.elf \
		-initrd $(INITRD) -append "init=/bin/$(FUZZER) $(FUZZ_CALLS) $(FUZZ_PROCS)" \
		> $(BUILD)/fuzz.log 2>&1; \
	tr -d '\000\r' < $(BUILD)/fuzz.log | grep -a '^$(FUZZER):\|^KERNEL PANIC\|^kernel:'; \
	tr -d '\000\r' < $(BUILD)/fuzz.log | grep -aq '^$(FUZZER): ok' || { echo "make fuzz: FAILED"; exit 1; }

handin:
	@tools/handin.sh

deps:
	tools/deps.sh install

clean:
	rm -rf build

-include $(KOBJS:.o=.d) $(VDSO_OBJS:.o=.d)
