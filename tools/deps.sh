#!/bin/sh
# Checks (and, as root or with sudo, installs) the Debian packages a make
# target needs, and the versions of the tools that matter.
#   tools/deps.sh check GROUP...    GROUP: build iso qemu bochs gdb test user font all
#   tools/deps.sh install           everything, for `make deps`
set -u

# command-or-file:package, per group
build="gcc:gcc ld:binutils make:make python3:python3 nm:binutils objcopy:binutils"
iso="grub-mkrescue:grub-common /usr/lib/grub/i386-pc:grub-pc-bin /usr/lib/grub/x86_64-efi:grub-efi-amd64-bin xorriso:xorriso mformat:mtools"
qemu="qemu-system-x86_64:qemu-system-x86"
bochs="bochs:bochs /usr/share/bochs/BIOS-bochs-latest:bochsbios /usr/share/vgabios/vgabios.bin:vgabios /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_x_gui.so:bochs-x"
gdb="gdb:gdb"
# the framebuffer console's Terminus fonts (full tree: kernel/drivers/fbfont.S)
font="/usr/share/consolefonts/Uni2-Terminus16.psf.gz:console-setup-linux"
test="/usr/include/cmocka.h:libcmocka-dev /usr/lib/python3/dist-packages/yaml/__init__.py:python3-yaml /usr/share/ovmf/OVMF.fd:ovmf unifdef:unifdef musl-gcc:musl-tools cpio:cpio git:git /usr/lib/x86_64-linux-gnu/libcrypt.a:libcrypt-dev"
# user/user.mk links hello-pie with musl's rcrt1.o by its path
# lab 7: authd links libxcrypt statically (glibc's gcc -static), the unit tests too
user="musl-gcc:musl-tools /usr/lib/x86_64-linux-musl/rcrt1.o:musl-dev cpio:cpio /usr/lib/x86_64-linux-gnu/libcrypt.a:libcrypt-dev"

missing_of() {
	for pair in "$@"; do
		what=${pair%%:*}
		pkg=${pair#*:}
		case $what in
		/*) [ -e "$what" ] || echo "$pkg" ;;
		*) command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
		esac
	done
}

install_pkgs() {
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps: missing Debian packages: $*" >&2
		echo "deps: as root run: apt-get install $*" >&2
		exit 1
	fi
	echo "deps: installing Debian packages: $*" >&2
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || {
		echo "deps: apt-get failed; install these yourself: $*" >&2
		exit 1
	}
}

# version_ge A B: A >= B for dotted versions
version_ge() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

check_versions() {
	for g in "$@"; do
		case $g in
		build)
			v=$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)
			version_ge "$v" 9 || { echo "deps: gcc $v is too old; NexaOS needs gcc 9 or newer" >&2; exit 1; }
			v=$(ld --version | head -n1 | sed 's/.* \([0-9][0-9.]*\).*/\1/')
			version_ge "$v" 2.34 || { echo "deps: binutils $v is too old; need 2.34 or newer" >&2; exit 1; } ;;
		qemu)
			v=$(qemu-system-x86_64 --version | head -n1 | sed 's/.*version \([0-9.]*\).*/\1/')
			version_ge "$v" 6.2 || { echo "deps: QEMU $v is too old; need 6.2 or newer (Debian 12 has 7.2)" >&2; exit 1; } ;;
		iso)
			v=$(grub-mkrescue --version | sed 's/.* \([0-9][0-9.]*\).*/\1/')
			version_ge "$v" 2.04 || { echo "deps: GRUB $v is too old; need 2.04 or newer" >&2; exit 1; } ;;
		bochs)
			v=$(dpkg-query -W -f '${Version}' bochs 2>/dev/null | sed 's/[+~-].*//')
			[ -z "$v" ] || version_ge "$v" 2.7 ||
				echo "deps: warning: Bochs $v is older than 2.7, the version NexaOS is tested with" >&2 ;;
		esac
	done
}

groups_of() {
	for g in "$@"; do
		if [ "$g" = all ]; then echo build iso qemu bochs gdb test user font; else echo "$g"; fi
	done
}

cmd=${1:-check}
[ $# -gt 0 ] && shift
case $cmd in
install) set -- all ;;
check) [ $# -gt 0 ] || set -- all ;;
*) echo "usage: $0 check GROUP... | install" >&2; exit 2 ;;
esac

groups=$(groups_of "$@")
pairs=""
for g in $groups; do
	eval "pairs=\"\$pairs \$$g\""
done
# shellcheck disable=SC2086
missing=$(missing_of $pairs | sort -u | tr '\n' ' ')
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	install_pkgs $missing
	# shellcheck disable=SC2086
	still=$(missing_of $pairs | sort -u | tr '\n' ' ')
	[ -z "$still" ] || { echo "deps: still missing after install: $still" >&2; exit 1; }
fi
# shellcheck disable=SC2086
check_versions $groups
