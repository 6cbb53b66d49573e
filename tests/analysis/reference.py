# SPDX-License-Identifier: GPL-2.0-only
"""A straightforward Python model of `cvmio analyze --format csv`.

The golden tests compute their expected values with it from the raw per-job
numbers of real fio runs, and `make bench-analyze` times it against the C
implementation (json.load + the same arithmetic).  Standard library only.
"""
import itertools
import json
import math
import os
import re

METRICS = ["bw_kib", "iops", "lat_mean_us", "clat_p50_us", "clat_p99_us", "clat_p999_us",
           "submit_us_per_io", "reap_us_per_io", "syscalls_per_io", "submit_calls_per_io"]
PCTS = {"clat_p50_us": (50.0, "50.000000"), "clat_p99_us": (99.0, "99.000000"),
        "clat_p999_us": (99.9, "99.900000")}
RESAMPLES = 2000
SEED = 0x63766d696f
MASK = (1 << 64) - 1


def parse_size(s):
    m = re.fullmatch(r"\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*([kKmMgGtTpP]?)([iI]?)([bB]?)\s*", s)
    if not m or (m.group(3) and not m.group(2)):
        raise ValueError("bad size %r" % s)
    v = int(m.group(1), 0) if m.group(1).lower().startswith("0x") else int(m.group(1))
    return v << {"": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50}[m.group(2).lower()]


def engine_name(v):
    if v.startswith("external:"):
        v = v[9:]
    v = v.rsplit("/", 1)[-1]
    return v[:-3] if v.endswith(".so") and len(v) > 3 else v


def signature(jo, go):
    def opt(*keys):
        for k in keys:
            if k in jo:
                return jo[k]
        for k in keys:
            if k in go:
                return go[k]
        return None
    rw = opt("rw", "readwrite") or "read"
    rw = "rw" if rw == "readwrite" else rw
    bs = [4096, 4096]
    b = opt("bs", "blocksize")
    if b is not None:
        parts = b.split(",")
        if len(parts) == 1:
            bs = [parse_size(b)] * 2
        else:
            bs = [parse_size(p) if p else 4096 for p in parts[:2]]
    qd = parse_size(opt("iodepth") or "1")
    nj = parse_size(opt("numjobs") or "1")
    mix = None
    for src in (jo, go):
        if "rwmixread" in src:
            mix = int(src["rwmixread"])
            break
        if "rwmixwrite" in src:
            mix = 100 - int(src["rwmixwrite"])
            break
    eng = opt("ioengine")
    return (rw, bs[0], bs[1], qd, nj, mix, engine_name(eng) if eng else "")


def only_writes(rw):
    return rw.startswith("write") or rw.startswith("randwrite") or rw.startswith("trimwrite")


def fio_object(text):
    """fio's JSON object: the first line starting with '{' that decodes."""
    dec = json.JSONDecoder()
    for m in re.finditer(r"(?m)^\{", text):
        try:
            obj, end = dec.raw_decode(text, m.start())
        except ValueError:
            continue
        if isinstance(obj, dict) and ("jobs" in obj or "client_stats" in obj):
            return obj, m.start(), end
    raise ValueError("no fio JSON object")


def percentile(bins, pct):
    total = sum(bins.values())
    want = pct / 100.0 * total
    s = 0
    for v in sorted(bins):
        s += bins[v]
        if s >= want:
            return v
    return max(bins)


def lat_obj(d, base):
    if base + "_ns" in d:
        return d[base + "_ns"], 1.0
    if base in d:
        return d[base], 1000.0
    return None, 1.0


def load_result(path):
    """{signature: {"dirs": {0|1: measure}, "eng": [...]}} for one fio run."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    root, start, end = fio_object(text)
    go = root.get("global options", {})
    jobs = {}
    for job in root["jobs"] if "jobs" in root else root["client_stats"]:
        if job.get("error", 0) or (job.get("jobname") == "All clients" and "job options" not in job):
            continue
        sig = signature(job.get("job options", {}), go)
        dirs = {}
        for i, key in enumerate(("read", "write", "mixed")):
            d = job.get(key)
            if not d or not d.get("total_ios"):
                continue
            lat, lscale = lat_obj(d, "lat")
            clat, cscale = lat_obj(d, "clat")
            if clat is not None and clat.get("N", 1) <= 0:
                clat = None
            bins = {}
            for k, c in ((clat or {}).get("bins") or {}).items():
                v = int(int(k) * cscale)
                bins[v] = bins.get(v, 0) + c
            pct = (clat or {}).get("percentile") or {}
            dirs[i] = {
                "ios": d["total_ios"],
                "bw": d["bw_bytes"] / 1024.0 if "bw_bytes" in d else float(d["bw"]),
                "iops": float(d["iops"]),
                "lat_sum": (lat["mean"] * lscale * lat.get("N", d["total_ios"])
                            if lat and lat.get("N", 1) > 0 else math.nan),
                "lat_n": lat.get("N", d["total_ios"]) if lat and lat.get("N", 1) > 0 else 0,
                "bins": bins, "allbins": bool(bins), "entries": 1,
                "pct": {m: pct[k] * cscale for m, (p, k) in PCTS.items() if k in pct},
            }
        if not dirs:
            continue
        have = jobs.setdefault(sig, {"dirs": {}, "eng": None})
        for i, m in dirs.items():
            if i not in have["dirs"]:
                have["dirs"][i] = m
                continue
            h = have["dirs"][i]
            for k in ("ios", "bw", "iops", "lat_sum", "lat_n", "entries"):
                h[k] += m[k]
            h["allbins"] = h["allbins"] and m["allbins"]
            for v, c in m["bins"].items():
                h["bins"][v] = h["bins"].get(v, 0) + c
    join_engines(text, start, end, jobs)
    return jobs


def join_engines(text, start, end, jobs):
    for m in re.finditer(r"cvmio-stats: (.*)", text):
        if start <= m.start() < end:
            continue
        try:
            r = json.loads(m.group(1))
        except ValueError:
            continue
        eng = engine_name(r["engine"])
        matches = [s for s in jobs if s[0] == r["rw"] and s[3] == r["iodepth"] and s[4] == r["numjobs"]
                   and s[5] == r["rwmixread"] and s[6] == eng
                   and (s[2] if only_writes(s[0]) else s[1]) == r["bs"]]
        if len(matches) != 1:
            continue
        e = jobs[matches[0]]["eng"] or {k: 0 for k in ("ios", "submit_ns", "reap_ns", "syscalls", "submit_calls")}
        for k in e:
            e[k] += r[k]
        jobs[matches[0]]["eng"] = e
    for j in jobs.values():
        if j["eng"] and j["eng"]["ios"] != sum(d["ios"] for d in j["dirs"].values()):
            j["eng"] = None


def metrics_of(job, i):
    d = job["dirs"][i]
    out = {"bw_kib": d["bw"], "iops": d["iops"]}
    if d["lat_n"] and not math.isnan(d["lat_sum"]):
        out["lat_mean_us"] = d["lat_sum"] / d["lat_n"] / 1000.0
    for m, (p, _) in PCTS.items():
        if d["allbins"]:
            out[m] = percentile(d["bins"], p) / 1000.0
        elif d["entries"] == 1 and m in d["pct"]:
            out[m] = d["pct"][m] / 1000.0
    e = job["eng"]
    first = min(job["dirs"])
    if e and e["ios"] and i == first:
        out["submit_us_per_io"] = e["submit_ns"] / 1000.0 / e["ios"]
        out["reap_us_per_io"] = e["reap_ns"] / 1000.0 / e["ios"]
        out["syscalls_per_io"] = e["syscalls"] / e["ios"]
        out["submit_calls_per_io"] = e["submit_calls"] / e["ios"]
    return out


def load_condition(top, cond):
    """{(backend, sig, dir): {metric: [(repetition, value)]}} over DIR/cond/<backend>/**/*.json;
    a repetition is the file's path relative to its backend folder."""
    series = {}
    cdir = os.path.join(top, cond)
    for backend in sorted(os.listdir(cdir)):
        bdir = os.path.join(cdir, backend)
        if not os.path.isdir(bdir):
            continue
        for root, _, files in os.walk(bdir):
            for name in sorted(files):
                if not name.endswith(".json") or name == "manifest.json":
                    continue
                path = os.path.join(root, name)
                rep = os.path.relpath(path, bdir)
                for sig, job in load_result(path).items():
                    for i in job["dirs"]:
                        s = series.setdefault((backend, sig, i), {})
                        for m, v in metrics_of(job, i).items():
                            s.setdefault(m, []).append((rep, v))
    return series


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9e3779b97f4a7c15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK
        z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        # Lemire's multiply-and-reject, as in analysis/stats.c
        m = self.next() * n
        if (m & MASK) < n:
            threshold = ((1 << 64) - n) % n
            while (m & MASK) < threshold:
                m = self.next() * n
        return m >> 64


def quantile(v, q):
    pos = q * (len(v) - 1)
    i = int(pos)
    if i + 1 >= len(v):
        return v[-1]
    return v[i] + (pos - i) * (v[i + 1] - v[i])


def bootstrap_ci(b, c):
    b, c = sorted(b), sorted(c)
    p = SplitMix64(SEED)
    ratios = []
    for _ in range(RESAMPLES):
        mb = median([b[p.below(len(b))] for _ in b])
        mc = median([c[p.below(len(c))] for _ in c])
        if mb != 0:
            ratios.append(mc / mb)
    if len(ratios) < RESAMPLES * 0.95:
        return None, None
    ratios.sort()
    return quantile(ratios, 0.025), quantile(ratios, 0.975)


def midranks(values):
    """1-based ranks, ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j + 2) / 2.0
        i = j + 1
    return ranks


def two_sided(stats, observed):
    """2 * min(P(S <= s), P(S >= s)) over equally likely outcomes, at most 1."""
    eps = 1e-9
    le = sum(1 for x in stats if x <= observed + eps)
    ge = sum(1 for x in stats if x >= observed - eps)
    return min(1.0, 2.0 * min(le, ge) / len(stats))


def mann_whitney(a, b):
    """Exact conditional rank-sum test by listing every way to pick len(a) of the pooled
    values (so ties count as they fall); the normal approximation beyond 50 values."""
    pooled = list(a) + list(b)
    ranks = midranks(pooled)
    n1, n = len(a), len(pooled)
    observed = sum(ranks[:n1])
    if n <= 50 and math.comb(n, n1) <= 2_000_000:
        return two_sided([sum(ranks[k] for k in pick) for pick in itertools.combinations(range(n), n1)],
                         observed)
    ties = {}
    for v in pooled:
        ties[v] = ties.get(v, 0) + 1
    tie_term = sum(t ** 3 - t for t in ties.values())
    var = n1 * (n - n1) / 12.0 * ((n + 1) - tie_term / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = max(0.0, (abs(observed - n1 * (n + 1) / 2.0) - 0.5) / math.sqrt(var))
    return min(1.0, math.erfc(z / math.sqrt(2.0)))


def signed_rank(diffs):
    """Exact Wilcoxon signed-rank test by listing all 2^n sign patterns of the non-zero
    differences' midranks (zeros dropped)."""
    d = [x for x in diffs if x != 0]
    if not d:
        return 1.0
    if len(d) > 20:
        raise ValueError("signed_rank lists 2^n patterns; %d pairs are too many for it" % len(d))
    ranks = midranks([abs(x) for x in d])
    observed = sum(r for r, x in zip(ranks, d) if x > 0)
    stats = [sum(r for r, s in zip(ranks, signs) if s) for signs in itertools.product((0, 1), repeat=len(d))]
    return two_sided(stats, observed)


def bootstrap_median_ci(v):
    v = sorted(v)
    p = SplitMix64(SEED)
    meds = sorted(median([v[p.below(len(v))] for _ in v]) for _ in range(RESAMPLES))
    return quantile(meds, 0.025), quantile(meds, 0.975)


def pairs_of(b, c):
    """[(baseline, compare)] by repetition when both sides hold the same ones, else None."""
    bmap = dict(b)
    if len(bmap) != len(b) or len(c) != len(b) or any(rep not in bmap for rep, _ in c):
        return None
    return [(bmap[rep], v) for rep, v in c]


PHASES = {"load": 0.0}


def rows(top, baseline, compares, unpaired=False):
    import time
    t0 = time.process_time()
    base = load_condition(top, baseline)
    PHASES["load"] += time.process_time() - t0
    out = []
    for cond in compares:
        t0 = time.process_time()
        comp = load_condition(top, cond)
        PHASES["load"] += time.process_time() - t0
        for key in sorted(base, key=lambda k: (k[0], k[1][0], k[1][1], k[1][2], k[1][3], k[1][4],
                                               -1 if k[1][5] is None else k[1][5], k[1][6], k[2])):
            if key not in comp:
                continue
            backend, sig, i = key
            for m in METRICS:
                bt, ct = base[key].get(m), comp[key].get(m)
                if not bt or not ct:
                    continue
                pairs = None if unpaired else pairs_of(bt, ct)
                b, c = [v for _, v in bt], [v for _, v in ct]
                mb, mc = median(b), median(c)
                row = {"backend": backend, "rw": sig[0], "bs": sig[1 + (0 if i == 2 else i)], "iodepth": sig[3],
                       "numjobs": sig[4], "rwmixread": "" if sig[5] is None else sig[5],
                       "direction": ("read", "write", "mixed")[i], "metric": m, "baseline": mb, "compare": mc,
                       "ratio": mc / mb if mb else None, "ci_low": None, "ci_high": None,
                       "n_baseline": len(b), "n_compare": len(c), "p_value": None,
                       "ioengine": sig[6], "baseline_condition": baseline, "compare_condition": cond,
                       "pairs": len(pairs) if pairs else None}
                if pairs:
                    ratios = [y / x if x else None for x, y in pairs]
                    row["ratio"] = None
                    if all(r is not None and r > 0 for r in ratios):
                        row["ratio"] = median(ratios)
                        if len(ratios) >= 3:
                            row["ci_low"], row["ci_high"] = bootstrap_median_ci(ratios)
                            row["p_value"] = signed_rank([math.log(r) for r in ratios])
                elif len(b) >= 3 and len(c) >= 3 and mb:
                    row["ci_low"], row["ci_high"] = bootstrap_ci(b, c)
                    row["p_value"] = mann_whitney(b, c)
                out.append(row)
    return out


def main(argv):
    import csv
    import sys
    top, baseline, compares = argv[1], argv[2], argv[3:]
    w = csv.writer(sys.stdout, lineterminator="\n")
    cols = ["backend", "rw", "bs", "iodepth", "numjobs", "rwmixread", "direction", "metric", "baseline",
            "compare", "ratio", "ci_low", "ci_high", "n_baseline", "n_compare", "p_value", "ioengine",
            "baseline_condition", "compare_condition", "pairs"]
    w.writerow(cols)
    import time
    for r in rows(top, baseline, compares):
        w.writerow(["" if r[c] is None else r[c] for c in cols])
    if os.environ.get("CVMIO_REF_PHASES"):
        # for the benchmark: how the CPU time splits between reading files and statistics
        sys.stderr.write("reference phases: load+aggregate %.3f s CPU, total %.3f s CPU\n"
                         % (PHASES["load"], time.process_time()))


if __name__ == "__main__":
    import sys
    main(sys.argv)
