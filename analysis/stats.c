// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics behind a ratio: medians across repetitions, a percentile
 * bootstrap interval of the ratio of medians (seeded, so the same input
 * gives the same output) and a Mann-Whitney U rank test.  Repetitions are
 * few and not normal; medians and rank tests assume nothing about shape.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

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
	int rc = -1;
	/* a resample with a zero denominator has no value; too many of them and there is no interval */
	if (n >= resamples * 0.95) {
		*lo = quantile_select(stats, n, 0.025);
		*hi = quantile_select(stats, n, 0.975);
		rc = 0;
	}
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

struct ranked {
	double v;
	int group;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

/* Number of arrangements with U = u for sizes (m, n), as a DP over u (exact in double up to 2^53). */
static double exact_p(size_t m, size_t n, double u)
{
	size_t umax = m * n;
	/* f[i][j][k]: ways sizes (i, j) reach U = k; keep a 2-D slab per i */
	size_t stride = umax + 1;
	double *prev = calloc((n + 1) * stride, sizeof(double));
	double *cur = calloc((n + 1) * stride, sizeof(double));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NAN;
	}
	for (size_t j = 0; j <= n; j++)
		prev[j * stride] = 1;	/* i = 0: U = 0 */
	for (size_t i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * stride * sizeof(double));
		cur[0] = 1;	/* j = 0 */
		for (size_t j = 1; j <= n; j++)
			for (size_t k = 0; k <= i * j; k++) {
				/* the largest value is from group 1 (adds j to U) or group 2 */
				double a = k >= j ? prev[j * stride + k - j] : 0;
				double b = cur[(j - 1) * stride + k];
				cur[j * stride + k] = a + b;
			}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	double total = 0, le = 0, ge = 0;
	for (size_t k = 0; k <= umax; k++) {
		double w = prev[n * stride + k];
		total += w;
		if ((double)k <= u + 1e-9)
			le += w;
		if ((double)k >= u - 1e-9)
			ge += w;
	}
	free(prev);
	free(cur);
	double p = 2 * fmin(le, ge) / total;
	return p > 1 ? 1 : p;
}

double mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	if (!na || !nb)
		return NAN;
	size_t n = na + nb;
	struct ranked *r = malloc(n * sizeof(*r));
	if (!r)
		return NAN;
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);

	double rank_sum_a = 0, tie_term = 0;
	bool ties = false;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && r[j + 1].v == r[i].v)
			j++;
		double avg_rank = (double)(i + j + 2) / 2.0;	/* ranks are 1-based */
		double t = (double)(j - i + 1);
		if (t > 1) {
			ties = true;
			tie_term += t * t * t - t;
		}
		for (size_t k = i; k <= j; k++)
			if (r[k].group == 0)
				rank_sum_a += avg_rank;
		i = j + 1;
	}
	free(r);
	double u = rank_sum_a - (double)na * (double)(na + 1) / 2.0;
	if (!ties && n <= 40)
		return exact_p(na, nb, u);

	double mu = (double)na * (double)nb / 2.0;
	double var = (double)na * (double)nb / 12.0 *
		     ((double)(n + 1) - tie_term / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return 1.0;
	double z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	double p = erfc(z / sqrt(2.0));
	return p > 1 ? 1 : p;
}
