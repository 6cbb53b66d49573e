# SPDX-License-Identifier: GPL-2.0-only
"""A Python model of `cvmio analyze --table backends` and `--table penalty`
(CSV), on top of reference.py's reading of the raw fio numbers.  The golden
test computes its expected values with it.  Standard library only."""
import reference

WORKLOAD_ORDER = lambda k: (k[0], k[1][0], k[1][1], k[1][2], k[1][3], k[1][4],  # noqa: E731
                            -1 if k[1][5] is None else k[1][5], k[1][6], k[2])


def quotient_ci(sides):
    """95% bootstrap interval of prod(median(v)^power) over sides [(values, power)],
    each resampled on its own, in the order given (analysis/stats.c draws so)."""
    sides = [(sorted(v), pw) for v, pw in sides]
    p = reference.SplitMix64(reference.SEED)
    stats = []
    for _ in range(reference.RESAMPLES):
        num = den = 1.0
        for v, pw in sides:
            m = reference.median([v[p.below(len(v))] for _ in v])
            if pw > 0:
                num *= m
            else:
                den *= m
        if den != 0:
            stats.append(num / den)
    if len(stats) < reference.RESAMPLES * 0.95:
        return None, None
    stats.sort()
    return reference.quantile(stats, 0.025), reference.quantile(stats, 0.975)


def backends_rows(top, conds, ref):
    out = []
    for cond in conds:
        series = reference.load_condition(top, cond)
        for key in sorted(series, key=WORKLOAD_ORDER):
            backend, sig, i = key
            rkey = (ref, sig, i)
            if backend == ref or rkey not in series:
                continue
            for m in reference.METRICS:
                r, v = series[rkey].get(m), series[key].get(m)
                if not r or not v:
                    continue
                mr, mv = reference.median(r), reference.median(v)
                row = {"condition": cond, "backend": backend, "reference_backend": ref, "rw": sig[0],
                       "bs": sig[1 + i], "iodepth": sig[3], "numjobs": sig[4],
                       "rwmixread": "" if sig[5] is None else sig[5], "direction": ("read", "write")[i],
                       "metric": m, "reference": mr, "value": mv, "ratio": mv / mr if mr else None,
                       "ci_low": None, "ci_high": None, "n_reference": len(r), "n_value": len(v),
                       "p_value": None}
                if len(r) >= 3 and len(v) >= 3 and mr:
                    row["ci_low"], row["ci_high"] = quotient_ci([(r, -1), (v, +1)])
                    row["p_value"] = reference.mann_whitney(r, v)
                out.append(row)
    return out


def penalty_rows(top, baseline, compare, ref):
    base, comp = reference.load_condition(top, baseline), reference.load_condition(top, compare)
    out = []
    for key in sorted(base, key=WORKLOAD_ORDER):
        backend, sig, i = key
        rkey = (ref, sig, i)
        if backend == ref or key not in comp or rkey not in base or rkey not in comp:
            continue
        for m in reference.METRICS:
            samples = [base[key].get(m), comp[key].get(m), base[rkey].get(m), comp[rkey].get(m)]
            if not all(samples):
                continue
            pb, cb, pr, cr = (reference.median(s) for s in samples)
            pen, rpen = cb / pb, cr / pr
            n = min(len(s) for s in samples)
            row = {"backend": backend, "reference_backend": ref, "rw": sig[0], "bs": sig[1 + i],
                   "iodepth": sig[3], "numjobs": sig[4], "rwmixread": "" if sig[5] is None else sig[5],
                   "direction": ("read", "write")[i], "metric": m, "penalty": pen,
                   "reference_penalty": rpen, "ratio_of_penalties": pen / rpen, "ci_low": None,
                   "ci_high": None, "n": n, "value": cb}
            if n >= 3:
                row["ci_low"], row["ci_high"] = quotient_ci(
                    [(samples[0], -1), (samples[1], +1), (samples[2], +1), (samples[3], -1)])
            out.append(row)
    return out
