#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extract the uncompressed ELF kernel from an x86 bzImage using the boot
# protocol header (Documentation/x86/boot.rst): setup_sects at 0x1f1, and
# payload_offset / payload_length at 0x248 / 0x24c, relative to the start of
# the protected-mode code ((setup_sects + 1) * 512).  The payload is one
# compressed stream followed by the kernel's own 4-byte size trailer, which
# --single-stream / the decompressors ignore.
# Usage: extract-vmlinux.sh BZIMAGE OUT
set -eu

in=${1:?usage: extract-vmlinux.sh BZIMAGE OUT}
out=${2:?usage: extract-vmlinux.sh BZIMAGE OUT}
die() { echo "guest: $*" >&2; exit 1; }

# le32 FILE OFFSET: an unsigned little-endian 32-bit field.
le32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

[ "$(dd if="$in" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] ||
	die "$in is not a bzImage (no HdrS boot header)"
setup_sects=$(u8 "$in" $((0x1f1)))
[ "$setup_sects" -eq 0 ] && setup_sects=4
payload_offset=$(le32 "$in" $((0x248)))
payload_length=$(le32 "$in" $((0x24c)))
start=$(( (setup_sects + 1) * 512 + payload_offset ))

payload() { tail -c +$((start + 1)) "$in" | head -c "$payload_length"; }

magic=$(payload | od -An -tx1 -N6 | tr -d ' ')
case $magic in
fd377a585a00) payload | xz -dc --single-stream > "$out" ;;
28b52ffd*) payload | zstd -dcq > "$out" 2>/dev/null || [ -s "$out" ] ;;
1f8b*) payload | gzip -dc > "$out" 2>/dev/null || [ -s "$out" ] ;;
*) die "$in: unsupported payload compression (magic $magic)" ;;
esac

[ "$(od -An -c -N4 "$out" | tr -d ' ')" = "177ELF" ] ||
	die "$in: the extracted payload is not an ELF kernel"
