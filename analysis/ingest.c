// SPDX-License-Identifier: GPL-2.0-only
/*
 * One fio result file -> per-job measurements.  fio prints warnings (and, in
 * results of older cvmio versions or fio --client output, our engines their
 * cvmio-stats records) around the JSON object, so the object is searched
 * for; the engines' records come from the sidecar X.cvmio-stats beside X.json
 * as well as from such inline lines; fio 3.x reports latencies in ns (lat_ns, clat_ns), older
 * versions in usec (lat, clat): both are read, ns preferred.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "measure.h"
#include "cvmio.h"

#define STATS_PREFIX "cvmio-stats: "
#define SIDECAR_SUFFIX ".cvmio-stats"

void file_result_init(struct file_result *fr)
{
	memset(fr, 0, sizeof(*fr));
}

void file_result_free(struct file_result *fr)
{
	for (size_t i = 0; i < fr->njobs; i++)
		for (int d = 0; d < DIR_COUNT; d++)
			hist_free(&fr->jobs[i].dir[d].bins);
	free(fr->jobs);
	free(fr->eng);
	file_result_init(fr);
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool get_num(struct json_object *o, const char *key, double *out)
{
	struct json_object *v = get(o, key);
	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_double(v);
	return isfinite(*out);
}

/* A latency object: the ns one if present, else the usec one (scaled to ns). */
static struct json_object *lat_obj(struct json_object *dir, const char *base, double *scale)
{
	char key[16];
	snprintf(key, sizeof(key), "%s_ns", base);
	struct json_object *o = get(dir, key);
	if (o && json_object_is_type(o, json_type_object)) {
		*scale = 1.0;
		return o;
	}
	o = get(dir, base);
	if (o && json_object_is_type(o, json_type_object)) {
		*scale = 1000.0;
		return o;
	}
	return NULL;
}

static const char *const pct_keys[3] = { "50.000000", "99.000000", "99.900000" };

static const struct field_rule count_rule = { 0, 1e18, true };
static const struct field_rule rate_rule = { 0, 1e15, false };	/* B/s, KiB/s or IO/s: 1 PB/s is no disk */
static const struct field_rule runtime_rule = { 0, 1e12, true };	/* ms: 30 years */
static const struct field_rule latency_rule = { 0, 1e15, false };	/* ns or us: 11 days at least */

/* field_num with the field's context ("lat_ns") in the message. */
static int read_field(struct json_object *o, const char *where, const char *key,
		      const struct field_rule *rule, double *out, bool *present, char *err, size_t errlen)
{
	char why[256];
	if (!field_num(o, key, rule, out, present, why, sizeof(why)))
		return 0;
	if (where)
		snprintf(err, errlen, "%s: %s", where, why);
	else
		snprintf(err, errlen, "%s", why);
	return -1;
}

/* The sample-count and mean of a latency object, validated; mean NAN when there is none. */
static int read_latency(struct json_object *lat, const char *where, double scale, struct dir_measure *dm,
			char *err, size_t errlen)
{
	double n = 0, mean = 0, lo = 0, hi = 0;
	bool has_n, has_mean, has_lo, has_hi;
	dm->lat_mean_ns = NAN;
	if (!lat)
		return 0;
	if (read_field(lat, where, "N", &count_rule, &n, &has_n, err, errlen) ||
	    read_field(lat, where, "mean", &latency_rule, &mean, &has_mean, err, errlen) ||
	    read_field(lat, where, "min", &latency_rule, &lo, &has_lo, err, errlen) ||
	    read_field(lat, where, "max", &latency_rule, &hi, &has_hi, err, errlen))
		return -1;
	/* N == 0: latency not measured (disable_lat); its mean of 0 is no number */
	if (!has_mean || (has_n && n == 0))
		return 0;
	if (has_lo && has_hi && (mean < lo * (1 - 1e-9) || mean > hi * (1 + 1e-9))) {
		snprintf(err, errlen, "%s: field 'mean' is %.17g, outside its min %.17g and max %.17g", where,
			 mean, lo, hi);
		return -1;
	}
	dm->lat_mean_ns = mean * scale;
	dm->lat_n = has_n ? (uint64_t)n : dm->ios;
	return 0;
}

/* bw_bytes (B/s) preferred, else fio 2's bw (KiB/s); a present but bad one is an error, not skipped. */
static int read_rates(struct json_object *dobj, struct dir_measure *dm, struct dir_numbers *nums,
		      char *err, size_t errlen)
{
	if (read_field(dobj, NULL, "bw_bytes", &rate_rule, &nums->bw_bytes, &nums->has_bw_bytes, err, errlen) ||
	    read_field(dobj, NULL, "bw", &rate_rule, &nums->bw_kib, &nums->has_bw, err, errlen) ||
	    read_field(dobj, NULL, "iops", &rate_rule, &nums->iops, &nums->has_iops, err, errlen) ||
	    read_field(dobj, NULL, "io_bytes", &count_rule, &nums->io_bytes, &nums->has_io_bytes, err, errlen) ||
	    read_field(dobj, NULL, "runtime", &runtime_rule, &nums->runtime_ms, &nums->has_runtime, err, errlen))
		return -1;
	if (nums->has_bw_bytes)
		dm->bw_kib = nums->bw_bytes / 1024.0;
	else if (nums->has_bw)
		dm->bw_kib = nums->bw_kib;
	else {
		snprintf(err, errlen, "a job moved I/O but reports no bandwidth (no field 'bw_bytes' or 'bw')");
		return -1;
	}
	if (!nums->has_iops) {
		snprintf(err, errlen, "a job moved I/O but reports no field 'iops'");
		return -1;
	}
	dm->iops = nums->iops;
	if (nums->has_runtime && nums->runtime_ms == 0) {
		snprintf(err, errlen, "field 'runtime' is 0 although the job moved I/O: no rate can be derived");
		return -1;
	}
	return check_direction_consistency(nums, err, errlen);
}

static int parse_direction(struct json_object *dobj, struct dir_measure *dm, char *err, size_t errlen)
{
	memset(dm, 0, sizeof(*dm));
	hist_init(&dm->bins);
	for (int i = 0; i < 3; i++)
		dm->pct_ns[i] = NAN;
	if (!dobj)
		return 0;
	if (!json_object_is_type(dobj, json_type_object)) {
		snprintf(err, errlen, "a job's read/write entry is not an object");
		return -1;
	}
	struct dir_numbers nums = { 0 };
	double ios = 0;
	if (read_field(dobj, NULL, "total_ios", &count_rule, &ios, &nums.has_total_ios, err, errlen))
		return -1;
	double lat_scale, clat_scale;
	struct json_object *lat = lat_obj(dobj, "lat", &lat_scale);
	struct json_object *clat = lat_obj(dobj, "clat", &clat_scale);
	const char *lat_where = lat_scale == 1.0 ? "lat_ns" : "lat";
	const char *clat_where = clat_scale == 1.0 ? "clat_ns" : "clat";
	if (!nums.has_total_ios) {
		/* very old fio: no total_ios; the clat sample count is the I/O count */
		bool has_n;
		if (read_field(clat, clat_where, "N", &count_rule, &ios, &has_n, err, errlen))
			return -1;
	}
	nums.total_ios = ios;
	dm->ios = (uint64_t)ios;
	if (!dm->ios)
		return 0;
	dm->present = true;
	dm->entries = 1;
	if (lat || clat)
		dm->era = (lat ? lat_scale : clat_scale) == 1.0 ? ERA_NS : ERA_USEC;
	if (read_rates(dobj, dm, &nums, err, errlen) ||
	    read_latency(lat, lat_where, lat_scale, dm, err, errlen))
		return -1;
	double n;
	bool has_n;
	if (read_field(clat, clat_where, "N", &count_rule, &n, &has_n, err, errlen))
		return -1;
	if (has_n && n == 0)
		clat = NULL;	/* disable_clat: no percentiles, no bins */
	struct json_object *pct = get(clat, "percentile");
	char why[256];
	if (check_percentiles(pct, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", clat_where, why);
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		double v;
		bool has;
		if (!read_field(pct, clat_where, pct_keys[i], &latency_rule, &v, &has, err, errlen) && has)
			dm->pct_ns[i] = v * clat_scale;
	}
	struct json_object *bins = get(clat, "bins");
	if (bins) {
		if (hist_from_json(&dm->bins, bins, clat_scale)) {
			snprintf(err, errlen, "%s: malformed json+ bins", clat_where);
			return -1;
		}
	}
	dm->all_bins = dm->bins.total > 0;
	return 0;
}

static void free_job(struct job_measure *jm)
{
	for (int d = 0; d < DIR_COUNT; d++)
		hist_free(&jm->dir[d].bins);
}

static const char *job_name(struct json_object *job)
{
	struct json_object *n = get(job, "jobname");
	return n ? json_object_get_string(n) : "?";
}

static int ingest_job(struct json_object *job, struct json_object *global, const char *path,
		      struct file_result *fr, struct diag *d, char *err, size_t errlen)
{
	if (!json_object_is_type(job, json_type_object)) {
		snprintf(err, errlen, "a jobs[] entry is not an object");
		return -1;
	}
	const char *name = job_name(job);
	struct json_object *opts = get(job, "job options");
	if (opts && !json_object_is_type(opts, json_type_object))
		opts = NULL;
	struct job_measure jm;
	memset(&jm, 0, sizeof(jm));
	char why[160];
	if (!signature_from_options(opts, global, &jm.sig, why, sizeof(why))) {
		snprintf(err, errlen, "job '%s': %s", name, why);
		return -1;
	}
	jm.ramped = counters_job_ramped(opts, global);
	double e = 0;
	if (get_num(job, "error", &e) && e != 0) {
		diag_warn(d, "%s: job '%s' ended with error %g; left out", path, name, e);
		return 0;
	}
	static const char *const dir_keys[DIR_COUNT] = { "read", "write", "mixed" };
	for (int i = 0; i < DIR_COUNT; i++) {
		char why2[512];
		if (parse_direction(get(job, dir_keys[i]), &jm.dir[i], why2, sizeof(why2))) {
			free_job(&jm);
			snprintf(err, errlen, "job '%s' %s: %s", name, dir_keys[i], why2);
			return -1;
		}
	}
	if (!jm.dir[DIR_READ].present && !jm.dir[DIR_WRITE].present && !jm.dir[DIR_MIXED].present) {
		double trims = 0;
		if (get_num(get(job, "trim"), "total_ios", &trims) && trims > 0)
			diag_warn(d, "%s: job '%s' did only trims, which are not analyzed; left out", path, name);
		else
			diag_warn(d, "%s: job '%s' did no I/O; left out", path, name);
		free_job(&jm);
		return 0;
	}
	jm.clones = 1;
	double gid = 0;
	jm.groupid = get_num(job, "groupid", &gid) && gid >= 0 && gid < 1e9 ? (int64_t)gid : 0;
	if (aggregate_add(fr, &jm)) {
		free_job(&jm);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * fio --client adds an "All clients" entry summing every job of every
 * client: counting it as well would double everything.
 */
static bool is_client_aggregate(struct json_object *job)
{
	struct json_object *name = get(job, "jobname");
	return name && !strcmp(json_object_get_string(name), "All clients") && !get(job, "job options");
}

/*
 * reap_wait_ns, cpu_ns, clocksource and clock, which older engines did not write:
 * absent is fine (rec->exact stays false), present but bad is malformed.
 */
static bool parse_exact_fields(struct json_object *o, struct engine_record *rec)
{
	struct json_object *cs = get(o, "clocksource"), *clock = get(o, "clock");
	bool has_wait = get(o, "reap_wait_ns") != NULL, has_cpu = get(o, "cpu_ns") != NULL;
	double wait, cpu;

	if (cs) {
		if (!json_object_is_type(cs, json_type_string))
			return false;
		snprintf(rec->clocksource, sizeof(rec->clocksource), "%s", json_object_get_string(cs));
	}
	if (clock) {
		if (!json_object_is_type(clock, json_type_string))
			return false;
		snprintf(rec->clock, sizeof(rec->clock), "%s", json_object_get_string(clock));
	}
	if (!has_wait && !has_cpu)
		return true;
	if (!get_num(o, "reap_wait_ns", &wait) || !get_num(o, "cpu_ns", &cpu) || wait < 0 ||
	    cpu < 0 || wait > 1e18 || cpu > 1e18 || wait > (double)rec->reap_ns)
		return false;
	rec->reap_wait_ns = (uint64_t)wait;
	rec->cpu_ns = (uint64_t)cpu;
	rec->exact = true;
	return true;
}

/* Parses one record (the JSON object of a cvmio-stats line); false when malformed. */
static bool parse_engine_record(const char *s, size_t len, struct engine_record *rec)
{
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return false;
	struct json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	json_tokener_free(tok);
	bool ok = false;
	double v;
	memset(rec, 0, sizeof(*rec));
	if (!o || !json_object_is_type(o, json_type_object))
		goto out;
	if (!get_num(o, "cvmio_stats", &v) || v != 1)
		goto out;
	struct json_object *eng = get(o, "engine"), *rw = get(o, "rw"), *mix = get(o, "rwmixread");
	if (!eng || !rw || !json_object_is_type(eng, json_type_string) ||
	    !json_object_is_type(rw, json_type_string))
		goto out;
	normalize_ioengine(json_object_get_string(eng), rec->sig.ioengine, sizeof(rec->sig.ioengine));
	snprintf(rec->sig.rw, sizeof(rec->sig.rw), "%s", json_object_get_string(rw));
	if (!strcmp(rec->sig.rw, "readwrite"))
		snprintf(rec->sig.rw, sizeof(rec->sig.rw), "rw");
	double bs, qd, nj, ios, sc, sns, rc, rns, sys;
	if (!get_num(o, "bs", &bs) || !get_num(o, "iodepth", &qd) || !get_num(o, "numjobs", &nj) ||
	    !get_num(o, "ios", &ios) || !get_num(o, "submit_calls", &sc) ||
	    !get_num(o, "submit_ns", &sns) || !get_num(o, "reap_calls", &rc) ||
	    !get_num(o, "reap_ns", &rns) || !get_num(o, "syscalls", &sys))
		goto out;
	if (bs <= 0 || qd <= 0 || nj <= 0 || ios < 0 || sc < 0 || sns < 0 || rc < 0 || rns < 0 ||
	    sys < 0 || bs > 1e15 || qd > 1e7 || nj > 1e7 || ios > 1e18 || sc > 1e18 || sns > 1e18 ||
	    rc > 1e18 || rns > 1e18 || sys > 1e18)
		goto out;
	rec->sig.bs[0] = rec->sig.bs[1] = (uint64_t)bs;
	rec->sig.iodepth = (unsigned)qd;
	rec->sig.numjobs = (unsigned)nj;
	rec->sig.rwmixread = -1;
	if (mix && !json_object_is_type(mix, json_type_null)) {
		if (!get_num(o, "rwmixread", &v) || v < 0 || v > 100)
			goto out;
		rec->sig.rwmixread = (int)v;
	}
	rec->ios = (uint64_t)ios;
	rec->submit_calls = (uint64_t)sc;
	rec->submit_ns = (uint64_t)sns;
	rec->reap_calls = (uint64_t)rc;
	rec->reap_ns = (uint64_t)rns;
	rec->syscalls = (uint64_t)sys;
	if (!parse_exact_fields(o, rec))
		goto out;
	ok = true;
out:
	json_object_put(o);
	return ok;
}

static int add_engine_record(struct file_result *fr, const struct engine_record *rec)
{
	struct engine_record *grown = cvmio_grow(fr->eng, fr->neng, &fr->engcap, sizeof(*grown));

	if (!grown)
		return -1;
	fr->eng = grown;
	fr->eng[fr->neng++] = *rec;
	return 0;
}

/* Every cvmio-stats line outside [skip_from, skip_to). */
static int collect_engine_records(const char *buf, size_t len, size_t skip_from, size_t skip_to,
				  const char *path, struct file_result *fr, struct diag *d)
{
	const size_t plen = strlen(STATS_PREFIX);
	const char *p = buf, *end = buf + len;
	while ((p = memmem(p, (size_t)(end - p), STATS_PREFIX, plen))) {
		size_t off = (size_t)(p - buf);
		const char *rec_start = p + plen;
		const char *eol = memchr(rec_start, '\n', (size_t)(end - rec_start));
		if (!eol)
			eol = end;
		p = eol;
		if (off >= skip_from && off < skip_to)
			continue;
		struct engine_record rec;
		if (!parse_engine_record(rec_start, (size_t)(eol - rec_start), &rec)) {
			diag_warn(d, "%s: malformed cvmio-stats record at byte %zu; ignored", path, off);
			continue;
		}
		if (add_engine_record(fr, &rec))
			return -1;
	}
	return 0;
}

/* Every line of a sidecar is one record (blank lines aside). */
static int collect_sidecar_records(const char *buf, size_t len, const char *side_path,
				   struct file_result *fr, struct diag *d)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		size_t n = (size_t)(eol - p);
		struct engine_record rec;
		if (n && !(n == 1 && *p == '\r')) {
			if (!parse_engine_record(p, n, &rec))
				diag_warn(d, "%s: line %u is not a cvmio-stats record; ignored", side_path, line);
			else if (add_engine_record(fr, &rec))
				return -1;
		}
		p = eol + 1;
	}
	return 0;
}

/* Tries each '{' that starts a line until one parses as fio's result object. */
static struct json_object *find_fio_object(const char *buf, size_t len, size_t *obj_start,
					   size_t *obj_end, char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(err, errlen, "no fio JSON object in the file");
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '{' || (i > 0 && buf[i - 1] != '\n'))
			continue;
		if (len - i > INT32_MAX) {
			snprintf(err, errlen, "file too large");
			break;
		}
		json_tokener_reset(tok);
		struct json_object *o = json_tokener_parse_ex(tok, buf + i, (int)(len - i));
		enum json_tokener_error jerr = json_tokener_get_error(tok);
		if (o && json_object_is_type(o, json_type_object) && (get(o, "jobs") || get(o, "client_stats"))) {
			*obj_start = i;
			*obj_end = i + (size_t)json_tokener_get_parse_end(tok);
			json_tokener_free(tok);
			return o;
		}
		json_object_put(o);
		if (jerr == json_tokener_continue) {
			/* the rest of the file is inside this object: no later start can end either */
			snprintf(err, errlen, "truncated JSON (the object starting at byte %zu never ends)", i);
			break;
		} else if (jerr != json_tokener_success)
			snprintf(err, errlen, "invalid JSON at byte %zu: %s", i + (size_t)json_tokener_get_parse_end(tok),
				 json_tokener_error_desc(jerr));
		else
			snprintf(err, errlen, "the JSON object at byte %zu is not fio output (no \"jobs\" or \"client_stats\")", i);
	}
	json_tokener_free(tok);
	return NULL;
}

int ingest_buffer(const char *buf, size_t len, const char *path, struct file_result *fr,
		  struct diag *d, char *err, size_t errlen)
{
	return ingest_buffers(buf, len, NULL, 0, NULL, path, fr, d, err, errlen);
}

int ingest_buffers(const char *buf, size_t len, const char *side, size_t side_len,
		   const char *side_path, const char *path, struct file_result *fr,
		   struct diag *d, char *err, size_t errlen)
{
	size_t start = 0, end = 0;
	struct json_object *root = find_fio_object(buf, len, &start, &end, err, errlen);
	if (!root)
		return -1;
	int rc = -1;
	/* fio --client writes its jobs as "client_stats" */
	struct json_object *jobs = get(root, "jobs");
	if (!jobs)
		jobs = get(root, "client_stats");
	struct json_object *global = get(root, "global options");
	if (global && !json_object_is_type(global, json_type_object))
		global = NULL;
	if (!json_object_is_type(jobs, json_type_array)) {
		snprintf(err, errlen, "\"jobs\" is not an array");
		goto out;
	}
	struct json_object *version = get(root, "fio version");
	if (version && json_object_is_type(version, json_type_string))
		snprintf(fr->fio_version, sizeof(fr->fio_version), "%s", json_object_get_string(version));
	size_t n = json_object_array_length(jobs);
	if (!n) {
		snprintf(err, errlen, "no jobs in the fio output");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *job = json_object_array_get_idx(jobs, i);
		if (is_client_aggregate(job))
			continue;
		if (ingest_job(job, global, path, fr, d, err, errlen))
			goto out;
	}
	if (collect_engine_records(buf, len, start, end, path, fr, d) ||
	    (side && collect_sidecar_records(side, side_len, side_path, fr, d))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	aggregate_finish(fr, path, d);
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

/* X.json -> X.cvmio-stats (any other name: name + .cvmio-stats); malloc'd. */
static char *sidecar_path(const char *path)
{
	size_t n = strlen(path);
	if (n > 5 && !strcmp(path + n - 5, ".json"))
		n -= 5;
	char *out = malloc(n + sizeof(SIDECAR_SUFFIX));
	if (out) {
		memcpy(out, path, n);
		memcpy(out + n, SIDECAR_SUFFIX, sizeof(SIDECAR_SUFFIX));
	}
	return out;
}

/*
 * The whole regular file at path into *out (NUL-terminated, *len bytes);
 * -1 with a reason.  'missing_ok': a file that does not exist gives 0 and
 * *out = NULL.
 */
static int read_whole(const char *path, bool missing_ok, char **out, size_t *len, char *err,
		      size_t errlen)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing_ok && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	char *buf = malloc(size + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory (%zu bytes)", size);
		close(fd);
		return -1;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int ingest_file(const char *path, struct file_result *fr, struct diag *d, char *err, size_t errlen)
{
	char *buf, *side = NULL, *side_path = NULL;
	size_t len, side_len = 0;
	int rc = -1;

	if (read_whole(path, false, &buf, &len, err, errlen))
		return -1;
	if (!len) {
		snprintf(err, errlen, "empty file");
		goto out;
	}
	side_path = sidecar_path(path);
	if (!side_path) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (read_whole(side_path, true, &side, &side_len, err, errlen)) {
		char why[200];
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "its records file %s: %s", side_path, why);
		goto out;
	}
	rc = ingest_buffers(buf, len, side, side_len, side_path, path, fr, d, err, errlen);
out:
	free(side);
	free(side_path);
	free(buf);
	return rc;
}
