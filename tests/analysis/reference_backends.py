# SPDX-License-Identifier: GPL-2.0-only
"""A Python model of `cvmio analyze --table backends` and `--table penalty`
(CSV), on top of reference.py's reading of the raw fio numbers (values as
(repetition, value) pairs).  The golden test computes its expected values
with it.  Standard library only."""
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
                # different boots: never paired
                r, v = [x for _, x in r], [x for _, x in v]
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


def penalty_of(plain, cvm, unpaired):
    """(penalty, bootstrap sides with power +1 for the penalty, n, paired) of one backend."""
    pairs = None if unpaired else reference.pairs_of(plain, cvm)
    if pairs:
        ratios = [c / p for p, c in pairs]
        return reference.median(ratios), [(ratios, +1)], len(ratios), True
    p, c = [x for _, x in plain], [x for _, x in cvm]
    return reference.median(c) / reference.median(p), [(p, -1), (c, +1)], min(len(p), len(c)), False


def penalty_rows(top, baseline, compare, ref, unpaired=False):
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
            pen, sides, nb, pb = penalty_of(samples[0], samples[1], unpaired)
            rpen, rsides, nr, pr = penalty_of(samples[2], samples[3], unpaired)
            n = min(nb, nr)
            row = {"backend": backend, "reference_backend": ref, "rw": sig[0], "bs": sig[1 + i],
                   "iodepth": sig[3], "numjobs": sig[4], "rwmixread": "" if sig[5] is None else sig[5],
                   "direction": ("read", "write")[i], "metric": m, "penalty": pen,
                   "reference_penalty": rpen, "ratio_of_penalties": pen / rpen, "ci_low": None,
                   "ci_high": None, "n": n, "paired": pb and pr,
                   "value": reference.median([x for _, x in samples[1]])}
            if n >= 3:
                # the reference's penalty divides: its sides with the powers turned round
                row["ci_low"], row["ci_high"] = quotient_ci(sides + [(v, -pw) for v, pw in rsides])
            out.append(row)
    return out
