# SPDX-License-Identifier: GPL-2.0-only
"""The end-to-end matrix: for one mode, boot the appliance once per
(backend, backing) and drive every engine in it through fio --client.

Asserted per boot: fio exits 0; every job has error 0 and moved bytes; every
job has exactly one cvmio-stats record from the right engine whose I/O count
equals fio's; on file backing the data written is verified (crc32c) on the
way back; and the guest's own check, fetched on the check port after the
I/O, shows ACCESS_PLATFORM and swiotlb use in bounce mode and neither in
plain mode.
"""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guestlib as gl  # noqa: E402
import guestcheck  # noqa: E402

BACKENDS = ["virtio-blk", "virtio-blk-iothread", "virtio-scsi", "nvme"]
BACKINGS = ["null", "file"]
# Booted once, on null backing only: every other backend's line is exercised
# above, and virtio-scsi-iothread differs from virtio-scsi only by its iothread.
NULL_ONLY_BACKENDS = ["virtio-scsi-iothread"]
DISK_MB = 64


def engine_jobs(backend, backing):
    """[(job name, engine, target, extra option lines)] for one boot."""
    dev = gl.GUEST_DISK[backend]
    jobs = [("uring", "cvmio-uring", dev, []),
            ("aio", "cvmio-aio", dev, [])]
    if backend == "nvme":
        jobs += [("nvme-uring", "cvmio-nvme", gl.NVME_CHAR, ["nvme_transport=uring"]),
                 ("nvme-ioctl", "cvmio-nvme", gl.NVME_CHAR, ["nvme_transport=ioctl"])]
    return jobs


def jobfile(backend, backing):
    # file backing: write then read back and verify, so a corrupting bounce
    # path fails; null backing discards writes, so a plain mix there.
    if backing == "file":
        io = ["rw=randwrite", "size=1m", "verify=crc32c", "do_verify=1"]
    else:
        io = ["rw=randrw", "size=2m"]
    lines = ["[global]", "bs=4k", "iodepth=8", "direct=1"] + io
    # offsets apart so the jobs' areas do not overlap on one disk
    for i, (name, engine, target, extra) in enumerate(engine_jobs(backend, backing)):
        lines += ["", f"[{name}]", "stonewall", f"filename={target}",
                  f"ioengine=external:{gl.ENGINES[engine]}", f"offset={i * 4}m"] + extra
    return "\n".join(lines) + "\n"


def check_fio(run, backend, backing):
    failures = []
    if run.timed_out or run.rc != 0:
        failures.append(run.summary())
    if not run.jobs:
        return failures + ["no jobs in fio's JSON output"]
    for name, engine, target, _ in engine_jobs(backend, backing):
        job = run.job(name)
        if job is None:
            failures.append(f"job {name} ({engine} on {target}) missing from fio's output")
            continue
        if job.get("error") != 0:
            failures.append(f"job {name} ({engine} on {target}): error {job.get('error')}")
        moved = gl.job_bytes(job)
        if moved <= 0:
            failures.append(f"job {name} ({engine} on {target}): no bytes moved")
        recs = [s for s in run.stats if s.get("job") == name]
        if len(recs) != 1:
            failures.append(f"job {name}: {len(recs)} cvmio-stats records, expected 1")
            continue
        rec = recs[0]
        if rec.get("engine") != engine:
            failures.append(f"job {name}: cvmio-stats engine {rec.get('engine')}, expected {engine}")
        if backing == "file":
            # verify reads are engine I/O too but fio counts only the writes
            # in write.total_ios; the writes must all be in the record
            if rec.get("ios_write") != job["write"]["total_ios"]:
                failures.append(f"job {name}: cvmio-stats ios_write {rec.get('ios_write')} != "
                                f"fio's {job['write']['total_ios']}")
        elif rec.get("ios") != gl.job_ios(job):
            failures.append(f"job {name}: cvmio-stats ios {rec.get('ios')} != fio's {gl.job_ios(job)}")
    return failures


def boot_case(mode, backend, backing, workdir):
    def run():
        disk = None
        if backing == "file":
            disk = os.path.join(workdir, f"{backend}.img")
            with open(disk, "wb") as f:
                f.truncate(DISK_MB << 20)
        with gl.Guest(mode, backend, backing, disk=disk, workdir=os.path.join(workdir, backend + "-" + backing)) as g:
            print(f"       {g.name}: fio server ready {g.boot_seconds:.1f}s after QEMU start", flush=True)
            failures = []
            boot = g.boot_check()
            if boot is None:
                failures.append("no CVMIO-CHECK-BEGIN/END block on the console")
            run = g.fio(jobfile(backend, backing), name="engines")
            failures += check_fio(run, backend, backing)
            failures += guestcheck.verify_mode(mode, g.check(), after_io=True, backend=backend)
            return failures
    return run


def main(mode):
    gl.require_appliance()
    os.makedirs("build/test-tmp", exist_ok=True)
    workdir = tempfile.mkdtemp(prefix=f"guest-{mode}-", dir="build/test-tmp")
    cases = []
    matrix = [(b, k) for b in BACKENDS for k in BACKINGS] + [(b, "null") for b in NULL_ONLY_BACKENDS]
    for backend, backing in matrix:
        os.makedirs(os.path.join(workdir, backend + "-" + backing), exist_ok=True)
        cases.append((f"{mode} {backend} {backing}", boot_case(mode, backend, backing, workdir)))
    results = gl.run_parallel(cases, workers=int(os.environ.get("CVMIO_GUEST_PARALLEL", "2")))
    failed = [n for n, f in results.items() if f]
    print(f"{len(results) - len(failed)}/{len(results)} boots passed", flush=True)
    if failed:
        print("guest logs kept in " + workdir)
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0
