# SPDX-License-Identifier: GPL-2.0-only
"""Helpers of the analyzer tests: run the real fio into a results tree, run cvmio."""
import csv
import io
import json
import os
import subprocess
import sys

FIO = "/usr/bin/fio"

JOBS = """[global]
filename={data}
size=16m
runtime=1
time_based
ioengine=psync
{extra}
[rr]
rw=randread
bs=4k
numjobs=2

[mix]
rw=randrw
rwmixread=70
bs=4k,8k

[seqw]
rw=write
bs=64k
ioengine=libaio
iodepth=4
"""

# A cheaper set for tests that need real fio output but not three workloads.
SHORT_JOBS = """[global]
filename={data}
size=4m
runtime=200ms
time_based
{extra}
[rr]
rw=randread
bs=4k

[sw]
rw=write
bs=16k
"""


def cvmio_bin():
    build = os.environ.get("CVMIO_BUILD", "build")
    path = os.path.join(build, "bin", "cvmio")
    if not os.access(path, os.X_OK):
        print("FAIL: %s not built" % path)
        sys.exit(1)
    return path


def run_fio(jobfile, out, extra_args=()):
    r = subprocess.run([FIO, "--output-format=json+", "--output=" + out, *extra_args, jobfile],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        print("FAIL: fio exited %d: %s" % (r.returncode, r.stdout))
        sys.exit(1)


def make_tree(tmp, conditions, reps=3, backend="virtio-blk", jobs=JOBS):
    """conditions: {name: extra global options}; returns the results folder."""
    top = os.path.join(tmp, "results")
    data = os.path.join(tmp, "data")
    for cond, extra in conditions.items():
        jobfile = os.path.join(tmp, cond + ".fio")
        with open(jobfile, "w") as f:
            f.write(jobs.format(data=data, extra=extra))
        d = os.path.join(top, cond, backend, "psync", "mixed")
        os.makedirs(d, exist_ok=True)
        for rep in range(1, reps + 1):
            run_fio(jobfile, os.path.join(d, "rep-%d.json" % rep))
    return top


def write_manifest(path, verified, backend="virtio-blk", mode="plain", reason="guest check"):
    with open(path, "w") as f:
        json.dump({"cvmio_manifest": 1, "study": "t", "mode": mode, "backend": backend,
                   "verified": verified, "verification": reason, "runs": []}, f)


def analyze(args, check=True):
    r = subprocess.run([cvmio_bin(), "analyze", *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        print("FAIL: cvmio analyze %s exited %d\n%s" % (" ".join(args), r.returncode, r.stderr))
        sys.exit(1)
    return r


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))
