// SPDX-License-Identifier: GPL-2.0-only
/*
 * --table backends: within each condition, every backend against one
 * reference backend, workload by workload: value(backend) / value(reference)
 * from the medians over the repetitions.  The two sides ran in different
 * boots, so the interval and the rank test are the unpaired ones of
 * row_stats.  A backend, workload or metric the other side lacks is a
 * warning naming it; a reference backend with no results anywhere is an
 * error (a typo would otherwise print an empty table).
 */
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "cvmio.h"

/* The backends of the store, sorted and unique, joined by ", " into out. */
static void backend_names(const struct store *st, char *out, size_t len)
{
	out[0] = '\0';
	size_t used = 0;
	const char *last = "";
	/* repeated minimum search: a handful of backends */
	for (;;) {
		const char *next = NULL;
		for (size_t i = 0; i < st->n; i++) {
			const char *b = st->s[i].backend;
			if (strcmp(b, last) > 0 && (!next || strcmp(b, next) < 0))
				next = b;
		}
		if (!next)
			break;
		int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "", next);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
		last = next;
	}
}

int reference_exists(const struct store *st, const size_t *conds, size_t nconds, const char *reference)
{
	for (size_t c = 0; c < nconds; c++)
		if (cond_has_backend(st, conds[c], reference))
			return 0;
	char names[1024];
	backend_names(st, names, sizeof(names));
	return cvmio_error(CVMIO_EXIT_USAGE, "analyze",
			   "--reference-backend %s: no results of that backend in the conditions read (backends: %s)",
			   reference, names[0] ? names : "none");
}

/* Metrics of one backend's series against the reference's series of the same workload. */
static int metric_rows(const struct store *st, const struct series *ref, const struct series *s,
		       struct rowset *rs, struct diag *d)
{
	for (int m = 0; m < M_COUNT; m++) {
		const struct values *rv = &ref->metric[m], *sv = &s->metric[m];
		if (!rv->n || !sv->n) {
			if (rv->n || sv->n) {
				char label[160];
				signature_label(&s->sig, s->dir, label, sizeof(label));
				diag_warn(d, "%s: [%s] %s only under backend '%s'; not compared",
					  st->conds[s->cond], label, metric_name(m),
					  rv->n ? ref->backend : s->backend);
			}
			continue;
		}
		struct row r = { .compare_cond = s->cond, .backend = s->backend, .sig = s->sig, .dir = s->dir,
				 .metric = m, .verified = ref->all_verified && s->all_verified,
				 .accel = ref->accel | s->accel };
		/* different boots: never paired, whatever the repetitions are called */
		if (row_stats(rv->v, rv->n, sv->v, sv->n, NULL, &r) || rowset_push(rs, &r))
			return -1;
	}
	return 0;
}

/* Workloads of the reference that a backend of the same condition lacks. */
static void warn_reference_only(const struct store *st, size_t cond, const char *reference,
				struct diag *d)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct series *r = &st->s[i];
		if (r->cond != cond || strcmp(r->backend, reference))
			continue;
		for (size_t j = 0; j < st->n; j++) {
			const struct series *s = &st->s[j];
			if (s->cond != cond || !strcmp(s->backend, reference))
				continue;
			/* once per backend: its first series stands for it */
			bool first = true;
			for (size_t k = 0; k < j && first; k++)
				if (st->s[k].cond == cond && !strcmp(st->s[k].backend, s->backend))
					first = false;
			if (first && !store_find(st, cond, s->backend, &r->sig, r->dir)) {
				char label[160];
				signature_label(&r->sig, r->dir, label, sizeof(label));
				diag_warn(d, "%s: workload [%s] of reference backend '%s' not under backend '%s'; not compared",
					  st->conds[cond], label, reference, s->backend);
			}
		}
	}
}

static int condition_rows(const struct store *st, size_t cond, const char *reference, struct rowset *rs,
			  struct diag *d)
{
	if (!cond_has_backend(st, cond, reference)) {
		diag_warn(d, "condition '%s' has no results of reference backend '%s'; its backends are not compared",
			  st->conds[cond], reference);
		return 0;
	}
	const struct series **mine = malloc((st->n ? st->n : 1) * sizeof(*mine));
	if (!mine)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->s[i].cond == cond && strcmp(st->s[i].backend, reference))
			mine[n++] = &st->s[i];
	qsort(mine, n, sizeof(*mine), cmp_series);
	warn_reference_only(st, cond, reference, d);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct series *ref = store_find(st, cond, reference, &mine[i]->sig, mine[i]->dir);
		if (!ref) {
			char label[160];
			signature_label(&mine[i]->sig, mine[i]->dir, label, sizeof(label));
			diag_warn(d, "%s: workload [%s] of backend '%s' not under reference backend '%s'; not compared",
				  st->conds[cond], label, mine[i]->backend, reference);
			continue;
		}
		rc = metric_rows(st, ref, mine[i], rs, d);
	}
	free(mine);
	return rc;
}

int backends_build(const struct store *st, const size_t *conds, size_t nconds, const char *reference,
		   struct rowset *rs, struct diag *d)
{
	for (size_t c = 0; c < nconds; c++)
		if (condition_rows(st, conds[c], reference, rs, d))
			return -1;
	return 0;
}
