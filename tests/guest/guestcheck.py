# SPDX-License-Identifier: GPL-2.0-only
"""What the guest's own `cvmio check --guest --json` must say per mode.

bounce: every virtio device negotiated VIRTIO_F_ACCESS_PLATFORM, swiotlb=force
is on and swiotlb slots are in use (virtio-net keeps its posted receive
buffers mapped through swiotlb, so io_tlb_used stays above 0 after the I/O;
the high-water mark, where the kernel has it, too).
plain: no device has ACCESS_PLATFORM, swiotlb is not forced and unused (or,
in a guest small enough to need none, not set up at all).
"""

import json

VIRTIO_BLOCK, VIRTIO_SCSI = 2, 8


def parse(text):
    try:
        i = text.index("{")
        return json.JSONDecoder().raw_decode(text[i:])[0]
    except ValueError:
        return None


def verify_mode(mode, text, after_io=True, backend=None):
    c = parse(text)
    if c is None:
        return [f"guest check is not JSON: {text.strip()[:200]!r}"]
    f = []
    if c.get("cvmio_check") != 1 or c.get("scope") != "guest":
        f.append(f"guest check: cvmio_check/scope wrong: {c.get('cvmio_check')}/{c.get('scope')}")
    devs = c.get("virtio_devices") or []
    if not devs:
        f.append("guest check lists no virtio device (the NIC at least is one)")
    ids = {d.get("device_id") for d in devs}
    if backend in ("virtio-blk", "virtio-blk-iothread") and VIRTIO_BLOCK not in ids:
        f.append(f"guest check: no virtio block device among {sorted(ids, key=str)}")
    if backend in ("virtio-scsi", "virtio-scsi-iothread") and VIRTIO_SCSI not in ids:
        f.append(f"guest check: no virtio scsi device among {sorted(ids, key=str)}")
    ap = [d.get("access_platform") for d in devs]
    sw = c.get("swiotlb") or {}
    used, hiwater = sw.get("io_tlb_used"), sw.get("io_tlb_used_hiwater")
    confirms = c.get("confirms") or {}
    if mode == "bounce":
        if not ap or not all(v is True for v in ap):
            f.append(f"bounce: ACCESS_PLATFORM not on for every virtio device: {devs}")
        if sw.get("force") is not True:
            f.append(f"bounce: swiotlb force is {sw.get('force')!r}, expected true")
        if after_io and not ((used or 0) > 0 or (hiwater or 0) > 0):
            f.append(f"bounce: no swiotlb slots in use after I/O (io_tlb_used={used!r}, "
                     f"hiwater={hiwater!r})")
        if confirms.get("bounce") is not True:
            f.append(f"bounce: check does not confirm bounce: {confirms}")
    elif mode == "plain":
        if any(v is not False for v in ap):
            f.append(f"plain: a virtio device has ACCESS_PLATFORM (or unknown): {devs}")
        if sw.get("force") is not False:
            f.append(f"plain: swiotlb force is {sw.get('force')!r}, expected false")
        # swiotlb absent altogether (null, a small guest needs none) or unused
        if used not in (None, 0) or (used is None and sw.get("io_tlb_nslabs") is not None):
            f.append(f"plain: io_tlb_used is {used!r}, expected 0 or no swiotlb")
        if confirms.get("plain") is not True or confirms.get("bounce") is not False:
            f.append(f"plain: check confirms {confirms}, expected plain and not bounce")
    return f
