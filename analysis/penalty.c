// SPDX-License-Identifier: GPL-2.0-only
/*
 * --table penalty: whose CVM penalty is smallest.  For each backend and
 * workload, its penalty (median under the compared condition / median under
 * the baseline, the ratio the default table prints), the reference
 * backend's penalty, and their quotient, the ratio of penalties:
 * (C_b / P_b) / (C_r / P_r).  Below 1 (for a higher-is-better metric) the
 * backend loses more than the reference does.  Its interval comes from a
 * bootstrap over all four samples, each resampled on its own: the four
 * come from different boots.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
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

/* A sorted copy of one sample; NULL when out of memory. */
static double *sorted_copy(const struct values *v)
{
	double *out = malloc((v->n ? v->n : 1) * sizeof(double));
	if (out) {
		memcpy(out, v->v, v->n * sizeof(double));
		sort_doubles(out, v->n);
	}
	return out;
}

/*
 * The interval of (C_b / P_b) / (C_r / P_r) from the four samples of the
 * metric; n is the smallest of the four.  NAN bounds with fewer than 3
 * repetitions in any of them.
 */
static int four_sample_ci(const struct store *st, const struct penalty_set *ps, const struct row *b,
			  struct penalty_row *p)
{
	const struct series *src[4] = {
		store_find(st, ps->baseline, b->backend, &b->sig, b->dir),
		store_find(st, ps->compare, b->backend, &b->sig, b->dir),
		store_find(st, ps->baseline, ps->reference, &b->sig, b->dir),
		store_find(st, ps->compare, ps->reference, &b->sig, b->dir),
	};
	static const int power[4] = { -1, +1, +1, -1 };
	struct boot_side sides[4];
	double *copies[4] = { NULL };
	int rc = 0;
	p->n = (size_t)-1;
	for (int k = 0; k < 4; k++) {
		const struct values *v = &src[k]->metric[b->metric];
		p->n = v->n < p->n ? v->n : p->n;
		copies[k] = sorted_copy(v);
		if (!copies[k])
			rc = -1;
		sides[k] = (struct boot_side){ copies[k], v->n, power[k] };
	}
	p->ci_low = p->ci_high = NAN;
	if (!rc && p->n >= MIN_REPS_FOR_CI && isfinite(p->ratio))
		bootstrap_median_quotient_ci(sides, 4, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &p->ci_low,
					     &p->ci_high);
	for (int k = 0; k < 4; k++)
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
				diag_warn(d, "%s: [%s] %s%s: reference backend '%s' has no %s/%s ratio; no penalty comparison",
					  b->backend, label, whole ? "" : metric_name(b->metric), whole ? "every metric" : "",
					  ps->reference, st->conds[ps->compare], st->conds[ps->baseline]);
				warned = b;
			}
			continue;
		}
		struct penalty_row p = { .backend = b->backend, .sig = b->sig, .dir = b->dir, .metric = b->metric,
					 .value = b->compare, .penalty = b->ratio, .reference_penalty = r->ratio,
					 .verified = b->verified && r->verified };
		p.ratio = r->ratio != 0 ? b->ratio / r->ratio : NAN;
		if (four_sample_ci(st, ps, b, &p) || push_penalty(ps, &p))
			return -1;
	}
	return 0;
}
