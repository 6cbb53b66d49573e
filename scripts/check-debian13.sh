#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make check-debian13: prove that cvmio sets up, builds and passes its tests
# on Debian 13 (trixie) while running on another Debian.  mmdebstrap builds a
# minimal trixie root from Debian's archive under build/debian13/root (reused
# by later runs; CVMIO_DEB13_FRESH=1 starts over), the tracked files of this
# tree (as they are in the work tree) are copied to /src in it, and
#   make deps && ./configure && make -j2 && make -j2 check
# runs there in a chroot with /proc, /sys and /dev, as root, guests under TCG
# (KVM where /dev/kvm is usable).  The last line is make check's
# "N passed, N failed, N skipped"; the exit status is make check's.
# Log: build/debian13/check.log.  Must run as root (mmdebstrap --mode=root,
# chroot, mounts).
# CVMIO_DEB13_FIO_SRC=DIR: a fio source tree of Debian 13's fio version
# (fio-3.39), put in the root's build/deps/ for an archive that serves no
# source package of it (make deps would stop at 'apt-get source fio').
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
work="$top/build/debian13"
root="$work/root"
log="$work/check.log"
mirror=${CVMIO_DEB13_MIRROR:-http://deb.debian.org/debian}
security=${CVMIO_DEB13_SECURITY:-http://deb.debian.org/debian-security}

die() { echo "check-debian13: $*" >&2; exit 4; }
say() { echo "check-debian13: $*"; }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root, chroot and bind mounts)"
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found (Debian package mmdebstrap; run 'make deps')"
cd "$top"
git rev-parse --git-dir >/dev/null 2>&1 || die "$top is not a git work tree (the copy takes its tracked files)"

mounted_below() { # DIR: is anything mounted at or below DIR?
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo
}

unmount_all() {
	for m in dev sys proc; do
		mounted_below "$root/$m" && umount -R -l "$root/$m"
	done
	return 0
}

if [ "${CVMIO_DEB13_FRESH:-0}" = 1 ] && [ -d "$root" ]; then
	unmount_all
	mounted_below "$root" && die "something is still mounted below $root; not removing it"
	rm -rf "$root"
fi

mkdir -p "$work"
start=$(date +%s)
if [ ! -f "$root/.cvmio-debian13" ]; then
	mounted_below "$root" && die "something is mounted below $root; unmount it first"
	rm -rf "$root"
	say "building a Debian 13 root with mmdebstrap in $root"
	mmdebstrap --mode=root --variant=apt --include=make,debian-archive-keyring \
		trixie "$root" \
		"deb $mirror trixie main" "deb $mirror trixie-updates main" \
		"deb $security trixie-security main" >"$work/mmdebstrap.log" 2>&1 ||
		die "mmdebstrap failed; see $work/mmdebstrap.log"
	touch "$root/.cvmio-debian13"
fi
grep -q '^VERSION_CODENAME=trixie' "$root/etc/os-release" || die "$root is not a trixie root"
bootstrap_s=$(( $(date +%s) - start ))

say "copying the tree into $root/src"
rm -rf "$root/src"
mkdir -p "$root/src"
git ls-files -z | tar --null -T - -cf - | tar -C "$root/src" -xf -
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ -n "${CVMIO_DEB13_FIO_SRC:-}" ]; then
	[ -f "$CVMIO_DEB13_FIO_SRC/FIO-VERSION-GEN" ] ||
		die "CVMIO_DEB13_FIO_SRC=$CVMIO_DEB13_FIO_SRC is not a fio source tree"
	mkdir -p "$root/src/build/deps"
	cp -a "$CVMIO_DEB13_FIO_SRC" "$root/src/build/deps/$(sed -n 's/^DEF_VER=//p' \
		"$CVMIO_DEB13_FIO_SRC/FIO-VERSION-GEN")"
fi

trap unmount_all EXIT INT TERM
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"

say "make deps, ./configure, make, make check inside (log: $log)"
set +e
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/sh -c 'cd /src && make deps && ./configure && make -j2 && make -j2 check' \
	>"$log" 2>&1
rc=$?
set -e
unmount_all
trap - EXIT INT TERM
total_s=$(( $(date +%s) - start ))
say "root bootstrap ${bootstrap_s}s, total ${total_s}s; disk: $(du -sh "$root" | cut -f1) in $root"
grep -E '^(PASS|FAIL|SKIP) ' "$log" | grep -v '^PASS' || true
tail -n 1 "$log"
exit "$rc"
