#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make suite-image: the benchmark suite's userland as an ext4 image, built
# from Debian packages without mounting anything:
#   mmdebstrap (bookworm, the packages the benchmark files list, plus
#   qemu-guest-agent, e2fsprogs and mount) into a folder, the Debian source packages
#   they list into /opt/cvmio-suite/src/, then mkfs.ext4 -d.
# usage: mkimage.sh OUT.img CVMIO_BIN SUITE_DIR SCALE
set -eu
out=$1 cvmio=$2 suite=$3 scale=$4
work=$out.d
packages=$("$cvmio" suite packages --suite "$suite" --scale "$scale")
sources=$("$cvmio" suite sources --suite "$suite" --scale "$scale")
rm -rf "$work" "$out.tmp"
mkdir -p "$work/src"
# Source packages come from the host's deb-src entries (make deps adds one):
# the guest has no network.
for s in $sources; do
	(cd "$work/src" && apt-get source --download-only -q "$s" >/dev/null)
done
# shellcheck disable=SC2086  # the lists are words on purpose
# The hooks' $1 is mmdebstrap's, not ours.
# shellcheck disable=SC2016
mmdebstrap --quiet --variant=apt --mode=root \
	--include="qemu-guest-agent,e2fsprogs,mount,util-linux,$(echo $packages | tr ' ' ',')" \
	--essential-hook='mkdir -p "$1/opt/cvmio-suite"' \
	--customize-hook="copy-in $work/src /opt/cvmio-suite" \
	--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
	--customize-hook='echo cvmio-suite > "$1/etc/hostname"' \
	--customize-hook='mkdir -p "$1/mnt/cvmio-scratch"' \
	bookworm "$work/root" http://deb.debian.org/debian
# Room for the benchmarks' own files under /tmp is on the disk under test,
# not here: the image is attached read-only.
size_kib=$(du -sk "$work/root" | cut -f1)
mkfs.ext4 -q -F -L cvmio-suite -E root_owner=0:0 -d "$work/root" "$out.tmp" \
	"$((size_kib + size_kib / 5 + 65536))k"
mv "$out.tmp" "$out"
rm -rf "$work"
