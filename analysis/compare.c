// SPDX-License-Identifier: GPL-2.0-only
/*
 * Baseline vs compare: one row per backend x signature x direction x metric
 * present on both sides.  ratio = median(compare) / median(baseline); with
 * at least 3 repetitions a side, a bootstrap interval and a rank test.
 * Anything present on one side only is a warning, never a silent gap.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
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

/* Sorted copies of both sides' values -> one row. */
int make_row(const struct values *bv, const struct values *cv, struct row *r)
{
	double *b = malloc(bv->n * sizeof(double)), *c = malloc(cv->n * sizeof(double));
	if (!b || !c) {
		free(b);
		free(c);
		return -1;
	}
	memcpy(b, bv->v, bv->n * sizeof(double));
	memcpy(c, cv->v, cv->n * sizeof(double));
	sort_doubles(b, bv->n);
	sort_doubles(c, cv->n);
	r->n_baseline = bv->n;
	r->n_compare = cv->n;
	r->baseline = median_sorted(b, bv->n);
	r->compare = median_sorted(c, cv->n);
	r->ratio = r->baseline != 0 ? r->compare / r->baseline : NAN;
	r->ci_low = r->ci_high = r->p_value = NAN;
	if (bv->n >= MIN_REPS_FOR_CI && cv->n >= MIN_REPS_FOR_CI && isfinite(r->ratio)) {
		/* the same seed for every row: a row's interval depends only on its own values */
		bootstrap_ratio_ci(b, bv->n, c, cv->n, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &r->ci_low,
				   &r->ci_high);
		r->p_value = mann_whitney_p(b, bv->n, c, cv->n);
	}
	free(b);
	free(c);
	return 0;
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
		  struct rowset *rs, struct diag *d)
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
						 .verified = b->all_verified && c->all_verified };
				rc = make_row(&b->metric[m], &c->metric[m], &r) || rowset_push(rs, &r);
			}
		}
	}
	free(base);
	return rc ? -1 : 0;
}
