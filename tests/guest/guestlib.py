# SPDX-License-Identifier: GPL-2.0-only
"""Boot the cvmio appliance under QEMU for the end-to-end tests.

Every guest's QEMU line comes from `cvmio qemu ... --print`; QEMU runs under
timeout(1) (TERM at the limit, KILL 5 s later), so it dies on schedule even
if the test itself is killed, and every guest started here is also stopped
at exit and on SIGTERM/SIGINT/SIGHUP.  Host forwards are on 127.0.0.1 only,
on free ports, so tests can run beside other people's.
"""

import atexit
import base64
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

BUILD = os.environ.get("CVMIO_BUILD", "build")
CVMIO = os.path.join(BUILD, "bin", "cvmio")
GUEST_DIR = os.environ.get("CVMIO_GUEST_DIR", "build/guest")  # make guest GUEST_KERNEL=x: build/guest-x
KERNEL = os.path.join(GUEST_DIR, "vmlinux")
# the uncompressed copy boots faster under TCG (no decompression in the guest)
INITRD = os.path.join(GUEST_DIR, "initramfs.cpio")
INITRD_ZST = os.path.join(GUEST_DIR, "initramfs.cpio.zst")
CMDLINE = os.path.join(GUEST_DIR, "cmdline")
FIO = os.environ.get("CVMIO_HOST_FIO", "fio")
ENGINES = {
    "cvmio-uring": "/usr/lib/cvmio/cvmio-uring.so",
    "cvmio-aio": "/usr/lib/cvmio/cvmio-aio.so",
    "cvmio-nvme": "/usr/lib/cvmio/cvmio-nvme.so",
}
# The disk under test inside the guest, per backend (doc/interfaces.md).
GUEST_DISK = {
    "virtio-blk": "/dev/vda",
    "virtio-blk-iothread": "/dev/vda",
    "virtio-scsi": "/dev/sda",
    "virtio-scsi-iothread": "/dev/sda",
    "nvme": "/dev/nvme0n1",
}
NVME_CHAR = "/dev/ng0n1"

BOOT_LIMIT = float(os.environ.get("CVMIO_GUEST_BOOT_LIMIT", "90"))
ACCEL = os.environ.get("CVMIO_GUEST_ACCEL")  # kvm / tcg; unset = cvmio qemu decides

_live = set()
_live_lock = threading.Lock()


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def skip(msg):
    print("skip: " + msg, flush=True)
    sys.exit(77)


def require_appliance():
    """The appliance and cvmio must exist (make check builds them first)."""
    for f in (CVMIO, KERNEL, INITRD, INITRD_ZST, CMDLINE):
        if not os.path.exists(f):
            fail(f"{f} is missing: run 'make all guest' first")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GuestError(Exception):
    pass


class Guest:
    """One appliance boot.  Use as a context manager; stop() is idempotent."""

    def __init__(self, mode, backend, backing="null", disk=None, limit=300,
                 smp=1, mem="512M", workdir=None, name=None, extra_args=()):
        self.mode, self.backend, self.backing, self.disk = mode, backend, backing, disk
        self.limit, self.smp, self.mem = limit, smp, mem
        self.extra_args = list(extra_args)
        self.name = name or f"{mode}-{backend}-{backing.split(':')[0]}"
        self.own_dir = workdir is None  # removed at stop() when we made it
        self.dir = workdir or tempfile.mkdtemp(prefix=f"cvmio-{self.name}-")
        self.console = os.path.join(self.dir, "console.log")
        self.qmp = os.path.join(self.dir, "qmp.sock")
        self.pidfile = os.path.join(self.dir, "qemu.pid")
        self.proc = None
        self.argv = None
        self.port = self.checkport = None
        self.boot_seconds = self.boot_cpu_seconds = None

    # --- composing and booting -------------------------------------------
    def compose(self):
        with open(CMDLINE) as f:
            append = f.read().strip()
        cmd = [CVMIO, "qemu", "--cvm", self.mode, "--backend", self.backend,
               "--backing", self.backing,
               "--kernel", KERNEL, "--initrd", INITRD, "--append", append,
               "--smp", str(self.smp), "--mem", self.mem,
               "--fwd", f"{self.port}:8765", "--fwd", f"{self.checkport}:8766",
               "--console", self.console, "--qmp", self.qmp,
               "--pidfile", self.pidfile, "--print"] + self.extra_args
        if ACCEL:  # else the composer's choice: KVM when usable, TCG otherwise
            cmd[cmd.index("--print"):cmd.index("--print")] = ["--accel", ACCEL]
        if self.disk:
            cmd[cmd.index("--backing"):cmd.index("--backing")] = ["--disk", self.disk]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise GuestError(f"cvmio qemu failed (exit {r.returncode}): {r.stderr.strip()}")
        return shlex.split(r.stdout)

    def start(self):
        for attempt in range(3):
            self.port, self.checkport = free_port(), free_port()
            self.argv = self.compose()
            for f in (self.console, self.pidfile):
                if os.path.exists(f):
                    os.unlink(f)
            self.qemu_log = os.path.join(self.dir, "qemu.log")
            self.started = time.monotonic()
            with open(self.qemu_log, "w") as log:
                self.proc = subprocess.Popen(
                    ["timeout", "-k", "5", str(int(self.limit))] + self.argv,
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            with _live_lock:
                _live.add(self)
            try:
                self.wait_ready()
                return self
            except GuestError:
                self.stop()
                if "host forwarding rule" in self.qemu_output() and attempt < 2:
                    continue  # a port was taken meanwhile: new ports, new boot
                raise
        return self

    def qemu_output(self):
        try:
            with open(self.qemu_log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def console_text(self):
        try:
            with open(self.console, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while True:
            text = self.console_text()
            m = re.search(pattern, text)
            if m:
                return m
            if "CVMIO-GUEST-ERROR" in text:
                line = text[text.index("CVMIO-GUEST-ERROR"):].splitlines()[0]
                raise GuestError(f"{self.name}: {line}")
            if self.proc.poll() is not None:
                raise GuestError(f"{self.name}: QEMU exited ({self.proc.returncode}) before "
                                 f"/{pattern}/: {self.qemu_output().strip()[-400:]}; console tail: "
                                 f"{text.strip()[-400:]}")
            if time.monotonic() > deadline:
                raise GuestError(f"{self.name}: no /{pattern}/ on the console within {timeout:.0f} s;"
                                 f" console tail: {text.strip()[-400:]}")
            time.sleep(0.05)

    def wait_ready(self):
        self.wait_for(r"CVMIO-FIO-SERVER-READY port=8765", BOOT_LIMIT)
        self.boot_seconds = time.monotonic() - self.started
        self.boot_cpu_seconds = self.qemu_cpu_seconds()

    def qemu_cpu_seconds(self):
        """CPU time QEMU has used so far (user + system, all threads): what a
        TCG boot costs independently of other load on the host."""
        pid = self.qemu_pid()
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, TypeError):
            return None

    def boot_check(self):
        """The JSON the guest printed between the check markers at boot."""
        m = re.search(r"CVMIO-CHECK-BEGIN\r?\n(.*?)CVMIO-CHECK-END", self.console_text(), re.S)
        return m.group(1).strip() if m else None

    def qemu_pid(self):
        try:
            with open(self.pidfile) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            pid = self.qemu_pid()
            try:
                if pid:
                    os.kill(pid, signal.SIGTERM)
                else:
                    os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(10)
        with _live_lock:
            _live.discard(self)
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- talking to the guest ----------------------------------------------
    def check(self, timeout=60):
        """`cvmio check --guest --json` as served on the check port now."""
        deadline = time.monotonic() + timeout
        with socket.create_connection(("127.0.0.1", self.checkport), timeout=timeout) as s:
            chunks = []
            while True:
                s.settimeout(max(1, deadline - time.monotonic()))
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        return b"".join(chunks).decode(errors="replace")

    def fio(self, jobtext, timeout=120, name="job"):
        """Run jobtext through fio --client; returns a FioRun."""
        job = os.path.join(self.dir, f"{name}.fio")
        out = os.path.join(self.dir, f"{name}.out")
        with open(job, "w") as f:
            f.write(jobtext)
        t0 = time.monotonic()
        proc = subprocess.Popen([FIO, f"--client=127.0.0.1,{self.port}", "--output-format=json",
                                 f"--output={out}", job],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            stderr, _ = proc.communicate(timeout=timeout)
            rc, timed_out = proc.returncode, False
        except subprocess.TimeoutExpired:
            # look while the run is still hung, then end the client
            notes = [host_process_state(proc.pid, "host fio client"), self.diagnose()]
            proc.kill()
            stderr, _ = proc.communicate()
            rc, timed_out = None, True
            stderr = (stderr or "") + "; " + "; ".join(notes)
        try:
            with open(out, errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        return FioRun(rc, text, stderr, timed_out, time.monotonic() - t0)

    def diagnose(self):
        """After a hung fio run: is the guest still alive, and is its fio
        server still serving (a hung job then, not a dead guest)?  The probe
        job also prints the state of every fio process in the guest (kernel
        stack, current syscall) and the disks' in-flight requests to the
        console; that block goes to hang-state.txt in the guest's folder and
        to stdout."""
        notes = []
        if self.proc.poll() is not None:
            return f"QEMU has exited ({self.proc.returncode})"
        try:
            c = self.check(timeout=20)
            notes.append("guest check port answers" if "cvmio_check" in c
                         else f"guest check port says {c[:80]!r}")
        except OSError as e:
            notes.append(f"guest check port does not answer ({e})")
        console_seen = len(self.console_text())
        job = os.path.join(self.dir, "diagnose.fio")
        with open(job, "w") as f:
            f.write("[probe]\nioengine=null\nsize=4k\n" + _exec_prerun_line(GUEST_FIO_STATE))
        try:
            r = subprocess.run([FIO, f"--client=127.0.0.1,{self.port}", job],
                               capture_output=True, text=True, timeout=30)
            notes.append(f"a null-engine probe job through the fio server exits {r.returncode}")
        except subprocess.TimeoutExpired:
            notes.append("the fio server does not run a null-engine probe job within 30 s")
        state = self._guest_fio_state(console_seen)
        if state:
            path = os.path.join(self.dir, "hang-state.txt")
            with open(path, "w") as f:
                f.write(state + "\n")
            print(f"       {self.name}: guest state of the hung run:\n{state}", flush=True)
            notes.append(f"guest fio processes' state in {path}")
        else:
            notes.append("no guest fio process state on the console")
        console = re.sub(r"CVMIO-DIAG-BEGIN.*?CVMIO-DIAG-END", "", self.console_text(), flags=re.S)
        tail = console.strip().splitlines()[-3:]
        notes.append(f"console tail: {tail}")
        return "; ".join(notes)

    def _guest_fio_state(self, after, wait=10):
        """The probe's block on the console (written after offset 'after')."""
        deadline = time.monotonic() + wait
        while True:
            m = re.search(r"CVMIO-DIAG-BEGIN\r?\n(.*?)CVMIO-DIAG-END", self.console_text()[after:], re.S)
            if m or time.monotonic() > deadline:
                return m.group(1).rstrip() if m else None
            time.sleep(0.2)


# Run in the guest by diagnose()'s probe job: every fio process (the server,
# its connection and backend processes, the jobs) with each thread's current
# syscall and kernel stack, and the requests in flight per disk, on the
# console between markers.
GUEST_FIO_STATE = r"""exec >/dev/console 2>&1
echo CVMIO-DIAG-BEGIN
for p in $(pidof fio); do
  echo "fio pid $p: $(grep -E '^(State|PPid)' /proc/$p/status | tr '\t\n' '  ')"
  for t in /proc/$p/task/*; do
    echo "  task ${t##*/} syscall: $(cat $t/syscall)"
    sed 's/^/    /' $t/stack
  done
done
for d in /sys/block/*; do echo "  ${d##*/} in flight (read write): $(cat $d/inflight)"; done
echo CVMIO-DIAG-END
"""


def _exec_prerun_line(script):
    """An exec_prerun= job line running a shell script: fio cuts option values
    at ';' (comment), so the script travels base64-encoded."""
    b64 = base64.b64encode(script.encode()).decode()
    return f"exec_prerun=sh -c 'eval \"$(echo {b64} | base64 -d)\"'\n"


def host_process_state(pid, what):
    """wchan and current syscall of a host process (why a client waits)."""
    try:
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read().strip() or "-"
        with open(f"/proc/{pid}/syscall") as f:
            syscall = f.read().strip()
        return f"{what} waits in {wchan} (syscall {syscall.split()[0]})"
    except (OSError, IndexError):
        return f"{what}: state not readable"


class FioRun:
    """One fio --client run: exit status, the JSON jobs, the cvmio-stats records."""

    def __init__(self, rc, text, stderr, timed_out, seconds):
        self.rc, self.text, self.stderr = rc, text, stderr
        self.timed_out, self.seconds = timed_out, seconds
        self.stats = []
        for line in text.splitlines():
            i = line.find("cvmio-stats: ")
            if i >= 0:
                try:
                    self.stats.append(json.loads(line[i + len("cvmio-stats: "):]))
                except ValueError:
                    pass
        self.data = self._json(text)
        self.jobs = []
        if self.data:
            self.jobs = self.data.get("client_stats") or self.data.get("jobs") or []
            # fio --client adds an "All clients" summary when >1 client; keep real jobs
            self.jobs = [j for j in self.jobs if j.get("jobname") != "All clients"]

    @staticmethod
    def _json(text):
        i = text.find("{\n")
        while i >= 0:
            try:
                return json.JSONDecoder().raw_decode(text[i:])[0]
            except ValueError:
                i = text.find("{\n", i + 1)
        return None

    def job(self, name):
        for j in self.jobs:
            if j.get("jobname") == name:
                return j
        return None

    def summary(self):
        # a hung run's stderr ends with the diagnosis: keep all of it
        keep = 1500 if self.timed_out else 300
        return (f"fio exit {self.rc}{' (timed out)' if self.timed_out else ''}; "
                f"stderr: {self.stderr.strip()[-keep:]!r}; output tail: {self.text.strip()[-300:]!r}")


def job_bytes(job):
    return sum(job.get(d, {}).get("io_bytes", 0) for d in ("read", "write", "trim"))


def job_ios(job):
    return sum(job.get(d, {}).get("total_ios", 0) for d in ("read", "write", "trim"))


def stop_all(*_):
    with _live_lock:
        guests = list(_live)
    for g in guests:
        g.stop()


def _on_signal(signum, _frame):
    stop_all()
    sys.exit(128 + signum)


atexit.register(stop_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


def run_parallel(cases, workers=2):
    """Run callables (each returns a list of failure strings) on `workers`
    threads; returns {case name: failures}."""
    results = {}
    pending = list(cases)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                name, fn = pending.pop(0)
            t0 = time.monotonic()
            try:
                failures = fn()
            except GuestError as e:
                failures = [str(e)]
            except Exception as e:  # a bug in the test must fail it, not hang it
                failures = [f"{type(e).__name__}: {e}"]
            with lock:
                results[name] = failures
                status = "ok" if not failures else "FAILED"
                print(f"{status:6} {name} ({time.monotonic() - t0:.1f}s)", flush=True)
                for f in failures:
                    print(f"       - {f}", flush=True)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
