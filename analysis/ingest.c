// SPDX-License-Identifier: GPL-2.0-only
/*
 * One fio result file -> per-job measurements.  fio prints warnings (and our
 * engines their cvmio-stats records) around the JSON object, so the object
 * is searched for; fio 3.x reports latencies in ns (lat_ns, clat_ns), older
 * versions in usec (lat, clat): both are read, ns preferred.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "cvmio.h"

#define STATS_PREFIX "cvmio-stats: "

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
	double ios = 0, bw = 0;
	if (!get_num(dobj, "total_ios", &ios)) {
		/* very old fio: no total_ios; the clat sample count is the I/O count */
		double s;
		struct json_object *cl = lat_obj(dobj, "clat", &s);
		if (!get_num(cl, "N", &ios))
			ios = 0;
	}
	if (ios < 0 || ios > 1e18) {
		snprintf(err, errlen, "implausible total_ios %g", ios);
		return -1;
	}
	dm->ios = (uint64_t)ios;
	if (!dm->ios)
		return 0;
	dm->present = true;
	dm->entries = 1;
	if (get_num(dobj, "bw_bytes", &bw))
		dm->bw_kib = bw / 1024.0;
	else if (get_num(dobj, "bw", &bw))
		dm->bw_kib = bw;	/* KiB/s */
	else {
		snprintf(err, errlen, "a job moved I/O but reports no bandwidth");
		return -1;
	}
	if (!get_num(dobj, "iops", &dm->iops)) {
		snprintf(err, errlen, "a job moved I/O but reports no iops");
		return -1;
	}
	double scale, v;
	struct json_object *lat = lat_obj(dobj, "lat", &scale);
	double n;
	bool has_n = lat && get_num(lat, "N", &n);
	/* N == 0: latency not measured (disable_lat); its mean of 0 is no number */
	if (lat && get_num(lat, "mean", &v) && (!has_n || (n > 0 && n < 1e18))) {
		dm->lat_mean_ns = v * scale;
		dm->lat_n = has_n ? (uint64_t)n : dm->ios;
	} else {
		dm->lat_mean_ns = NAN;
	}
	struct json_object *clat = lat_obj(dobj, "clat", &scale);
	if (clat && get_num(clat, "N", &n) && n <= 0)
		clat = NULL;	/* disable_clat: no percentiles, no bins */
	struct json_object *pct = get(clat, "percentile");
	for (int i = 0; i < 3; i++)
		if (get_num(pct, pct_keys[i], &v))
			dm->pct_ns[i] = v * scale;
	struct json_object *bins = get(clat, "bins");
	if (bins) {
		if (hist_from_json(&dm->bins, bins, scale)) {
			snprintf(err, errlen, "malformed json+ bins");
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
	static const char *const dir_keys[DIR_COUNT] = { "read", "write" };
	for (int i = 0; i < DIR_COUNT; i++) {
		char why2[160];
		if (parse_direction(get(job, dir_keys[i]), &jm.dir[i], why2, sizeof(why2))) {
			free_job(&jm);
			snprintf(err, errlen, "job '%s' %s: %s", name, dir_keys[i], why2);
			return -1;
		}
	}
	if (!jm.dir[DIR_READ].present && !jm.dir[DIR_WRITE].present) {
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

/* Parses one "cvmio-stats: {...}" record; false when malformed. */
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
	if (collect_engine_records(buf, len, start, end, path, fr, d)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	aggregate_finish(fr, path, d);
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

int ingest_file(const char *path, struct file_result *fr, struct diag *d, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "empty file");
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
	int rc = ingest_buffer(buf, got, path, fr, d, err, errlen);
	free(buf);
	return rc;
}
