// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the analyzer keeps while it streams through the files: per
 * (condition, backend, signature, direction) one value per repetition and
 * metric, plus the merged latency bins for the CDF plots.  Memory grows
 * with the number of repetitions (8 bytes each), not with the files' size.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "cvmio.h"

void store_init(struct store *st)
{
	memset(st, 0, sizeof(*st));
}

void store_free(struct store *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->s[i].backend);
		for (int m = 0; m < M_COUNT; m++)
			free(st->s[i].metric[m].v), free(st->s[i].metric[m].rep);
		hist_free(&st->s[i].cdf);
	}
	free(st->s);
	for (size_t i = 0; i < st->nconds; i++)
		free(st->conds[i]);
	free(st->conds);
	free(st->prov);
	for (size_t i = 0; i < st->nreps; i++)
		free(st->reps[i]);
	free(st->reps);
	store_init(st);
}

size_t store_cond(struct store *st, const char *cond)
{
	for (size_t i = 0; i < st->nconds; i++)
		if (!strcmp(st->conds[i], cond))
			return i;
	char **c = realloc(st->conds, (st->nconds + 1) * sizeof(*c));
	if (!c)
		abort();
	st->conds = c;
	struct provenance *p = realloc(st->prov, (st->nconds + 1) * sizeof(*p));
	if (!p)
		abort();
	st->prov = p;
	memset(&st->prov[st->nconds], 0, sizeof(*p));
	st->conds[st->nconds] = strdup(cond);
	if (!st->conds[st->nconds])
		abort();
	return st->nconds++;
}

struct series *store_find(const struct store *st, size_t cond, const char *backend,
			  const struct signature *sig, enum direction d)
{
	for (size_t i = 0; i < st->n; i++) {
		struct series *s = &st->s[i];
		if (s->cond == cond && s->dir == d && !strcmp(s->backend, backend) &&
		    !signature_cmp(&s->sig, sig))
			return s;
	}
	return NULL;
}

struct series *store_get(struct store *st, size_t cond, const char *backend,
			 const struct signature *sig, enum direction d)
{
	struct series *s = store_find(st, cond, backend, sig, d);
	if (s)
		return s;
	s = cvmio_grow(st->s, st->n, &st->cap, sizeof(*s));
	if (!s)
		return NULL;
	st->s = s;
	s = &st->s[st->n];
	memset(s, 0, sizeof(*s));
	s->backend = strdup(backend);
	if (!s->backend)
		return NULL;
	s->cond = cond;
	s->sig = *sig;
	s->dir = d;
	s->all_verified = true;
	hist_init(&s->cdf);
	st->n++;
	return s;
}

size_t store_rep(struct store *st, const char *rep_id)
{
	/* from the end: a walk adds a repetition's metrics one after another */
	for (size_t i = st->nreps; i-- > 0;)
		if (!strcmp(st->reps[i], rep_id))
			return i;
	char **grown = cvmio_grow(st->reps, st->nreps, &st->repcap, sizeof(*grown));
	if (!grown)
		return (size_t)-1;
	st->reps = grown;
	st->reps[st->nreps] = strdup(rep_id);
	if (!st->reps[st->nreps])
		return (size_t)-1;
	return st->nreps++;
}

int values_push(struct values *v, double x, size_t rep)
{
	size_t cap = v->cap;
	double *grown = cvmio_grow(v->v, v->n, &cap, sizeof(*grown));

	if (!grown)
		return -1;
	v->v = grown;
	size_t *grown_rep = cvmio_grow(v->rep, v->n, &v->cap, sizeof(*grown_rep));
	if (!grown_rep)
		return -1;
	v->rep = grown_rep;
	v->v[v->n] = x;
	v->rep[v->n++] = rep;
	return 0;
}

int store_add_file(struct store *st, size_t cond, const char *backend, const char *rep_id,
		   const struct file_result *fr, const struct manifest_info *mi)
{
	bool verified = mi->state == VERIFY_YES;
	struct manifest_info said = *mi;
	/* the result's own fio version beats the runner's record of the fio it started */
	if (fr->fio_version[0])
		snprintf(said.fio, sizeof(said.fio), "%s", fr->fio_version);
	provenance_note(&st->prov[cond], &said);
	size_t rep = store_rep(st, rep_id);
	if (rep == (size_t)-1)
		return -1;
	for (size_t i = 0; i < fr->njobs; i++) {
		const struct job_measure *jm = &fr->jobs[i];
		for (int d = 0; d < DIR_COUNT; d++) {
			if (!jm->dir[d].present)
				continue;
			struct series *s = store_get(st, cond, backend, &jm->sig, d);
			if (!s)
				return -1;
			for (int m = 0; m < M_COUNT; m++) {
				double x;
				if (job_metric(jm, d, m, &x) && values_push(&s->metric[m], x, rep))
					return -1;
			}
			if (jm->dir[d].all_bins && hist_merge(&s->cdf, &jm->dir[d].bins))
				return -1;
			s->files++;
			s->eras |= jm->dir[d].era;
			s->accel |= mi->accel;
			s->all_verified = s->all_verified && verified;
		}
	}
	return 0;
}
