/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The statistics (stats.c): medians, bootstrap intervals, exact rank tests.
 */
#ifndef CVMIO_ANALYSIS_STATS_H
#define CVMIO_ANALYSIS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* ---- stats.c ---- */

/* splitmix64: small, fast, and its state lives with the caller. */
struct prng {
	uint64_t state;
};

void prng_seed(struct prng *p, uint64_t seed);
uint64_t prng_next(struct prng *p);
/* Uniform in [0, n). */
size_t prng_below(struct prng *p, size_t n);

/* Median of v (n > 0); sorts v in place. */
double median_sorted(const double *v, size_t n);
void sort_doubles(double *v, size_t n);
/*
 * 95 % percentile bootstrap interval of median(c)/median(b), resampling each
 * side with replacement; b and c sorted.  Deterministic for a given seed.
 */
int bootstrap_ratio_ci(const double *b, size_t nb, const double *c, size_t nc, unsigned resamples,
		       uint64_t seed, double *lo, double *hi);
/* One sample of a bootstrap over several: sorted values and whether its median multiplies or divides. */
struct boot_side {
	const double *v;
	size_t n;
	int power;	/* +1: numerator, -1: denominator */
};
/*
 * The same interval for any quotient of medians, e.g. the ratio of two
 * ratios (c1/b1)/(c2/b2) from four independent samples: each resample draws
 * every side with replacement, in the order given.  bootstrap_ratio_ci is
 * the two-sided case {b: -1, c: +1}.
 */
int bootstrap_median_quotient_ci(const struct boot_side *sides, size_t nsides, unsigned resamples,
				 uint64_t seed, double *lo, double *hi);
/* 95 % percentile bootstrap interval of the median of sorted v (the paired case: v holds per-pair ratios). */
int bootstrap_median_ci(const double *v, size_t n, unsigned resamples, uint64_t seed, double *lo,
			double *hi);

/*
 * Two-sided p-values, 2 * min(P(S <= s), P(S >= s)) under the exact
 * permutation distribution of the statistic given the data's ties
 * (midranks), so never below the exact floor; a normal approximation with
 * tie and continuity corrections only beyond the sizes below.
 */
#define MANN_WHITNEY_EXACT_MAX 50	/* na + nb */
#define WILCOXON_EXACT_MAX 200		/* non-zero differences */
/* Mann-Whitney U (Wilcoxon rank sum) of independent samples a and b. */
double mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);
/* Wilcoxon signed-rank of paired differences d (zeros dropped; all zero: 1). */
double wilcoxon_signed_rank_p(const double *d, size_t n);

#endif
