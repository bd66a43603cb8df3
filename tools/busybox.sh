#!/bin/sh
# tools/busybox.sh DIR: puts Debian's busybox-static binary at DIR/busybox.
# The package is fetched with `apt-get download` (nothing is installed) and
# checked against the version and sha256 pinned here; a newer package in the
# archive is refused until someone has looked at it and updated the pin.
set -eu

VERSION='1:1.35.0-4+deb12u1+b1'
SHA256='3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744'

dir=$1
[ -x "$dir/busybox" ] && exit 0
rm -rf "$dir/deb" && mkdir -p "$dir/deb"
cd "$dir/deb"
fetch() {
	apt-get download "busybox-static=$VERSION" >/dev/null 2>&1
}
if ! fetch; then
	# A fresh machine may never have read the package lists.
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
	elif command -v sudo >/dev/null 2>&1; then
		sudo apt-get update -qq >/dev/null 2>&1 || true
	fi
	fetch || {
		echo "busybox: cannot download busybox-static $VERSION with apt-get" >&2
		echo "busybox: (no package lists? run apt-get update as root; gone from the" >&2
		echo "busybox: archive? update VERSION and SHA256 in tools/busybox.sh)" >&2
		exit 1
	}
fi
deb=$(ls ./*.deb)
echo "$SHA256  $deb" | sha256sum -c --quiet - || {
	echo "busybox: $deb does not match the pinned sha256; refusing it" >&2
	exit 1
}
dpkg-deb -x "$deb" x
cp x/bin/busybox ../busybox.tmp
mv ../busybox.tmp ../busybox
cd .. && rm -rf deb
