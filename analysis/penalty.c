// SPDX-License-Identifier: GPL-2.0-only
/*
 * --table penalty: whose CVM penalty is smallest.  For each backend and
 * workload, its penalty (median under the compared condition / median under
 * the baseline, the ratio the default table prints), the reference
 * backend's penalty, and their quotient, the ratio of penalties:
 * (C_b / P_b) / (C_r / P_r).  Below 1 (for a higher-is-better metric) the
 * backend loses more than the reference does.  Its interval comes from a
 * bootstrap over all four samples.  The backend and the reference ran in
 * different boots, so they are resampled independently; within one
 * backend, where the runner paired repetitions (rep-N under both
 * conditions, the rows of compare_build that have pairs), the penalty is
 * the median of per-pair ratios and its pairs are resampled as pairs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "cvmio.h"

#define MIN_REPS_FOR_CI 3

void penalty_set_free(struct penalty_set *ps)
{
	free(ps->r);
	ps->r = NULL;
	ps->n = ps->cap = 0;
}

static int push_penalty(struct penalty_set *ps, const struct penalty_row *p)
{
	struct penalty_row *grown = cvmio_grow(ps->r, ps->n, &ps->cap, sizeof(*grown));
	if (!grown)
		return -1;
	ps->r = grown;
	ps->r[ps->n++] = *p;
	return 0;
}

const struct row *rowset_find(const struct rowset *rs, size_t cond, const char *backend,
			      const struct signature *sig, enum direction dir, enum metric m)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->compare_cond == cond && r->metric == m && r->dir == dir && !strcmp(r->backend, backend) &&
		    !signature_cmp(&r->sig, sig))
			return r;
	}
	return NULL;
}

/*
 * One backend's penalty as bootstrap sides, appended to sides[*nsides]:
 * paired (its row has pairs), the per-pair ratios C_i / P_i, resampled as
 * pairs; else its two samples, each resampled on its own.  power +1 puts
 * the penalty in the numerator, -1 in the denominator.  *n: its pairs or
 * its smaller sample.  The copies are the caller's to free.
 */
static int penalty_sides(const struct store *st, const struct penalty_set *ps, const struct row *row,
			 int power, struct boot_side *sides, double **copies, size_t *nsides, size_t *n)
{
	const struct values *pv = &store_find(st, ps->baseline, row->backend, &row->sig, row->dir)->metric[row->metric];
	const struct values *cv = &store_find(st, ps->compare, row->backend, &row->sig, row->dir)->metric[row->metric];
	if (row->pairs) {
		double *ratios = malloc((cv->n ? cv->n : 1) * sizeof(double));
		bool some;
		if (!ratios)
			return -1;
		copies[*nsides] = ratios;
		pair_up(pv, cv, ratios, &some);	/* the row was paired: every value has its partner */
		for (size_t i = 0; i < cv->n; i++)
			ratios[i] = cv->v[i] / ratios[i];
		sort_doubles(ratios, cv->n);
		sides[(*nsides)++] = (struct boot_side){ ratios, cv->n, power };
		*n = cv->n;
		return 0;
	}
	const struct values *v[2] = { pv, cv };
	for (int k = 0; k < 2; k++) {
		copies[*nsides] = sorted_copy(v[k]->v, v[k]->n);
		if (!copies[*nsides])
			return -1;
		sides[*nsides] = (struct boot_side){ copies[*nsides], v[k]->n, k ? power : -power };
		(*nsides)++;
	}
	*n = pv->n < cv->n ? pv->n : cv->n;
	return 0;
}

/*
 * The interval of penalty(b) / penalty(r) by a bootstrap over every sample
 * involved: b and r ran in different boots, so they are resampled
 * independently of each other; within one backend, pairs stay pairs.  NAN
 * bounds with fewer than 3 repetitions (or pairs) anywhere.
 */
static int penalty_ci(const struct store *st, const struct penalty_set *ps, const struct row *b,
		      const struct row *r, struct penalty_row *p)
{
	struct boot_side sides[4];
	double *copies[4] = { NULL };
	size_t nsides = 0, nb = 0, nr = 0;
	int rc = penalty_sides(st, ps, b, +1, sides, copies, &nsides, &nb);
	if (!rc)
		rc = penalty_sides(st, ps, r, -1, sides, copies, &nsides, &nr);
	p->n = nb < nr ? nb : nr;
	p->paired = b->pairs && r->pairs;
	p->ci_low = p->ci_high = NAN;
	if (!rc && p->n >= MIN_REPS_FOR_CI && isfinite(p->ratio))
		bootstrap_median_quotient_ci(sides, nsides, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &p->ci_low,
					     &p->ci_high);
	for (size_t k = 0; k < 4; k++)
		free(copies[k]);
	return rc;
}

/* Has the reference backend any compare row of this workload? */
static bool reference_has_workload(const struct rowset *rs, const struct penalty_set *ps, const struct row *b)
{
	for (int m = 0; m < M_COUNT; m++)
		if (rowset_find(rs, ps->compare, ps->reference, &b->sig, b->dir, m))
			return true;
	return false;
}

int penalty_build(const struct store *st, const struct rowset *rs, struct penalty_set *ps, struct diag *d)
{
	const struct row *warned = NULL;	/* the last backend+workload warned about */
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *b = &rs->r[i];
		if (b->compare_cond != ps->compare || !strcmp(b->backend, ps->reference))
			continue;
		const struct row *r = rowset_find(rs, ps->compare, ps->reference, &b->sig, b->dir, b->metric);
		if (!r) {
			bool whole = !reference_has_workload(rs, ps, b);
			bool same = warned && !strcmp(warned->backend, b->backend) && warned->dir == b->dir &&
				    !signature_cmp(&warned->sig, &b->sig);
			if (!whole || !same) {
				char label[160];
				signature_label(&b->sig, b->dir, label, sizeof(label));
				diag_warn(d, "%s: [%s]%s%s: reference backend '%s' has no %s/%s ratio %s; no penalty comparison",
					  b->backend, label, whole ? "" : " ", whole ? "" : metric_name(b->metric),
					  ps->reference, st->conds[ps->compare], st->conds[ps->baseline],
					  whole ? "of this workload" : "of this metric");
				warned = b;
			}
			continue;
		}
		struct penalty_row p = { .backend = b->backend, .sig = b->sig, .dir = b->dir, .metric = b->metric,
					 .value = b->compare, .penalty = b->ratio, .reference_penalty = r->ratio,
					 .verified = b->verified && r->verified };
		p.ratio = r->ratio != 0 ? b->ratio / r->ratio : NAN;
		if (penalty_ci(st, ps, b, r, &p) || push_penalty(ps, &p))
			return -1;
	}
	return 0;
}
