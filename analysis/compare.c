// SPDX-License-Identifier: GPL-2.0-only
/*
 * Baseline vs compare: one row per backend x signature x direction x metric
 * present on both sides.  Anything present on one side only is a warning,
 * never a silent gap.
 *
 * cvmio run interleaves the conditions' repetitions, so rep-N of the
 * baseline and rep-N of the compare condition ran minutes apart on the same
 * host state: a pair.  Slow drift of the host (thermal, page cache, a
 * neighbour) moves both members of a pair alike, so the per-pair ratio
 * cancels it while medians of each side keep it as noise.  Paired, the
 * ratio is the median of the per-pair ratios (robust: one disturbed pair
 * moves it by one rank, not by its size; scale-free, so a 2x drift of the
 * level does not weight late pairs more), the interval a percentile
 * bootstrap over pairs, the p-value Wilcoxon's signed-rank test of the log
 * ratios (the test that belongs to a median of paired differences).
 * Without partners for every repetition: the ratio of the medians, each
 * side resampled on its own, Mann-Whitney U.  Intervals and p-values need
 * at least 3 repetitions a side.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "cvmio.h"

#define MIN_REPS_FOR_CI 3

void rowset_free(struct rowset *rs)
{
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

int rowset_push(struct rowset *rs, const struct row *r)
{
	struct row *grown = cvmio_grow(rs->r, rs->n, &rs->cap, sizeof(*grown));

	if (!grown)
		return -1;
	rs->r = grown;
	rs->r[rs->n++] = *r;
	return 0;
}

int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a, *y = *(const struct series *const *)b;
	int c = strcmp(x->backend, y->backend);
	if (c)
		return c;
	c = signature_cmp(&x->sig, &y->sig);
	if (c)
		return c;
	return (int)x->dir - (int)y->dir;
}

bool cond_has_backend(const struct store *st, size_t cond, const char *backend)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->s[i].cond == cond && !strcmp(st->s[i].backend, backend))
			return true;
	return false;
}

double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc((n ? n : 1) * sizeof(double));
	if (c) {
		memcpy(c, v, n * sizeof(double));
		sort_doubles(c, n);
	}
	return c;
}

/* Paired: per-pair ratios -> ratio, interval over pairs, signed-rank p. */
static int paired_stats(const double *cv, const double *pair_b, size_t n, struct row *r)
{
	double *ratios = malloc(n * sizeof(double)), *logs = malloc(n * sizeof(double));
	if (!ratios || !logs) {
		free(ratios);
		free(logs);
		return -1;
	}
	bool usable = true;
	for (size_t i = 0; i < n; i++) {
		ratios[i] = pair_b[i] != 0 ? cv[i] / pair_b[i] : NAN;
		usable = usable && isfinite(ratios[i]) && ratios[i] > 0;
		logs[i] = usable ? log(ratios[i]) : NAN;
	}
	r->pairs = n;
	if (usable) {
		sort_doubles(ratios, n);
		r->ratio = median_sorted(ratios, n);
		if (n >= MIN_REPS_FOR_CI) {
			bootstrap_median_ci(ratios, n, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &r->ci_low,
					    &r->ci_high);
			r->p_value = wilcoxon_signed_rank_p(logs, n);
			r->degenerate = r->ci_low == ratios[0] && r->ci_high == ratios[n - 1] &&
					ratios[0] < ratios[n - 1];
		}
	}
	free(ratios);
	free(logs);
	return 0;
}

int row_stats(const double *bv, size_t nb, const double *cv, size_t nc, const double *pair_b,
	      struct row *r)
{
	double *b = sorted_copy(bv, nb), *c = sorted_copy(cv, nc);
	int rc = 0;
	if (!b || !c) {
		rc = -1;
		goto out;
	}
	r->n_baseline = nb;
	r->n_compare = nc;
	r->baseline = median_sorted(b, nb);
	r->compare = median_sorted(c, nc);
	r->ratio = r->ci_low = r->ci_high = r->p_value = NAN;
	r->pairs = 0;
	r->degenerate = false;
	if (pair_b) {
		rc = paired_stats(cv, pair_b, nc, r);
		goto out;
	}
	r->ratio = r->baseline != 0 ? r->compare / r->baseline : NAN;
	if (nb >= MIN_REPS_FOR_CI && nc >= MIN_REPS_FOR_CI && isfinite(r->ratio)) {
		/* the same seed for every row: a row's interval depends only on its own values */
		bootstrap_ratio_ci(b, nb, c, nc, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &r->ci_low,
				   &r->ci_high);
		r->p_value = mann_whitney_p(b, nb, c, nc);
		r->degenerate = b[0] > 0 && r->ci_low == c[0] / b[nb - 1] &&
				r->ci_high == c[nc - 1] / b[0] && r->ci_low < r->ci_high;
	}
out:
	free(b);
	free(c);
	return rc;
}

/* (see analysis.h) */
bool pair_up(const struct values *bv, const struct values *cv, double *pair_b, bool *some_partner)
{
	bool all = bv->n == cv->n;
	*some_partner = false;
	for (size_t i = 0; i < cv->n; i++) {
		size_t found = 0;
		for (size_t j = 0; j < bv->n; j++)
			if (bv->rep[j] == cv->rep[i]) {
				pair_b[i] = bv->v[j];
				found++;
			}
		*some_partner = *some_partner || found;
		all = all && found == 1;
	}
	return all;
}

int compare_values(const struct values *bv, const struct values *cv, bool unpaired, bool *partial,
		   struct row *r)
{
	double *pair_b = malloc((cv->n ? cv->n : 1) * sizeof(double));
	if (!pair_b)
		return -1;
	bool some = false;
	bool paired = !unpaired && pair_up(bv, cv, pair_b, &some);
	*partial = !unpaired && !paired && some;
	int rc = row_stats(bv->v, bv->n, cv->v, cv->n, paired ? pair_b : NULL, r);
	free(pair_b);
	return rc;
}

static void warn_one_sided(const struct store *st, size_t have, size_t lack, struct diag *d)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct series *s = &st->s[i];
		if (s->cond != have)
			continue;
		if (!cond_has_backend(st, lack, s->backend)) {
			/* once per backend: the first series of it */
			bool first = true;
			for (size_t j = 0; j < i && first; j++)
				if (st->s[j].cond == have && !strcmp(st->s[j].backend, s->backend))
					first = false;
			if (first)
				diag_warn(d, "backend '%s' has results under '%s' but none under '%s'; not compared",
					  s->backend, st->conds[have], st->conds[lack]);
			continue;
		}
		if (!store_find(st, lack, s->backend, &s->sig, s->dir)) {
			char label[160];
			signature_label(&s->sig, s->dir, label, sizeof(label));
			diag_warn(d, "%s: workload [%s] only under '%s', not under '%s'; not compared",
				  s->backend, label, st->conds[have], st->conds[lack]);
		}
	}
}

int compare_build(const struct store *st, size_t baseline, const size_t *compares, size_t ncompares,
		  bool unpaired, struct rowset *rs, struct diag *d)
{
	const struct series **base = malloc((st->n ? st->n : 1) * sizeof(*base));
	if (!base)
		return -1;
	size_t nb = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->s[i].cond == baseline)
			base[nb++] = &st->s[i];
	qsort(base, nb, sizeof(*base), cmp_series);

	int rc = 0;
	for (size_t k = 0; k < ncompares && !rc; k++) {
		warn_one_sided(st, baseline, compares[k], d);
		warn_one_sided(st, compares[k], baseline, d);
		for (size_t i = 0; i < nb && !rc; i++) {
			const struct series *b = base[i];
			const struct series *c = store_find(st, compares[k], b->backend, &b->sig, b->dir);
			if (!c)
				continue;
			bool partial_warned = false;
			for (int m = 0; m < M_COUNT && !rc; m++) {
				if (!b->metric[m].n || !c->metric[m].n) {
					if (b->metric[m].n || c->metric[m].n) {
						char label[160];
						signature_label(&b->sig, b->dir, label, sizeof(label));
						diag_warn(d, "%s: [%s] %s only under '%s'; not compared",
							  b->backend, label, metric_name(m),
							  st->conds[b->metric[m].n ? baseline : compares[k]]);
					}
					continue;
				}
				struct row r = { .compare_cond = compares[k], .backend = b->backend,
						 .sig = b->sig, .dir = b->dir, .metric = m,
						 .verified = b->all_verified && c->all_verified,
						 .accel = b->accel | c->accel };
				bool partial = false;
				rc = compare_values(&b->metric[m], &c->metric[m], unpaired, &partial, &r) ||
				     rowset_push(rs, &r);
				if (partial && !partial_warned) {
					char label[160];
					signature_label(&b->sig, b->dir, label, sizeof(label));
					diag_warn(d, "%s: [%s] only some repetitions of '%s' have a partner under '%s'; analyzed unpaired",
						  b->backend, label, st->conds[compares[k]], st->conds[baseline]);
					partial_warned = true;
				}
			}
		}
	}
	free(base);
	return rc ? -1 : 0;
}
