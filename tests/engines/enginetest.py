# SPDX-License-Identifier: GPL-2.0-only
"""Shared helpers for the engine tests: run the real installed fio with the
cvmio engines from $CVMIO_BUILD/ioengines, parse its JSON (pure
JSON: the records go to the sidecar beside it) and the cvmio-stats records,
and check what a user would check.

Run from the project root by tests/run.sh with CVMIO_BUILD (build or
build/asan) and CVMIO_SAN (0/1).  With CVMIO_SAN=1 the engines are ASan/UBSan
builds; fio itself is not, so the sanitizer runtimes are LD_PRELOADed into
it, and any sanitizer report in fio's output fails the test.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

BUILD = os.environ.get("CVMIO_BUILD", "build")
SAN = os.environ.get("CVMIO_SAN", "0") == "1"


def _built_with_asan():
    """An engine built with SAN=1 cannot load without the preload, whatever
    CVMIO_SAN says; look at the build itself."""
    try:
        with open(os.path.join(BUILD, "ioengines", "cvmio-aio.so"), "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


SAN = SAN or _built_with_asan()
FIO = os.environ.get("CVMIO_FIO", "/usr/bin/fio")
ENGINES = ("cvmio-uring", "cvmio-aio")
RECORD_PREFIX = "cvmio-stats: "

# What a dying job, a sanitizer or a libc abort leave behind.  fio exits 0
# even when a job process died on a signal, so output must be scanned.
CRASH_SIGNS = re.compile(
    r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:"
    r"|Segmentation fault|core dumped|double free|stack smashing|Aborted"
    r"|fio: pid=\d+, got signal"
    r"|verify: bad|crc32c: verify failed|bad magic header")


class TestFailure(Exception):
    pass


def fail(msg):
    raise TestFailure(msg)


def skip(reason):
    print("skip: " + reason)
    sys.exit(77)


def main(body):
    """Run body(tmpdir) and map the outcome to the runner's exit codes."""
    tmp = tempfile.mkdtemp(prefix="cvmio-engtest-", dir=direct_io_dir())
    cleanups = []

    def on_signal(signum, _frame):
        raise TestFailure("interrupted by signal %d" % signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        body(tmp, cleanups)
    except TestFailure as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    finally:
        for fn in reversed(cleanups):
            try:
                fn()
            except Exception as e:  # cleanup must go on
                print("cleanup: %s" % e)
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok")
    sys.exit(0)


def supports_direct_io(folder):
    probe = os.path.join(folder, ".cvmio-odirect-probe-%d" % os.getpid())
    try:
        fd = os.open(probe, os.O_CREAT | os.O_RDWR | os.O_DIRECT, 0o600)
        os.close(fd)
        return True
    except OSError:
        return False
    finally:
        if os.path.exists(probe):
            os.unlink(probe)


def direct_io_dir():
    """Where test files go: $TMPDIR (or /tmp) unless it cannot do O_DIRECT
    (tmpfs), then build/tmp; skip when neither can."""
    os.makedirs("build/tmp", exist_ok=True)
    for folder in (tempfile.gettempdir(), os.path.abspath("build/tmp")):
        if supports_direct_io(folder):
            return folder
    skip("neither %s nor build/tmp supports O_DIRECT" % tempfile.gettempdir())


def engine_path(name, sub=""):
    path = os.path.abspath(os.path.join(BUILD, "ioengines", sub, name + ".so"))
    if not os.path.exists(path):
        fail("%s missing: build it first (make%s)" % (
            path, " O=build/asan SAN=1" if SAN else ""))
    return path


def fio_env():
    env = dict(os.environ)
    if SAN:
        libs = []
        for lib in ("libasan.so", "libubsan.so"):
            p = subprocess.run(["gcc", "-print-file-name=" + lib],
                               capture_output=True, text=True).stdout.strip()
            if not os.path.isabs(p) or not os.path.exists(p):
                fail("sanitizer runtime %s not found (gcc -print-file-name)" % lib)
            libs.append(p)
        env["LD_PRELOAD"] = ":".join(libs)
        # fio is uninstrumented: its own allocations are not ours to judge,
        # but any report from our code must fail loudly.
        env["ASAN_OPTIONS"] = ("detect_leaks=0:verify_asan_link_order=0:"
                               "halt_on_error=1:abort_on_error=1:"
                               "allocator_may_return_null=1")
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    return env


class FioRun:
    def __init__(self, rc, stdout, stderr, output, sidecar="", client=False):
        self.rc, self.stdout, self.stderr, self.output = rc, stdout, stderr, output
        self.sidecar = sidecar      # the records file beside the output file
        self.client = client        # fio --client: records inline, prefixed

    def text(self):
        return self.stdout + self.stderr + self.output + self.sidecar


def read_or_empty(path):
    return open(path).read() if os.path.exists(path) else ""


def run_fio(args, tmp, expect_ok=True, output_format="json+", timeout=60,
            env=None):
    """Run fio; the result goes to --output=fio-out.json, the engines'
    records to the sidecar fio-out.cvmio-stats beside it (parsed later)."""
    out = os.path.join(tmp, "fio-out.json")
    sidecar = os.path.join(tmp, "fio-out.cvmio-stats")
    for path in (out, sidecar):
        if os.path.exists(path):
            os.unlink(path)
    cmd = [FIO, "--output-format=" + output_format, "--output=" + out] + args
    rc, stdout, stderr = run_group(cmd, timeout, env)
    run = FioRun(rc, stdout, stderr, read_or_empty(out), read_or_empty(sidecar),
                 client=any(a.startswith("--client") for a in args))
    crash = CRASH_SIGNS.search(run.text())
    if crash:
        fail("fio %s: crash sign %r in output:\n%s" % (
            " ".join(args), crash.group(0), tail(run.text())))
    if expect_ok and rc != 0:
        fail("fio %s exited %d:\n%s" % (" ".join(args), rc,
                                         tail(run.text())))
    return run


def run_group(cmd, timeout, env=None):
    """Run cmd in its own process group; on timeout kill the whole group
    (a hung fio job process ignores the SIGTERM its parent would send)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env or fio_env(), start_new_session=True)
    try:
        stdout, stderr = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        stdout, stderr = p.communicate()
        fail("%s hung for %d s (killed):\n%s" % (" ".join(cmd), timeout,
                                                  tail(stdout + stderr)))
    return p.returncode, stdout, stderr


def tail(text, n=30):
    return "\n".join(text.splitlines()[-n:])


def parse_record_line(line, how):
    try:
        return json.loads(line)
    except ValueError as e:
        fail("%s: record is not one line of JSON (%s): %r" % (how, e, line))


def parse_sidecar(text):
    """JSON Lines, one object per job thread, nothing else."""
    return [parse_record_line(line, "sidecar") for line in text.splitlines()]


def parse_result(run):
    """(records, fio JSON) of a run.  Locally fio's output file must be pure
    JSON (json.load) and the records are in the sidecar; through fio
    --client they come inline in the client's output, prefixed."""
    if not run.client:
        if RECORD_PREFIX.strip() in run.output:
            fail("a record went into fio's output file:\n" + tail(run.output))
        try:
            data = json.loads(run.output)
        except ValueError as e:
            fail("fio's output file is not pure JSON (%s):\n%s" % (e, tail(run.output)))
        return parse_sidecar(run.sidecar), data
    return parse_inline(run.output)


def parse_inline(text):
    """Split text with inline "cvmio-stats: " lines into (records, fio JSON)."""
    records, json_start = [], None
    lines = text.splitlines(keepends=True)
    offset = 0
    for line in lines:
        if line.startswith(RECORD_PREFIX):
            records.append(parse_record_line(line[len(RECORD_PREFIX):], "inline"))
        elif json_start is None and line.rstrip("\n") == "{":
            json_start = offset
        offset += len(line)
    if json_start is None:
        fail("no fio JSON in output:\n" + tail(text))
    try:
        data, _ = json.JSONDecoder().raw_decode(text[json_start:])
    except ValueError as e:
        fail("fio JSON unreadable: %s" % e)
    return records, data


RECORD_KEYS = ("cvmio_stats", "engine", "job", "thread", "groupid", "rw", "bs",
               "iodepth", "numjobs", "rwmixread", "ios", "ios_read",
               "ios_write", "submit_calls", "submit_ns", "reap_calls",
               "reap_ns", "syscalls", "batch_hist", "reap_wait_ns", "cpu_ns",
               "clocksource", "clock")


def check_record_shape(rec, engine):
    if tuple(rec.keys()) != RECORD_KEYS:
        fail("record keys %s differ from doc/interfaces.md" % list(rec.keys()))
    if rec["engine"] != engine or rec["cvmio_stats"] != 1:
        fail("record names engine %r, expected %r" % (rec["engine"], engine))
    if rec["ios"] != rec["ios_read"] + rec["ios_write"]:
        fail("ios != ios_read + ios_write in %s" % rec)
    if rec["syscalls"] != rec["submit_calls"] + rec["reap_calls"]:
        fail("syscalls != submit_calls + reap_calls in %s" % rec)
    hist = rec["batch_hist"]
    if [b for b, _ in hist] != [1 << i for i in range(len(hist))]:
        fail("batch_hist buckets are not powers of two: %s" % hist)
    batched = sum(n for _, n in hist)
    if batched > rec["submit_calls"]:
        fail("batch_hist counts %d calls, more than submit_calls %d" % (
            batched, rec["submit_calls"]))
    # Each submit call moved at least its bucket's lower bound of I/Os.
    if sum(b * n for b, n in hist) > rec["ios"] + rec["iodepth"] * rec["numjobs"]:
        fail("batch_hist accounts for more I/Os than ios: %s" % rec)
    # (SQPOLL rings may submit without any syscall, but never reap without.)
    if rec["ios"] and rec["syscalls"] <= 0:
        fail("I/Os but no syscalls accounted: %s" % rec)
    if bool(rec["submit_calls"]) != bool(rec["submit_ns"]) or \
            bool(rec["reap_calls"]) != bool(rec["reap_ns"]):
        fail("calls and time disagree: %s" % rec)
    if rec["reap_wait_ns"] > rec["reap_ns"]:
        fail("reap_wait_ns exceeds reap_ns (it is a part of it): %s" % rec)
    if rec["ios"] and rec["cpu_ns"] <= 0:
        fail("I/Os but no thread CPU time: %s" % rec)
    if rec["clock"] not in ("cpu", "clock_gettime", "gettimeofday"):
        fail("record names no fio clock source: %r" % rec["clock"])
    if rec["clocksource"] != host_clocksource():
        fail("record says clocksource %r, the kernel %r" % (
            rec["clocksource"], host_clocksource()))


def host_clocksource():
    try:
        with open("/sys/devices/system/clocksource/clocksource0/"
                  "current_clocksource") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def check_jobs(records, data, engine, expect_records=True, expect_slat=True):
    """error 0, bytes moved, fio got submission latencies (an engine with a
    commit hook must report them itself), and the records agree with fio's
    counts."""
    # fio --client writes "client_stats" where plain fio writes "jobs".
    jobs = [j for j in data.get("jobs", data.get("client_stats", []))
            if j.get("jobname") != "All clients"]
    if not jobs:
        fail("fio JSON has no jobs")
    fio_ios, fio_rd, fio_wr, threads = {}, {}, {}, {}
    for job in jobs:
        name = job["jobname"]
        if job["error"] != 0:
            fail("job %s: error %d" % (name, job["error"]))
        moved = job["read"]["io_bytes"] + job["write"]["io_bytes"]
        if moved <= 0:
            fail("job %s moved no bytes" % name)
        for ddir in ("read", "write"):
            d = job[ddir]
            if expect_slat and d["total_ios"] and not d["slat_ns"].get("N"):
                fail("job %s: %d %s I/Os but no submission latency samples "
                     "(io_u_queued not called)" % (name, d["total_ios"], ddir))
        fio_rd[name] = fio_rd.get(name, 0) + job["read"]["total_ios"]
        fio_wr[name] = fio_wr.get(name, 0) + job["write"]["total_ios"]
        fio_ios[name] = fio_rd[name] + fio_wr[name]
        numjobs = int(job.get("job options", {}).get("numjobs",
                      data.get("global options", {}).get("numjobs", "1")))
        threads[name] = numjobs
    if not expect_records:
        if records:
            fail("cvmio_stats=0 but records were printed: %s" % records[0])
        return
    rec_ios, rec_rd, rec_wr, rec_n = {}, {}, {}, {}
    for rec in records:
        check_record_shape(rec, engine)
        name = rec["job"]
        rec_ios[name] = rec_ios.get(name, 0) + rec["ios"]
        rec_rd[name] = rec_rd.get(name, 0) + rec["ios_read"]
        rec_wr[name] = rec_wr.get(name, 0) + rec["ios_write"]
        rec_n[name] = rec_n.get(name, 0) + 1
    for name in fio_ios:
        if name not in rec_ios:
            fail("no cvmio-stats record for job %s" % name)
        if rec_n[name] != threads[name]:
            fail("job %s: %d records for numjobs=%d" % (name, rec_n[name], threads[name]))
        if (rec_ios[name], rec_rd[name], rec_wr[name]) != (
                fio_ios[name], fio_rd[name], fio_wr[name]):
            fail("job %s: records count ios %d (r %d w %d), fio %d (r %d w %d)" % (
                name, rec_ios[name], rec_rd[name], rec_wr[name],
                fio_ios[name], fio_rd[name], fio_wr[name]))


def make_file(tmp, name="target", size_mb=32):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    return path


def loop_device(tmp, cleanups, size_mb=32):
    """A loop device over a fresh file with direct I/O on, or skip."""
    if shutil.which("losetup") is None:
        skip("losetup not installed")
    backing = make_file(tmp, "loop-backing", size_mb)
    p = subprocess.run(["losetup", "--find", "--show", "--direct-io=on", backing],
                       capture_output=True, text=True)
    if p.returncode != 0:
        skip("losetup --direct-io=on not allowed here: %s" % p.stderr.strip())
    dev = p.stdout.strip()
    cleanups.append(lambda: subprocess.run(["losetup", "-d", dev], check=False))
    try:
        with open("/sys/block/%s/loop/dio" % os.path.basename(dev)) as f:
            dio = f.read().strip()
    except OSError:
        dio = "?"
    if dio != "1":
        skip("%s did not get direct I/O (loop/dio=%s)" % (dev, dio))
    return dev


# The workloads every engine runs on every target.
def workloads(target, size="16M", runtime="1"):
    timed = ["--time_based", "--runtime=" + runtime]
    common = ["--filename=" + target, "--size=" + size, "--direct=1"]
    return [
        ("randread", common + timed + ["--rw=randread", "--bs=4k", "--iodepth=16"]),
        ("randwrite", common + timed + ["--rw=randwrite", "--bs=4k", "--iodepth=16",
                                        "--ramp_time=300ms"]),
        ("sequential", common + timed + ["--rw=read", "--bs=128k", "--iodepth=8",
                                         "--numjobs=2", "--group_reporting"]),
        ("randrw-verify", common + ["--rw=randrw", "--rwmixread=50", "--bs=4k",
                                    "--iodepth=8", "--verify=crc32c",
                                    "--do_verify=1", "--size=4M"]),
    ]


def run_workloads(tmp, target):
    """Each engine x each workload: error 0, bytes, verify, records."""
    for engine in ENGINES:
        so = engine_path(engine)
        for name, args in workloads(target):
            run = run_fio(["--name=" + name, "--ioengine=external:" + so] + args, tmp)
            records, data = parse_result(run)
            check_jobs(records, data, engine)
            print("%-12s %-14s ok (%d records, ios %d)" % (
                engine, name, len(records), sum(r["ios"] for r in records)))
