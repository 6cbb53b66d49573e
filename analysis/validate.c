// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a number from a fio result must be before the analyzer uses it: a
 * JSON number (not a string, null or boolean), finite, of the right kind
 * (counts are whole) and range, and consistent with the numbers fio derived
 * it from.  A bad value is an error naming the field, never a fallback to
 * another field: a silently replaced number is a wrong number nobody sees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

int field_num(struct json_object *o, const char *key, const struct field_rule *rule, double *out,
	      bool *present, char *err, size_t errlen)
{
	struct json_object *v;
	*present = o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v);
	if (!*present)
		return 0;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		snprintf(err, errlen, "field '%s' is %s, not a number", key, json_object_to_json_string(v));
		return -1;
	}
	double x = json_object_get_double(v);
	if (!isfinite(x)) {
		snprintf(err, errlen, "field '%s' is not a finite number", key);
		return -1;
	}
	if (x < rule->min || x > rule->max) {
		snprintf(err, errlen, "field '%s' is %.17g, outside [%g, %g]", key, x, rule->min, rule->max);
		return -1;
	}
	if (rule->whole && x != floor(x)) {
		snprintf(err, errlen, "field '%s' is %.17g, not a whole number", key, x);
		return -1;
	}
	*out = x;
	return 0;
}

/*
 * fio derives bandwidth and IOPS from the I/O done and the runtime in ms
 * (stat.c: bw_bytes = 1000 * io_bytes / runtime in integers, bw =
 * bw_bytes / 1024, iops = 1000.0 * total_ios / runtime printed with 6
 * decimals).  Agreement within that rounding is required; more is a file
 * edited or corrupted after fio wrote it.
 */
static bool agrees(double reported, double derived, double rounding)
{
	return fabs(reported - derived) <= rounding + 1e-9 * fabs(derived);
}

int check_direction_consistency(const struct dir_numbers *n, char *err, size_t errlen)
{
	if (!n->has_runtime || n->runtime_ms <= 0)
		return 0;	/* nothing to derive from (old fio, or a direction that did nothing) */
	double per_s = 1000.0 / n->runtime_ms;
	if (n->has_io_bytes && n->has_bw_bytes &&
	    !agrees(n->bw_bytes, floor(n->io_bytes * per_s), 1.0)) {
		snprintf(err, errlen, "field 'bw_bytes' is %.17g but io_bytes %.17g over runtime %.17g ms gives %.17g",
			 n->bw_bytes, n->io_bytes, n->runtime_ms, floor(n->io_bytes * per_s));
		return -1;
	}
	if (n->has_bw_bytes && n->has_bw && !agrees(n->bw_kib, floor(n->bw_bytes / 1024.0), 1.0)) {
		snprintf(err, errlen, "field 'bw' is %.17g KiB/s but bw_bytes is %.17g B/s", n->bw_kib, n->bw_bytes);
		return -1;
	}
	if (n->has_total_ios && n->has_iops && !agrees(n->iops, n->total_ios * per_s, 1e-6)) {
		snprintf(err, errlen, "field 'iops' is %.17g but total_ios %.17g over runtime %.17g ms gives %.17g",
			 n->iops, n->total_ios, n->runtime_ms, n->total_ios * per_s);
		return -1;
	}
	return 0;
}

/* fio's percentile keys ("50.000000") in increasing order must have non-decreasing values. */
int check_percentiles(struct json_object *pct, char *err, size_t errlen)
{
	if (!pct)
		return 0;
	if (!json_object_is_type(pct, json_type_object)) {
		snprintf(err, errlen, "field 'percentile' is not an object");
		return -1;
	}
	static const struct field_rule latency = { 0, 1e15, false };
	double prev_key = -1, prev_val = -1;
	/* fio writes them in increasing order; a file whose keys are not is as wrong as one whose values fall */
	json_object_object_foreach(pct, key, val) {
		(void)val;
		char *end;
		double k = strtod(key, &end);
		double v;
		bool present;
		if (*end || !(k >= 0 && k <= 100)) {
			snprintf(err, errlen, "field 'percentile' has a key '%s' that is no percentile", key);
			return -1;
		}
		if (field_num(pct, key, &latency, &v, &present, err, errlen))
			return -1;
		if (k <= prev_key) {
			snprintf(err, errlen, "field 'percentile': key %s after %g, not increasing", key, prev_key);
			return -1;
		}
		if (v < prev_val) {
			snprintf(err, errlen, "field 'percentile': %s is %.17g, below the %g percentile's %.17g",
				 key, v, prev_key, prev_val);
			return -1;
		}
		prev_key = k;
		prev_val = v;
	}
	return 0;
}
