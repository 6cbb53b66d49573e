// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics behind a ratio: medians across repetitions, a percentile
 * bootstrap interval of the ratio of medians (seeded, so the same input
 * gives the same output) and a Mann-Whitney U rank test.  Repetitions are
 * few and not normal; medians and rank tests assume nothing about shape.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void prng_seed(struct prng *p, uint64_t seed)
{
	p->state = seed;
}

uint64_t prng_next(struct prng *p)
{
	uint64_t z = (p->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

size_t prng_below(struct prng *p, size_t n)
{
	/* Lemire's multiply-and-reject: unbiased, and no division on the common path */
	unsigned __int128 m = (unsigned __int128)prng_next(p) * n;
	uint64_t low = (uint64_t)m;
	if (low < n) {
		uint64_t threshold = (uint64_t)(-(uint64_t)n) % n;
		while (low < threshold) {
			m = (unsigned __int128)prng_next(p) * n;
			low = (uint64_t)m;
		}
	}
	return (size_t)(m >> 64);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double median_sorted(const double *v, size_t n)
{
	if (!n)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/*
 * The median of n draws with replacement from sorted v.  v is sorted, so the
 * drawn values are ordered like the drawn indices: counting the indices
 * finds the middle ones in O(n), no sort.  counts has n entries.
 */
static double resample_median(struct prng *p, const double *v, size_t n, size_t *counts)
{
	memset(counts, 0, n * sizeof(*counts));
	for (size_t i = 0; i < n; i++)
		counts[prng_below(p, n)]++;
	size_t want_lo = (n - 1) / 2, want_hi = n / 2;	/* 0-based ranks of the middle */
	size_t seen = 0, i = 0;
	while (seen + counts[i] <= want_lo)
		seen += counts[i++];
	double lo = v[i];
	while (seen + counts[i] <= want_hi)
		seen += counts[i++];
	return (lo + v[i]) / 2.0;
}

/* Hoare's selection: afterwards v[k] is the k-th smallest, smaller ones before, larger after. */
static void select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

static double min_of(const double *v, size_t n)
{
	double m = v[0];
	for (size_t i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

/*
 * Quantile q of v by linear interpolation between order statistics (R's
 * type 7), by selection instead of a full sort; reorders v.
 */
static double quantile_select(double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	select_kth(v, n, i);
	if (i + 1 >= n)
		return v[i];
	double next = min_of(v + i + 1, n - i - 1);
	return v[i] + (pos - (double)i) * (next - v[i]);
}

/* The 2.5 % and 97.5 % quantiles of the n of want resamples that had a value; rc 0 or -1. */
static int percentile_interval(double *vals, size_t n, unsigned want, double *lo, double *hi)
{
	/* a resample with a zero baseline has no ratio; too many of them and there is no interval */
	if (n < want * 0.95)
		return -1;
	*lo = quantile_select(vals, n, 0.025);
	*hi = quantile_select(vals, n, 0.975);
	return 0;
}

/* The statistic of one resample: the product of each side's median raised to its power. */
static bool resample_statistic(struct prng *p, const struct boot_side *sides, size_t nsides,
			       size_t *scratch, double *out)
{
	double num = 1, den = 1;
	for (size_t s = 0; s < nsides; s++) {
		double m = resample_median(p, sides[s].v, sides[s].n, scratch);
		if (sides[s].power > 0)
			num *= m;
		else
			den *= m;
	}
	*out = num / den;
	return den != 0 && isfinite(*out);
}

int bootstrap_median_quotient_ci(const struct boot_side *sides, size_t nsides, unsigned resamples,
				 uint64_t seed, double *lo, double *hi)
{
	*lo = *hi = NAN;
	size_t most = 0;
	for (size_t s = 0; s < nsides; s++) {
		if (!sides[s].n)
			return -1;
		most = sides[s].n > most ? sides[s].n : most;
	}
	if (!nsides || !resamples)
		return -1;
	size_t *scratch = malloc(most * sizeof(size_t));
	double *stats = malloc(resamples * sizeof(double));
	if (!scratch || !stats) {
		free(scratch);
		free(stats);
		return -1;
	}
	struct prng p;
	prng_seed(&p, seed);
	size_t n = 0;
	/* the sides are drawn in the order given, each resample: the sequence is part of the contract */
	for (unsigned r = 0; r < resamples; r++)
		if (resample_statistic(&p, sides, nsides, scratch, &stats[n]))
			n++;
	int rc = percentile_interval(stats, n, resamples, lo, hi);
	free(scratch);
	free(stats);
	return rc;
}

int bootstrap_ratio_ci(const double *b, size_t nb, const double *c, size_t nc, unsigned resamples,
		       uint64_t seed, double *lo, double *hi)
{
	const struct boot_side sides[2] = { { b, nb, -1 }, { c, nc, +1 } };
	return bootstrap_median_quotient_ci(sides, 2, resamples, seed, lo, hi);
}

int bootstrap_median_ci(const double *v, size_t n, unsigned resamples, uint64_t seed, double *lo,
			double *hi)
{
	*lo = *hi = NAN;
	if (!n || !resamples)
		return -1;
	size_t *scratch = malloc(n * sizeof(size_t));
	double *medians = malloc(resamples * sizeof(double));
	if (!scratch || !medians) {
		free(scratch);
		free(medians);
		return -1;
	}
	struct prng p;
	prng_seed(&p, seed);
	for (unsigned r = 0; r < resamples; r++)
		medians[r] = resample_median(&p, v, n, scratch);
	int rc = percentile_interval(medians, resamples, resamples, lo, hi);
	free(scratch);
	free(medians);
	return rc;
}

/*
 * Midranks of v (1-based, ties share the mean of their ranks), doubled so
 * that they are integers: the exact null distributions below are sums of
 * these integers.  Returns the tie term sum(t^3 - t) for the normal
 * approximations; -1 when out of memory.
 */
static double doubled_midranks(const double *v, size_t n, unsigned *rank2)
{
	size_t *order = malloc(n * sizeof(*order));
	if (!order)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* insertion sort of indices: n is a count of repetitions, not of samples */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[order[j - 1]] > v[order[j]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	double tie_term = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && v[order[j + 1]] == v[order[i]])
			j++;
		double t = (double)(j - i + 1);
		tie_term += t * t * t - t;
		for (size_t k = i; k <= j; k++)
			rank2[order[k]] = (unsigned)(i + j + 2);	/* 2 * (i+1 + j+1) / 2 */
		i = j + 1;
	}
	free(order);
	return tie_term;
}

/* 2 * min(P(S <= s), P(S >= s)) over dist[0..max] (weights), at most 1. */
static double two_sided_from_dist(const double *dist, size_t max, size_t s)
{
	double total = 0, le = 0, ge = 0;
	for (size_t k = 0; k <= max; k++) {
		total += dist[k];
		if (k <= s)
			le += dist[k];
		if (k >= s)
			ge += dist[k];
	}
	double p = 2 * fmin(le, ge) / total;
	return p > 1 ? 1 : p;
}

/* Normal approximation with continuity correction (the doubled scale: 1 = half a rank). */
static double two_sided_normal(double s2, double mean2, double var2)
{
	if (var2 <= 0)
		return 1.0;
	double z = (fabs(s2 - mean2) - 1.0) / sqrt(var2);
	if (z < 0)
		z = 0;
	double p = erfc(z / sqrt(2.0));
	return p > 1 ? 1 : p;
}

/*
 * Exact conditional distribution of the (doubled) rank sum of a subset of
 * size na from the N scores rank2[]: ways[k][s] by adding one score at a
 * time.  Ties are handled exactly, because the scores are the midranks.
 */
static double rank_sum_exact_p(const unsigned *rank2, size_t N, size_t na, size_t s2)
{
	size_t smax = (size_t)N * (N + 1);	/* the sum of all doubled ranks */
	size_t stride = smax + 1;
	double *ways = calloc((na + 1) * stride, sizeof(double));
	if (!ways)
		return NAN;
	ways[0] = 1;
	for (size_t i = 0; i < N; i++)
		for (size_t k = (i + 1 < na ? i + 1 : na); k >= 1; k--)
			for (size_t s = rank2[i]; s <= smax; s++)
				ways[k * stride + s] += ways[(k - 1) * stride + s - rank2[i]];
	double p = two_sided_from_dist(ways + na * stride, smax, s2);
	free(ways);
	return p;
}

double mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	if (!na || !nb)
		return NAN;
	size_t n = na + nb;
	double *all = malloc(n * sizeof(*all));
	unsigned *rank2 = malloc(n * sizeof(*rank2));
	if (!all || !rank2) {
		free(all);
		free(rank2);
		return NAN;
	}
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	double tie_term = doubled_midranks(all, n, rank2);
	size_t s2 = 0;
	for (size_t i = 0; i < na; i++)
		s2 += rank2[i];
	double p;
	if (tie_term < 0) {
		p = NAN;
	} else if (n <= MANN_WHITNEY_EXACT_MAX) {
		p = rank_sum_exact_p(rank2, n, na, s2);
	} else {
		double mean2 = (double)na * (double)(n + 1);
		double var2 = 4.0 * (double)na * (double)nb / 12.0 *
			      ((double)(n + 1) - tie_term / ((double)n * (double)(n - 1)));
		p = two_sided_normal((double)s2, mean2, var2);
	}
	free(all);
	free(rank2);
	return p;
}

double wilcoxon_signed_rank_p(const double *d, size_t n)
{
	double *mag = malloc((n ? n : 1) * sizeof(*mag));
	unsigned *rank2 = malloc((n ? n : 1) * sizeof(*rank2));
	bool *positive = malloc((n ? n : 1) * sizeof(*positive));
	double p = NAN;
	if (!mag || !rank2 || !positive)
		goto out;
	/* Wilcoxon's rule: pairs without a difference say nothing about its sign; dropped */
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(d[i]))
			goto out;
		if (d[i] != 0) {
			mag[m] = fabs(d[i]);
			positive[m++] = d[i] > 0;
		}
	}
	if (!m) {
		p = 1.0;
		goto out;
	}
	double tie_term = doubled_midranks(mag, m, rank2);
	if (tie_term < 0)
		goto out;
	size_t w2 = 0, smax = 0;
	for (size_t i = 0; i < m; i++) {
		smax += rank2[i];
		if (positive[i])
			w2 += rank2[i];
	}
	if (m <= WILCOXON_EXACT_MAX) {
		/* every one of the 2^m sign patterns is equally likely: prob[s] by adding one rank at a time */
		double *prob = calloc(smax + 1, sizeof(double));
		if (!prob)
			goto out;
		prob[0] = 1;
		size_t reach = 0;
		for (size_t i = 0; i < m; i++) {
			reach += rank2[i];
			for (size_t s = reach + 1; s-- > 0;)
				prob[s] = 0.5 * prob[s] + (s >= rank2[i] ? 0.5 * prob[s - rank2[i]] : 0);
		}
		p = two_sided_from_dist(prob, smax, w2);
		free(prob);
	} else {
		double dm = (double)m;
		double var2 = 4.0 * (dm * (dm + 1) * (2 * dm + 1) / 24.0 - tie_term / 48.0);
		p = two_sided_normal((double)w2, (double)smax / 2.0, var2);
	}
out:
	free(mag);
	free(rank2);
	free(positive);
	return p;
}
