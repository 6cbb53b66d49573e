#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's guest kernel without installing it: resolve the image package
# behind linux-image-amd64 (or $CVMIO_GUEST_KPKG), 'apt-get download' it and
# unpack it under OUT/kroot.  Produces:
#   OUT/vmlinuz        the bzImage (OVMF / SEV boots)
#   OUT/vmlinux        the uncompressed ELF (PVH direct boot: no decompression
#                      under TCG)
#   OUT/kernel-release the module directory name (uname -r)
#   OUT/kroot/lib/modules/REL/modules.dep  (depmod run on the unpacked tree)
# CVMIO_GUEST_RELEASE=CODENAME (make guest GUEST_KERNEL=trixie): that Debian
# release's kernel instead of the one the host's apt sources offer, through a
# private apt state under OUT/apt (the host's sources are not touched).
# Usage: fetch-kernel.sh OUT
set -eu

out=${1:?usage: fetch-kernel.sh OUT}
die() { echo "guest: $*" >&2; exit 1; }

mkdir -p "$out/deb"
set --
release=${CVMIO_GUEST_RELEASE:-}
if [ -n "$release" ]; then
	case $release in
	*[!a-z]*) die "GUEST_KERNEL=$release: expected a Debian codename such as trixie" ;;
	esac
	apt_dir=$(cd "$out" && pwd)/apt
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	echo "deb ${CVMIO_GUEST_MIRROR:-http://deb.debian.org/debian} $release main" >"$apt_dir/sources.list"
	set -- -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root
	if [ ! -f "$apt_dir/updated" ]; then
		apt-get "$@" update -qq >"$apt_dir/update.log" 2>&1 ||
			{ grep '^[EW]:' "$apt_dir/update.log" >&2; die "apt-get update for $release failed"; }
		touch "$apt_dir/updated"
	fi
fi
pkg=${CVMIO_GUEST_KPKG:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache "$@" depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || die "cannot resolve linux-image-amd64's kernel package (apt-cache depends); set CVMIO_GUEST_KPKG"
fi

deb=$(find "$out/deb" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
if [ -z "$deb" ]; then
	echo "guest: downloading $pkg"
	# _apt cannot write to build/; apt warns that it downloads as the caller.
	if ! (cd "$out/deb" && apt-get "$@" download -qq "$pkg") > "$out/deb/apt.log" 2>&1; then
		grep -v 'Download is performed unsandboxed' "$out/deb/apt.log" >&2
		die "apt-get download $pkg failed"
	fi
	deb=$(find "$out/deb" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $out/deb"
fi

rm -rf "$out/kroot"
mkdir -p "$out/kroot"
dpkg-deb -x "$deb" "$out/kroot" || die "dpkg-deb -x $deb failed"

rel=${pkg#linux-image-}
# Debian 13's kernels ship /usr/lib/modules (merged /usr); the appliance keeps /lib/modules.
if [ ! -d "$out/kroot/lib/modules/$rel" ] && [ -d "$out/kroot/usr/lib/modules/$rel" ]; then
	mkdir -p "$out/kroot/lib/modules"
	mv "$out/kroot/usr/lib/modules/$rel" "$out/kroot/lib/modules/$rel"
fi
[ -d "$out/kroot/lib/modules/$rel" ] || die "$deb has no lib/modules/$rel (nor usr/lib/modules/$rel)"
command -v depmod >/dev/null 2>&1 || die "depmod not found (Debian package kmod; run 'make deps')"
depmod -b "$out/kroot" "$rel" || die "depmod on $out/kroot failed"

cp "$out/kroot/boot/vmlinuz-$rel" "$out/vmlinuz.tmp"
sh "$(dirname "$0")/extract-vmlinux.sh" "$out/vmlinuz.tmp" "$out/vmlinux.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/vmlinux.tmp" "$out/vmlinux"
cp "$out/kroot/boot/config-$rel" "$out/kernel-config"
echo "$rel" > "$out/kernel-release"
echo "guest: kernel $rel ($(basename "$deb"))"
