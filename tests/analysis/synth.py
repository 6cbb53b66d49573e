# SPDX-License-Identifier: GPL-2.0-only
"""Synthetic fio result files with chosen numbers, for the tests whose point is the
statistics (a drifting baseline, exact p-values) rather than fio itself.

Each file is what fio 3.33 --output-format=json writes for one randread job, with
its numbers consistent the way fio derives them: bw_bytes = 1000 * io_bytes /
runtime (integer), bw = bw_bytes / 1024, iops = 1000 * total_ios / runtime.
Standard library only."""
import json
import os

BS = 4096


def fio_result(iops, lat_us=100.0, runtime_ms=10000, jobname="rr", rw="randread"):
    """One job doing about `iops` I/Os a second for runtime_ms; returns the dict."""
    total_ios = int(round(iops * runtime_ms / 1000.0))
    io_bytes = total_ios * BS
    bw_bytes = 1000 * io_bytes // runtime_ms
    lat_ns = lat_us * 1000.0
    clat = {"min": int(lat_ns * 0.5), "max": int(lat_ns * 4), "mean": lat_ns * 0.9, "stddev": lat_ns * 0.1,
            "N": total_ios,
            "percentile": {"1.000000": int(lat_ns * 0.6), "50.000000": int(lat_ns * 0.9),
                           "99.000000": int(lat_ns * 2), "99.900000": int(lat_ns * 3)}}
    direction = {"io_bytes": io_bytes, "io_kbytes": io_bytes // 1024, "bw_bytes": bw_bytes,
                 "bw": bw_bytes // 1024, "iops": 1000.0 * total_ios / runtime_ms, "runtime": runtime_ms,
                 "total_ios": total_ios, "short_ios": 0, "drop_ios": 0,
                 "slat_ns": {"min": 0, "max": 0, "mean": 0.0, "stddev": 0.0, "N": 0},
                 "clat_ns": clat,
                 "lat_ns": {"min": clat["min"], "max": clat["max"], "mean": lat_ns, "stddev": lat_ns * 0.1,
                            "N": total_ios}}
    idle = {"io_bytes": 0, "io_kbytes": 0, "bw_bytes": 0, "bw": 0, "iops": 0.0, "runtime": 0,
            "total_ios": 0, "short_ios": 0, "drop_ios": 0,
            "clat_ns": {"min": 0, "max": 0, "mean": 0.0, "stddev": 0.0, "N": 0},
            "lat_ns": {"min": 0, "max": 0, "mean": 0.0, "stddev": 0.0, "N": 0}}
    job = {"jobname": jobname, "groupid": 0, "error": 0,
           "job options": {"name": jobname, "rw": rw, "bs": "4k", "iodepth": "1"},
           "read": direction, "write": idle, "trim": dict(idle)}
    return {"fio version": "fio-3.33", "timestamp": 0, "time": "x", "jobs": [job]}


def write_result(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)


def write_manifest(folder, mode, backend="virtio-blk", qemu_argv=None, extra=None):
    """A cvmio run manifest saying the guest was verified in `mode`."""
    m = {"cvmio_manifest": 1, "study": "synthetic", "mode": mode, "backend": backend, "verified": True,
         "verification": "synthetic test", "runs": []}
    if qemu_argv is not None:
        m["qemu_argv"] = qemu_argv
    m.update(extra or {})
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(m, f)


def study(top, sides, backend="virtio-blk", workload="rr.fio"):
    """sides: {condition: [iops of rep-1, rep-2, ...]}: one result per repetition at
    <condition>/<backend>/<workload>/rep-N.json, every condition with a manifest."""
    for cond, values in sides.items():
        for rep, iops in enumerate(values, 1):
            write_result(os.path.join(top, cond, backend, workload, "rep-%d.json" % rep), fio_result(iops))
        write_manifest(os.path.join(top, cond, backend), cond, backend)
    return top
