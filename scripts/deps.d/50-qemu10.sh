#!/bin/sh
# make deps step: a private QEMU 10 from bookworm-backports under
# build/deps/qemu-10/ (apt-get download + dpkg-deb -x; nothing is installed
# system-wide, so Debian's QEMU 7.2 stays /usr/bin/qemu-system-x86_64 for
# everything else).  cvmio uses it to validate sev-snp lines (QEMU >= 9.1):
#   cvmio qemu --qemu build/deps/qemu-10/usr/bin/qemu-system-x86_64 ...
# Idempotent; silent when already there.  $1 = project root.
set -eu

top=${1:?usage: 50-qemu10.sh PROJECT_ROOT}
dest="$top/build/deps/qemu-10"
bin="$dest/usr/bin/qemu-system-x86_64"
sources=/etc/apt/sources.list.d/cvmio-backports.sources

say() { echo "deps: $*"; }
die() { echo "deps: qemu-10: $*" >&2; exit 1; }

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q 'version 10\.'; then
	exit 0
fi
# A system QEMU >= 10 (Debian 13) needs no private copy.
if qemu-system-x86_64 --version 2>/dev/null | grep -Eq 'version ([1-9][0-9]+)\.'; then
	exit 0
fi

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else die "need root (or sudo) to run: $*"
	fi
}

backports_version() {
	apt-cache madison qemu-system-x86 2>/dev/null |
		awk -F'|' '/bookworm-backports/ { gsub(/ /, "", $2); print $2; exit }'
}

version=$(backports_version)
if [ -z "$version" ]; then
	if [ ! -e "$sources" ]; then
		say "adding bookworm-backports ($sources; nothing is installed from it by default)"
		as_root sh -c "cat > $sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	as_root apt-get update -qq || die "apt-get update failed"
	version=$(backports_version)
fi
case $version in
1:10.*) ;;
'') die "bookworm-backports has no qemu-system-x86" ;;
*) die "bookworm-backports has qemu-system-x86 $version, expected 10.x" ;;
esac

say "extracting QEMU $version from bookworm-backports into build/deps/qemu-10/"
mkdir -p "$top/build/deps"
work=$(mktemp -d "$top/build/deps/qemu-10.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q -o APT::Sandbox::User=root \
	"qemu-system-x86=$version" "qemu-system-common=$version" "qemu-system-data=$version" \
	>/dev/null) || die "apt-get download of QEMU $version failed"
mkdir -p "$work/root"
for deb in "$work"/*.deb; do
	dpkg-deb -x "$deb" "$work/root" || die "dpkg-deb -x $deb failed"
done
missing=$(ldd "$work/root/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }' | tr '\n' ' ')
[ -z "$missing" ] || die "QEMU $version needs libraries not installed here: $missing"
"$work/root/usr/bin/qemu-system-x86_64" --version >/dev/null || die "the extracted QEMU does not run"
rm -rf "$dest"
mv "$work/root" "$dest"
