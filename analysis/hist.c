// SPDX-License-Identifier: GPL-2.0-only
/*
 * Completion-latency histograms from fio's json+ "bins".  fio's bins have
 * fixed representative values, so merging clones or repetitions is exact and
 * percentiles of the merge follow fio's own rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void hist_free(struct hist *h)
{
	free(h->bins);
	hist_init(h);
}

static int hist_reserve(struct hist *h, size_t n)
{
	if (n <= h->cap)
		return 0;
	size_t cap = h->cap ? h->cap : 64;
	while (cap < n)
		cap *= 2;
	struct hist_bin *b = realloc(h->bins, cap * sizeof(*b));
	if (!b)
		return -1;
	h->bins = b;
	h->cap = cap;
	return 0;
}

/* Index of the first bin with value >= v. */
static size_t lower_bound(const struct hist *h, uint64_t v)
{
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->bins[mid].value_ns < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int hist_add(struct hist *h, uint64_t value_ns, uint64_t count)
{
	if (!count)
		return 0;
	/* bins usually arrive in ascending order: append without searching */
	size_t i = (h->n && h->bins[h->n - 1].value_ns < value_ns) ? h->n : lower_bound(h, value_ns);
	if (i < h->n && h->bins[i].value_ns == value_ns) {
		h->bins[i].count += count;
	} else {
		if (hist_reserve(h, h->n + 1))
			return -1;
		memmove(&h->bins[i + 1], &h->bins[i], (h->n - i) * sizeof(h->bins[0]));
		h->bins[i].value_ns = value_ns;
		h->bins[i].count = count;
		h->n++;
	}
	h->total += count;
	return 0;
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->n)
		return 0;
	/* a linear merge of two sorted arrays */
	size_t alloc = dst->n + src->n;
	struct hist_bin *out = malloc(alloc * sizeof(*out));
	if (!out)
		return -1;
	size_t i = 0, j = 0, k = 0;
	while (i < dst->n || j < src->n) {
		if (j == src->n || (i < dst->n && dst->bins[i].value_ns < src->bins[j].value_ns)) {
			out[k++] = dst->bins[i++];
		} else if (i == dst->n || src->bins[j].value_ns < dst->bins[i].value_ns) {
			out[k++] = src->bins[j++];
		} else {
			out[k] = dst->bins[i++];
			out[k++].count += src->bins[j++].count;
		}
	}
	free(dst->bins);
	dst->bins = out;
	dst->n = k;
	dst->cap = alloc;
	dst->total += src->total;
	return 0;
}

bool hist_percentile(const struct hist *h, double pct, uint64_t *value_ns)
{
	if (!h->total || pct < 0 || pct > 100)
		return false;
	/* same comparison as fio's calc_clat_percentiles: sum >= pct/100 * total */
	long double want = (long double)pct / 100.0L * (long double)h->total;
	uint64_t sum = 0;
	for (size_t i = 0; i < h->n; i++) {
		sum += h->bins[i].count;
		if ((long double)sum >= want) {
			*value_ns = h->bins[i].value_ns;
			return true;
		}
	}
	*value_ns = h->bins[h->n - 1].value_ns;
	return true;
}

int hist_from_json(struct hist *h, struct json_object *bins, double scale_to_ns)
{
	if (!json_object_is_type(bins, json_type_object))
		return -1;
	json_object_object_foreach(bins, key, val) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(key, &end, 10);
		if (errno || end == key || *end)
			return -1;
		if (!json_object_is_type(val, json_type_int))
			return -1;
		int64_t c = json_object_get_int64(val);
		if (c < 0)
			return -1;
		double ns = (double)v * scale_to_ns;
		if (ns >= 1.8e19)
			return -1;
		if (hist_add(h, (uint64_t)ns, (uint64_t)c))
			return -1;
	}
	return 0;
}
