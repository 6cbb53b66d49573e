#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make user-image: a stand-in for a user's cloud image, to test [guest] image=
# for real.  Debian bookworm with its own kernel (linux-image-amd64), systemd
# as init, qemu-guest-agent (started by its udev rule when the agent's
# virtio-serial port appears) and the suite's packages, built with mmdebstrap
# into a folder and made into a raw ext4 disk with mkfs.ext4 -d (nothing is
# mounted).  There is no boot loader: the image's own vmlinuz and initrd are
# copied out beside it (OUT.vmlinuz, OUT.initrd, OUT.kernel-release) for a direct kernel boot
# with root=LABEL=cvmio-user.
# usage: mkuserimage.sh OUT.img CVMIO_BIN SUITE_DIR
set -eu
out=$1 cvmio=$2 suite=$3
work=$out.d
packages=$("$cvmio" suite packages --suite "$suite" --scale smoke)
rm -rf "$work" "$out.tmp"
mkdir -p "$work"
# shellcheck disable=SC2086  # the list is words on purpose
# The hooks' $1 is mmdebstrap's, not ours.
# shellcheck disable=SC2016
mmdebstrap --quiet --variant=apt --mode=root \
	--include="linux-image-amd64,initramfs-tools,systemd,systemd-sysv,udev,qemu-guest-agent,e2fsprogs,mount,util-linux,$(echo $packages | tr ' ' ',')" \
	--customize-hook='echo cvmio-user > "$1/etc/hostname"' \
	--customize-hook='echo "LABEL=cvmio-user / ext4 defaults 0 1" > "$1/etc/fstab"' \
	--customize-hook='chroot "$1" systemctl enable serial-getty@ttyS0.service' \
	--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
	--customize-hook="copy-out /boot $work" \
	bookworm "$work/root" http://deb.debian.org/debian
# exactly one kernel: linux-image-amd64's
set -- "$work"/boot/vmlinuz-*
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
	echo "mkuserimage.sh: want one kernel in the image's /boot, found: $*" >&2
	exit 1
fi
release=${1##*/vmlinuz-}
cp "$1" "$out.vmlinuz.tmp"
cp "$work/boot/initrd.img-$release" "$out.initrd.tmp"
size_kib=$(du -sk "$work/root" | cut -f1)
# Room to spare, as a cloud image has: the root is written (logs, /tmp).
mkfs.ext4 -q -F -L cvmio-user -E root_owner=0:0 -d "$work/root" "$out.tmp" \
	"$((size_kib + size_kib / 5 + 262144))k"
mv "$out.vmlinuz.tmp" "$out.vmlinuz"
mv "$out.initrd.tmp" "$out.initrd"
echo "$release" > "$out.kernel-release"
mv "$out.tmp" "$out"
rm -rf "$work"
