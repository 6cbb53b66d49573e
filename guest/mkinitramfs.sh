#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Assemble the appliance's initramfs from what exists now:
#   busybox (static), the modules of guest/modules.list with their modules.dep
#   closure, the guest fio, build/bin/cvmio, the engines in ENGINE_DIR
#   (-> /usr/lib/cvmio/), the job files (-> /usr/share/cvmio/jobfiles), and
#   every shared library these ELF files need (found with ldd on this host,
#   which is the same Debian release as the guest's userland) plus the loader.
# Usage: mkinitramfs.sh GUEST_DIR FIO CVMIO ENGINE_DIR JOBFILES_DIR OUT
#   GUEST_DIR holds kroot/ and kernel-release (fetch-kernel.sh); OUT is the
#   zstd-compressed newc archive (NAME.cpio.zst); NAME.cpio is the same
#   archive uncompressed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
g=${1:?usage}; fio=${2:?usage}; cvmio=${3:?usage}; engines=${4:?usage}
jobfiles=${5:?usage}; out=${6:?usage}
die() { echo "guest: $*" >&2; exit 1; }

rel=$(cat "$g/kernel-release")
kmods="$g/kroot/lib/modules/$rel"
[ -f "$kmods/modules.dep" ] || die "$kmods/modules.dep missing (run fetch-kernel.sh)"
busybox=$(command -v busybox) || die "busybox not found (Debian package busybox-static)"
# ldd fails on a static executable; a dynamic busybox would need its libc.
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is not static (install busybox-static)"
fi
[ -x "$fio" ] || die "no guest fio at $fio"

root="$g/root"
rm -rf "$root"
mkdir -p "$root"
for d in bin sbin usr/bin usr/sbin usr/lib/cvmio/lib usr/libexec/cvmio \
	usr/share/cvmio usr/share/udhcpc etc/cvmio proc sys dev tmp run root \
	lib/x86_64-linux-gnu lib64; do
	mkdir -p "$root/$d"
done

# --- busybox and its applets -------------------------------------------------
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# --- modules: the closure of guest/modules.list ------------------------------
mods=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/modules.list")
for m in $mods; do
	# module names use _ and - interchangeably; modules.dep keeps file names.
	pat=$(printf '%s' "$m" | sed 's/[_-]/[_-]/g')
	line=$(grep -E "/$pat\.ko(\.[a-z]+)?:" "$kmods/modules.dep" | head -n1)
	if [ -z "$line" ]; then
		grep -qE "/$pat\.ko" "$kmods/modules.builtin" ||
			die "module $m is neither in modules.dep nor built in ($rel)"
		continue
	fi
	for f in $(printf '%s' "$line" | tr -d ':'); do
		mkdir -p "$root/lib/modules/$rel/$(dirname "$f")"
		cp "$kmods/$f" "$root/lib/modules/$rel/$f"
	done
done
cp "$kmods/modules.builtin" "$kmods/modules.order" "$root/lib/modules/$rel/"
[ -f "$kmods/modules.builtin.modinfo" ] && cp "$kmods/modules.builtin.modinfo" "$root/lib/modules/$rel/"
depmod -b "$root" "$rel" || die "depmod on the initramfs tree failed"

# --- programs and their libraries ------------------------------------------
# Stripped copies: debug info is not needed in the guest and triples the size.
install_elf() { # SRC DEST
	cp "$1" "$2"
	strip --strip-unneeded "$2" 2>/dev/null || true
	printf '%s\n' "$1" >> "$root.elves"
}
: > "$root.elves"
install_elf "$fio" "$root/usr/bin/fio"
if [ -x "$cvmio" ]; then
	install_elf "$cvmio" "$root/usr/bin/cvmio"
else
	echo "guest: warning: $cvmio not built; the appliance has no cvmio check" >&2
fi
n_engines=0
for e in "$engines"/cvmio-*.so; do
	[ -f "$e" ] || continue
	install_elf "$e" "$root/usr/lib/cvmio/$(basename "$e")"
	n_engines=$((n_engines + 1))
done
[ "$n_engines" -gt 0 ] || echo "guest: warning: no engines in $engines yet" >&2

# ldd lists the resolved paths; copy each library (and the loader) once, to
# the same path as on the host so the loader's default search finds it.
while read -r elf; do
	ldd "$elf" 2>/dev/null | while read -r a b c _; do
		case $a in
		/*) lib=$a ;;
		*) [ "$b" = "=>" ] && lib=$c || lib= ;;
		esac
		[ "$b" = "=>" ] && [ "$c" = "not" ] && die "$elf: needs $a, which is not found"
		case $lib in /*) ;; *) continue ;; esac
		dest="$root$lib"
		[ -e "$dest" ] && continue
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest"
		strip --strip-unneeded "$dest" 2>/dev/null || true
	done
done < "$root.elves"
rm -f "$root.elves"
# /lib64/ld-linux-x86-64.so.2 is the loader path baked into every binary.
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not copied"

# --- data, scripts, init --------------------------------------------------------
if [ -d "$jobfiles" ]; then
	cp -r "$jobfiles" "$root/usr/share/cvmio/jobfiles"
	find "$root/usr/share/cvmio/jobfiles" -name 'Makefile.inc' -delete
fi
install -m 755 "$here/check-service" "$root/usr/libexec/cvmio/check-service"
install -m 755 "$here/udhcpc.script" "$root/usr/share/udhcpc/default.script"
install -m 755 "$here/init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"

# --- archives ------------------------------------------------------------------
# newc with the files sorted, owned by root.  Two copies: OUT compressed with
# zstd (the smallest that decompresses fast; to ship or copy around), and
# OUT without its .zst suffix, uncompressed: under TCG the kernel's
# decompression costs about 0.5 s of a 4 s boot, so direct boots use that.
raw=${out%.zst}
[ "$raw" != "$out" ] || die "the initramfs name must end in .zst: $out"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$raw.tmp"
zstd -q -19 -f "$raw.tmp" -o "$out.tmp"
mv "$out.tmp" "$out"
mv "$raw.tmp" "$raw"   # last: make sees it as up to date with the .zst
echo "guest: $out: $(wc -c < "$out") bytes ($raw: $(wc -c < "$raw") bytes), $n_engines engine(s)"
