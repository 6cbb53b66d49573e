// SPDX-License-Identifier: GPL-2.0-only
/*
 * Workload signatures: what makes two fio jobs "the same workload" across
 * conditions (rw, bs, iodepth, numjobs, rwmixread, ioengine), never the job
 * name, which authors change freely.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

const char *direction_name(enum direction d)
{
	return d == DIR_READ ? "read" : d == DIR_WRITE ? "write" : "mixed";
}

uint64_t signature_bs(const struct signature *sig, enum direction d)
{
	return sig->bs[d == DIR_MIXED ? DIR_READ : d];
}

bool parse_fio_size(const char *s, uint64_t *out)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
	unsigned long long v = strtoull(s, &end, base);
	if (errno)
		return false;
	unsigned shift = 0;
	switch (tolower((unsigned char)*end)) {
	case 'k': shift = 10; break;
	case 'm': shift = 20; break;
	case 'g': shift = 30; break;
	case 't': shift = 40; break;
	case 'p': shift = 50; break;
	default: break;
	}
	if (shift) {
		end++;
		/* "4k", "4kb", "4KiB": fio's default kb_base is 1024 for all of them */
		if (tolower((unsigned char)*end) == 'i')
			end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
	} else if (tolower((unsigned char)*end) == 'b') {
		end++;	/* "512b" */
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* The option's string value: the job's own over the global one. */
static const char *opt_get(struct json_object *job, struct json_object *global, const char *key)
{
	struct json_object *v;
	if (job && json_object_object_get_ex(job, key, &v))
		return json_object_get_string(v);
	if (global && json_object_object_get_ex(global, key, &v))
		return json_object_get_string(v);
	return NULL;
}

static const char *opt_get_alias(struct json_object *job, struct json_object *global, const char *a,
				 const char *b)
{
	/* job level first for both spellings, then global: the job overrides */
	struct json_object *v;
	if (job && (json_object_object_get_ex(job, a, &v) || json_object_object_get_ex(job, b, &v)))
		return json_object_get_string(v);
	return opt_get(NULL, global, a) ? opt_get(NULL, global, a) : opt_get(NULL, global, b);
}

void normalize_ioengine(const char *in, char *out, size_t outlen)
{
	const char *s = in;
	if (!strncmp(s, "external:", 9))
		s += 9;
	const char *slash = strrchr(s, '/');
	if (slash)
		s = slash + 1;
	size_t n = strlen(s);
	if (n > 3 && !strcmp(s + n - 3, ".so"))
		n -= 3;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* bs=R[,W[,T]]: an empty field keeps fio's default; one value sets all. */
static bool parse_bs(const char *s, uint64_t bs[2])
{
	bs[0] = bs[1] = 4096;
	if (!s)
		return true;
	const char *comma = strchr(s, ',');
	if (!comma)
		return parse_fio_size(s, &bs[0]) && parse_fio_size(s, &bs[1]) && bs[0] > 0;
	char first[64];
	size_t n = (size_t)(comma - s);
	if (n >= sizeof(first))
		return false;
	memcpy(first, s, n);
	first[n] = '\0';
	if (n && !parse_fio_size(first, &bs[0]))
		return false;
	const char *w = comma + 1;
	const char *comma2 = strchr(w, ',');
	char second[64];
	n = comma2 ? (size_t)(comma2 - w) : strlen(w);
	if (n >= sizeof(second))
		return false;
	memcpy(second, w, n);
	second[n] = '\0';
	if (n && !parse_fio_size(second, &bs[1]))
		return false;
	return bs[0] > 0 && bs[1] > 0;
}

static bool parse_uint(const char *s, unsigned *out, unsigned dflt)
{
	if (!s) {
		*out = dflt;
		return true;
	}
	uint64_t v;
	if (!parse_fio_size(s, &v) || v == 0 || v > 1u << 20)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_percent(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 100)
		return false;
	*out = (int)v;
	return true;
}

static void set_rw(struct signature *sig, const char *rw)
{
	if (!rw)
		rw = "read";
	if (!strcmp(rw, "readwrite"))
		rw = "rw";
	snprintf(sig->rw, sizeof(sig->rw), "%s", rw);
}

bool signature_from_options(struct json_object *job, struct json_object *global,
			    struct signature *sig, char *err, size_t errlen)
{
	memset(sig, 0, sizeof(*sig));
	set_rw(sig, opt_get_alias(job, global, "rw", "readwrite"));

	const char *bs = opt_get_alias(job, global, "bs", "blocksize");
	if (!parse_bs(bs, sig->bs)) {
		snprintf(err, errlen, "invalid block size bs=%s", bs);
		return false;
	}
	const char *v = opt_get(job, global, "iodepth");
	if (!parse_uint(v, &sig->iodepth, 1)) {
		snprintf(err, errlen, "invalid iodepth=%s", v);
		return false;
	}
	v = opt_get(job, global, "numjobs");
	if (!parse_uint(v, &sig->numjobs, 1)) {
		snprintf(err, errlen, "invalid numjobs=%s", v);
		return false;
	}

	sig->rwmixread = -1;
	struct json_object *o;
	const char *mix = NULL;
	bool is_write_share = false;
	/* the job's own setting wins over the global one, whichever spelling */
	if (job && json_object_object_get_ex(job, "rwmixread", &o)) {
		mix = json_object_get_string(o);
	} else if (job && json_object_object_get_ex(job, "rwmixwrite", &o)) {
		mix = json_object_get_string(o);
		is_write_share = true;
	} else if (global && json_object_object_get_ex(global, "rwmixread", &o)) {
		mix = json_object_get_string(o);
	} else if (global && json_object_object_get_ex(global, "rwmixwrite", &o)) {
		mix = json_object_get_string(o);
		is_write_share = true;
	}
	if (mix) {
		if (!parse_percent(mix, &sig->rwmixread)) {
			snprintf(err, errlen, "invalid %s=%s", is_write_share ? "rwmixwrite" : "rwmixread", mix);
			return false;
		}
		if (is_write_share)
			sig->rwmixread = 100 - sig->rwmixread;
	}

	v = opt_get(job, global, "ioengine");
	if (v)
		normalize_ioengine(v, sig->ioengine, sizeof(sig->ioengine));
	return true;
}

int signature_cmp(const struct signature *a, const struct signature *b)
{
	int c = strcmp(a->rw, b->rw);
	if (c)
		return c;
	for (int i = 0; i < 2; i++)
		if (a->bs[i] != b->bs[i])
			return a->bs[i] < b->bs[i] ? -1 : 1;
	if (a->iodepth != b->iodepth)
		return a->iodepth < b->iodepth ? -1 : 1;
	if (a->numjobs != b->numjobs)
		return a->numjobs < b->numjobs ? -1 : 1;
	if (a->rwmixread != b->rwmixread)
		return a->rwmixread < b->rwmixread ? -1 : 1;
	return strcmp(a->ioengine, b->ioengine);
}

bool rw_only_writes(const char *rw)
{
	return !strncmp(rw, "write", 5) || !strncmp(rw, "randwrite", 9) ||
	       !strncmp(rw, "trimwrite", 9);
}

static void size_label(uint64_t b, char *out, size_t len)
{
	if (b >= (1u << 20) && b % (1u << 20) == 0)
		snprintf(out, len, "%lluM", (unsigned long long)(b >> 20));
	else if (b >= 1024 && b % 1024 == 0)
		snprintf(out, len, "%lluk", (unsigned long long)(b >> 10));
	else
		snprintf(out, len, "%llu", (unsigned long long)b);
}

void signature_label(const struct signature *sig, enum direction d, char *out, size_t len)
{
	char bs[32], mix[16] = "", eng[SIG_ENGINE_LEN + 2] = "";
	size_label(signature_bs(sig, d), bs, sizeof(bs));
	if (sig->rwmixread >= 0)
		snprintf(mix, sizeof(mix), " %d%%r", sig->rwmixread);
	if (sig->ioengine[0])
		snprintf(eng, sizeof(eng), " %s", sig->ioengine);
	snprintf(out, len, "%s%s %s qd%u j%u%s", sig->rw, mix, bs, sig->iodepth, sig->numjobs, eng);
}
