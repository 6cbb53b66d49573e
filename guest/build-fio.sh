#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the guest's fio from the same pristine source tree the engines'
# headers come from, configured with the same flags as FIO_SRC, so that the
# engines (compiled against FIO_SRC's config-host.h and checking fio's version
# string) load in it.  The resulting config-host.h must equal FIO_SRC's; any
# difference would change struct layouts the engines rely on, so it is fatal.
# Dynamically linked against what this configuration needs (libc, libm, libz,
# libaio), not the distro fio's ceph/gluster/rdma closure.
# Usage: build-fio.sh FIO_SRC_ORIG FIO_SRC OUTDIR   (builds OUTDIR/fio)
set -eu

orig=${1:?usage: build-fio.sh FIO_SRC_ORIG FIO_SRC OUTDIR}
ref=${2:?usage: build-fio.sh FIO_SRC_ORIG FIO_SRC OUTDIR}
out=${3:?usage: build-fio.sh FIO_SRC_ORIG FIO_SRC OUTDIR}
die() { echo "guest: $*" >&2; exit 1; }

[ -f "$orig/FIO-VERSION-GEN" ] || die "$orig is not a fio source tree (run 'make deps')"
[ -f "$ref/config-host.h" ] || die "$ref/config-host.h missing (run ./configure)"

# The flags FIO_SRC was configured with, from its config-host.mak header.
flags=$(sed -n "s/^# Configured with: '\.\/configure' *//p" "$ref/config-host.mak" | tr -d "'")

if [ ! -f "$out/config-host.h" ] || ! cmp -s "$out/config-host.h" "$ref/config-host.h"; then
	rm -rf "$out"
	cp -a "$orig" "$out"
	# shellcheck disable=SC2086 # the recorded flags are separate words
	(cd "$out" && ./configure $flags) > "$out.configure.log" 2>&1 ||
		die "fio ./configure $flags failed in $out (see $out.configure.log)"
	cmp -s "$out/config-host.h" "$ref/config-host.h" ||
		die "$out/config-host.h differs from $ref/config-host.h: the guest fio would not match the engines' ABI"
fi

jobs=$(nproc 2>/dev/null || echo 2)
make -C "$out" -j"$jobs" fio > "$out.make.log" 2>&1 ||
	die "building fio in $out failed (see $out.make.log)"
v=$("$out/fio" --version)
[ "$v" = "$(sed -n 's/^DEF_VER=//p' "$ref/FIO-VERSION-GEN")" ] ||
	die "guest fio says $v, the engines' tree is $(sed -n 's/^DEF_VER=//p' "$ref/FIO-VERSION-GEN")"
