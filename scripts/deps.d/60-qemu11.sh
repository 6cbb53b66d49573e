#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make deps step: a private QEMU 11 from trixie-backports, for the modes that
# need QEMU >= 10.1 (tdx: the tdx-guest object).  Nothing is installed
# system-wide.  QEMU 11 is built against Debian 13's glibc (it needs
# GLIBC_2.38; Debian 12 has 2.36) and its t64 libraries, so it cannot run on
# Debian 12's libraries: mmdebstrap --variant=extract unpacks it with its
# whole dependency closure (Debian 13's libc included) into
# build/deps/qemu-11-root/, and build/deps/qemu-11/usr/bin/qemu-system-x86_64
# is a wrapper that starts it with that root's dynamic loader and libraries
# (no chroot, no root needed to run it) and its firmware folder (-L).
# Skipped when the system QEMU is already >= 10.1.  Idempotent; silent when
# already there.  $1 = project root.
set -eu

top=${1:?usage: 60-qemu11.sh PROJECT_ROOT}
root="$top/build/deps/qemu-11-root"
dest="$top/build/deps/qemu-11"
bin="$dest/usr/bin/qemu-system-x86_64"
mirror=${CVMIO_TRIXIE_MIRROR:-http://deb.debian.org/debian}

say() { echo "deps: $*"; }
die() { echo "deps: qemu-11: $*" >&2; exit 1; }

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q 'version 11\.'; then
	exit 0
fi
# A system QEMU >= 10.1 has tdx-guest already.
if qemu-system-x86_64 --version 2>/dev/null |
	grep -Eq 'version (10\.[1-9]|1[1-9]\.|[2-9][0-9]\.)'; then
	exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found (Debian package mmdebstrap)"
[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root) once, to unpack QEMU 11"

say "unpacking QEMU 11 from trixie-backports with its libraries into build/deps/qemu-11-root/"
mkdir -p "$top/build/deps"
work=$(mktemp -d "$top/build/deps/qemu-11-root.XXXXXX")
trap 'rm -rf "$work" "$work.log"' EXIT
# qemu-system-x86's own packages come from backports too (exact-version dependencies).
bpo=trixie-backports
if ! mmdebstrap --mode=root --variant=extract \
	--include="qemu-system-x86/$bpo,qemu-system-common/$bpo,qemu-system-data/$bpo,seabios/$bpo" \
	trixie "$work" "deb $mirror trixie main" "deb $mirror trixie-backports main" \
	>"$work.log" 2>&1; then
	grep '^E:' "$work.log" >&2 || tail -n 5 "$work.log" >&2
	die "mmdebstrap could not unpack qemu-system-x86 from trixie-backports"
fi
libs="$work/usr/lib/x86_64-linux-gnu"
[ -x "$libs/ld-linux-x86-64.so.2" ] || die "the unpacked root has no $libs/ld-linux-x86-64.so.2"
rm -rf "$root" "$dest"
mv "$work" "$root"
libs="$root/usr/lib/x86_64-linux-gnu"
mkdir -p "$dest/usr/bin"
cat >"$bin" <<WRAP
#!/bin/sh
# QEMU 11 from trixie-backports, run with Debian 13's loader and libraries
# from $root (written by scripts/deps.d/60-qemu11.sh).
QEMU_MODULE_DIR=$libs/qemu
export QEMU_MODULE_DIR
exec $libs/ld-linux-x86-64.so.2 --library-path $libs \\
	$root/usr/bin/qemu-system-x86_64 -L $root/usr/share/qemu "\$@"
WRAP
chmod +x "$bin"
"$bin" --version | grep -q 'version 11\.' || die "the unpacked QEMU 11 does not run: $("$bin" --version 2>&1 | head -n1)"
