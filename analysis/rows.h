/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rows the tables and figures show: compare/baseline ratios, backends
 * against a reference backend, and penalties (compare.c, backends.c, penalty.c).
 */
#ifndef CVMIO_ANALYSIS_ROWS_H
#define CVMIO_ANALYSIS_ROWS_H

#include "stats.h"
#include "store.h"

/* ---- compare.c ---- */

struct row {
	size_t compare_cond;
	const char *backend;
	struct signature sig;
	enum direction dir;
	enum metric metric;
	double baseline, compare, ratio;
	double ci_low, ci_high, p_value;	/* NAN when fewer than 3 repetitions a side */
	size_t n_baseline, n_compare;
	size_t pairs;		/* paired analysis: the number of pairs; 0 when unpaired */
	unsigned accel;		/* ACCEL_* of both sides' results */
	bool degenerate;	/* the interval is just the range the data allow: n too small */
	bool verified;
};

struct rowset {
	struct row *r;
	size_t n, cap;
};

#define BOOTSTRAP_RESAMPLES 2000
#define BOOTSTRAP_SEED 0x63766d696fULL	/* "cvmio" */

/*
 * One row's statistics from two sets of repetitions into r (its other fields
 * untouched): paired when every compare repetition has exactly one partner
 * of the same repetition identity in bv and unpaired is false, else the
 * independent-samples method; *partial: some, not all, had a partner.
 * 0 or -1 (memory).
 */
int compare_values(const struct values *bv, const struct values *cv, bool unpaired, bool *partial,
		   struct row *r);

/*
 * Rows for baseline vs each compare condition; one-sided series are warned
 * about.  A metric whose repetitions all have a partner at the same
 * repetition identity on the other side is analyzed paired, unless
 * unpaired is set (cvmio analyze --unpaired).
 */
int compare_build(const struct store *st, size_t baseline, const size_t *compares, size_t ncompares,
		  bool unpaired, struct rowset *rs, struct diag *d);
/*
 * One row's statistics from the two sides' values.  Paired when pair_b
 * (the baseline value of each compare value's partner, in cv's order) is
 * given: the median of the per-pair ratios, a bootstrap over pairs and the
 * Wilcoxon signed-rank test of the log ratios.  Else independent samples:
 * the ratio of medians, a bootstrap of each side, Mann-Whitney U.
 */
int row_stats(const double *bv, size_t nb, const double *cv, size_t nc, const double *pair_b,
	      struct row *r);
void rowset_free(struct rowset *rs);
/*
 * The baseline partner of every compare value (same repetition identity),
 * in cv's order, into pair_b; false unless both sides hold the same
 * repetitions, each once.  *some_partner: at least one had one.
 */
bool pair_up(const struct values *bv, const struct values *cv, double *pair_b, bool *some_partner);
/* A sorted copy of v (NULL when out of memory). */
double *sorted_copy(const double *v, size_t n);
int rowset_push(struct rowset *rs, const struct row *r);
/* qsort order of series pointers: backend, signature, direction. */
int cmp_series(const void *a, const void *b);
bool cond_has_backend(const struct store *st, size_t cond, const char *backend);

/* ---- backends.c ---- */

/* 0 when some condition of conds has results of backend reference, else the usage error (named). */
int reference_exists(const struct store *st, const size_t *conds, size_t nconds, const char *reference);
/*
 * Rows value(backend) / value(reference) per condition of conds, in struct
 * row: compare_cond is the condition, baseline/n_baseline the reference's
 * median and count, compare/n_compare the backend's.  -1: out of memory.
 */
int backends_build(const struct store *st, const size_t *conds, size_t nconds, const char *reference,
		   struct rowset *rs, struct diag *d);

/* ---- penalty.c ---- */

struct penalty_row {
	const char *backend;
	struct signature sig;
	enum direction dir;
	enum metric metric;
	double value;			/* median under the compared condition (the CVM) */
	double penalty;			/* compare / baseline of this backend */
	double reference_penalty;	/* the same for the reference backend */
	double ratio, ci_low, ci_high;	/* penalty / reference_penalty; NAN bounds below 3 reps */
	size_t n;			/* the fewest repetitions (or pairs) of the samples */
	bool paired;			/* both penalties from pairs (rep-N under both conditions) */
	bool verified;
};

struct penalty_set {
	size_t baseline, compare;	/* conditions */
	const char *reference;		/* backend */
	struct penalty_row *r;
	size_t n, cap;
};

/* The row of (cond, backend, workload, metric) in rs, or NULL. */
const struct row *rowset_find(const struct rowset *rs, size_t cond, const char *backend,
			      const struct signature *sig, enum direction dir, enum metric m);
/*
 * Penalty rows of every backend but the reference from rs, the compare rows
 * of ps->compare against ps->baseline; ps's conditions and reference set by
 * the caller.  Workloads the reference lacks are warned about.  -1: memory.
 */
int penalty_build(const struct store *st, const struct rowset *rs, struct penalty_set *ps, struct diag *d);
void penalty_set_free(struct penalty_set *ps);

#endif
