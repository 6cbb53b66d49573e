#!/bin/sh
# make deps: install every Debian package cvmio needs and fetch fio's source
# tree for the installed fio into build/deps/.  Idempotent; silent when all
# is already present.  Extra set-up steps live in scripts/deps.d/*.sh.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
deps_dir="$top/build/deps"
pkg_list="$top/scripts/debian-packages"
# Names that differ between Debian releases live in debian-packages.<codename>.
codename=$(sed -n "s/^VERSION_CODENAME=//p" /etc/os-release)
release_list="$pkg_list.$codename"

die() { echo "deps: $*" >&2; exit 1; }
say() { echo "deps: $*"; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else die "need root (or sudo) to run: $*"
	fi
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	as_root apt-get update -qq || die "apt-get update failed"
	apt_updated=1
}

package_lists() {
	if [ -f "$release_list" ]; then echo "$pkg_list" "$release_list"; else echo "$pkg_list"; fi
}

missing_packages() {
	# shellcheck disable=SC2046 # one or two file names
	grep -h -v -e '^#' -e '^[[:space:]]*$' $(package_lists) | while read -r pkg; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = installed ] || printf '%s\n' "$pkg"
	done
}

install_packages() {
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	say "installing: $(printf "%s " "$missing" | tr "\n" " ")"
	apt_update
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed for: $missing"
}

has_deb_src() {
	grep -qs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
	grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources
}

ensure_deb_src() {
	has_deb_src && return 0
	say "adding a deb-src entry (/etc/apt/sources.list.d/cvmio-src.sources)"
	as_root sh -c "cat > /etc/apt/sources.list.d/cvmio-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_updated=
	apt_update
}

fetch_fio_source() {
	fio_deb_version=$(dpkg-query -W -f='${Version}' fio)
	upstream=${fio_deb_version%-*}
	upstream=${upstream#*:}
	[ -f "$deps_dir/fio-$upstream/FIO-VERSION-GEN" ] && return 0
	ensure_deb_src
	mkdir -p "$deps_dir"
	say "fetching fio $fio_deb_version source into build/deps/"
	if ! (cd "$deps_dir" && apt-get source -qq "fio=$fio_deb_version" >"$deps_dir/fio-src.log" 2>&1); then
		grep '^E:' "$deps_dir/fio-src.log" | head -n 2 >&2
		die "apt-get source fio=$fio_deb_version failed (or put fio-$upstream's source tree in $deps_dir/fio-$upstream)"
	fi
	[ -f "$deps_dir/fio-$upstream/FIO-VERSION-GEN" ] ||
		die "fio source not found in $deps_dir/fio-$upstream after apt-get source"
}

install_packages
fetch_fio_source
for step in "$top"/scripts/deps.d/*.sh; do
	[ -e "$step" ] || continue
	sh "$step" "$top" || die "step $(basename "$step") failed"
done
