// SPDX-License-Identifier: GPL-2.0-only
/*
 * Within one fio run, job entries of one workload signature (numjobs clones
 * without group_reporting, a job repeated) are one measurement: bandwidth
 * and IOPS add up, the mean latency is weighted by each entry's sample count
 * and percentiles come from the merged json+ bins, which is exact.  Without
 * bins, percentiles of several clones cannot be combined and are omitted.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "cvmio.h"

static const char *const metric_names[M_COUNT] = {
	[M_BW_KIB] = "bw_kib",
	[M_IOPS] = "iops",
	[M_LAT_MEAN_US] = "lat_mean_us",
	[M_CLAT_P50_US] = "clat_p50_us",
	[M_CLAT_P99_US] = "clat_p99_us",
	[M_CLAT_P999_US] = "clat_p999_us",
	[M_SUBMIT_US_PER_IO] = "submit_us_per_io",
	[M_REAP_US_PER_IO] = "reap_us_per_io",
	[M_SYSCALLS_PER_IO] = "syscalls_per_io",
	[M_SUBMIT_CALLS_PER_IO] = "submit_calls_per_io",
	[M_CPU_US_PER_IO] = "cpu_us_per_io",
	[M_REAP_WAIT_US_PER_IO] = "reap_wait_us_per_io",
};

const char *metric_name(enum metric m)
{
	return m >= M_COUNTERS_FIRST ? counters_metric_name(m) : metric_names[m];
}

bool metric_lower_is_better(enum metric m)
{
	return m != M_BW_KIB && m != M_IOPS;
}

static void merge_direction(struct dir_measure *dst, struct dir_measure *src)
{
	if (!src->present)
		return;
	if (!dst->present) {
		hist_free(&dst->bins);
		*dst = *src;
		hist_init(&src->bins);
		return;
	}
	double wd = (double)dst->lat_n, ws = (double)src->lat_n;
	if (isnan(dst->lat_mean_ns) || isnan(src->lat_mean_ns) || wd + ws <= 0)
		dst->lat_mean_ns = NAN;
	else
		dst->lat_mean_ns = (dst->lat_mean_ns * wd + src->lat_mean_ns * ws) / (wd + ws);
	dst->lat_n += src->lat_n;
	dst->ios += src->ios;
	dst->bw_kib += src->bw_kib;
	dst->iops += src->iops;
	dst->all_bins = dst->all_bins && src->all_bins;
	dst->entries += src->entries;
	dst->era |= src->era;
	if (dst->all_bins) {
		if (hist_merge(&dst->bins, &src->bins))
			dst->all_bins = false;
	}
	if (!dst->all_bins)
		hist_free(&dst->bins);
	hist_free(&src->bins);
}

int aggregate_add(struct file_result *fr, struct job_measure *jm)
{
	struct job_measure *grown;

	for (size_t i = 0; i < fr->njobs; i++) {
		struct job_measure *have = &fr->jobs[i];
		if (signature_cmp(&have->sig, &jm->sig))
			continue;
		for (int d = 0; d < DIR_COUNT; d++)
			merge_direction(&have->dir[d], &jm->dir[d]);
		have->clones += jm->clones;
		if (have->groupid != jm->groupid)
			have->mixed_groups = true;
		return 0;
	}
	grown = cvmio_grow(fr->jobs, fr->njobs, &fr->cap, sizeof(*grown));
	if (!grown)
		return -1;
	fr->jobs = grown;
	fr->jobs[fr->njobs++] = *jm;
	return 0;
}

static uint64_t job_ios(const struct job_measure *jm)
{
	return jm->dir[DIR_READ].ios + jm->dir[DIR_WRITE].ios + jm->dir[DIR_MIXED].ios;
}

/* An engine record belongs to a job when the signatures agree on the record's fields. */
static bool engine_matches(const struct engine_record *r, const struct job_measure *jm)
{
	const struct signature *s = &jm->sig;
	uint64_t bs = s->bs[rw_only_writes(s->rw) ? DIR_WRITE : DIR_READ];
	return !strcmp(r->sig.rw, s->rw) && r->sig.bs[0] == bs && r->sig.iodepth == s->iodepth &&
	       r->sig.numjobs == s->numjobs && r->sig.rwmixread == s->rwmixread &&
	       !strcmp(r->sig.ioengine, s->ioengine);
}

/*
 * With another clock source than tsc or kvm-clock every clock read the
 * accounting makes through the kernel is a system call or an exit, dearer
 * in a CVM: the timings are biased against the CVM side.  Records whose
 * accounting read fio's TSC clock ("clock":"cpu") are not affected.  Said
 * once per run.
 */
static void check_clocksource(const struct engine_record *r, const char *path, struct diag *d)
{
	if (d->clocksource_warned || !r->clocksource[0] || !strcmp(r->clocksource, "tsc") ||
	    !strcmp(r->clocksource, "kvm-clock") || !strcmp(r->clock, "cpu"))
		return;
	d->clocksource_warned = true;
	diag_warn(d, "%s: the engine ran with clocksource %s, not tsc or kvm-clock: each clock read "
		  "of its accounting is a system call or an exit (dearer in a CVM), so submit/reap "
		  "times are biased; said once, other files may be affected too",
		  path, r->clocksource);
}

/* Adds one record to its job's sums. */
static void add_record(struct job_measure *match, const struct engine_record *r)
{
	if (!match->has_engine)
		match->eng_exact = true;
	match->has_engine = true;
	match->eng_ios += r->ios;
	match->eng_submit_calls += r->submit_calls;
	match->eng_submit_ns += r->submit_ns;
	match->eng_reap_calls += r->reap_calls;
	match->eng_reap_ns += r->reap_ns;
	match->eng_syscalls += r->syscalls;
	match->eng_exact = match->eng_exact && r->exact;
	match->eng_reap_wait_ns += r->reap_wait_ns;
	match->eng_cpu_ns += r->cpu_ns;
}

static void join_engines(struct file_result *fr, const char *path, struct diag *d)
{
	for (size_t e = 0; e < fr->neng; e++)
		check_clocksource(&fr->eng[e], path, d);
	for (size_t e = 0; e < fr->neng; e++) {
		const struct engine_record *r = &fr->eng[e];
		struct job_measure *match = NULL;
		unsigned nmatch = 0;
		for (size_t i = 0; i < fr->njobs; i++)
			if (engine_matches(r, &fr->jobs[i])) {
				match = &fr->jobs[i];
				nmatch++;
			}
		if (nmatch != 1) {
			diag_warn(d, "%s: cvmio-stats record of engine %s (rw=%s bs=%llu iodepth=%u) matches %s job; ignored",
				  path, r->sig.ioengine, r->sig.rw, (unsigned long long)r->sig.bs[0],
				  r->sig.iodepth, nmatch ? "more than one" : "no");
			continue;
		}
		add_record(match, r);
	}
	for (size_t i = 0; i < fr->njobs; i++) {
		struct job_measure *jm = &fr->jobs[i];
		/* the records must account for exactly the I/Os fio counted, or their ratios lie */
		if (jm->has_engine && jm->eng_ios != job_ios(jm)) {
			diag_warn(d, "%s: cvmio-stats records of rw=%s count %llu I/Os, fio counts %llu; engine metrics left out",
				  path, jm->sig.rw, (unsigned long long)jm->eng_ios,
				  (unsigned long long)job_ios(jm));
			jm->has_engine = false;
		}
	}
}

void aggregate_finish(struct file_result *fr, const char *path, struct diag *d)
{
	join_engines(fr, path, d);
	for (size_t i = 0; i < fr->njobs; i++)
		if (fr->jobs[i].mixed_groups)
			/* clones run side by side in one group; different groups usually ran one after another */
			diag_warn(d, "%s: entries of rw=%s bs=%llu iodepth=%u in different reporting groups (stonewall phases?) were summed as one measurement",
				  path, fr->jobs[i].sig.rw, (unsigned long long)fr->jobs[i].sig.bs[0], fr->jobs[i].sig.iodepth);
	for (size_t i = 0; i < fr->njobs; i++) {
		/* one line per job, naming every direction it concerns */
		char dirs[32] = "";
		unsigned entries = 0;
		for (int dir = 0; dir < DIR_COUNT; dir++) {
			const struct dir_measure *dm = &fr->jobs[i].dir[dir];
			if (dm->present && dm->entries > 1 && !dm->all_bins) {
				size_t used = strlen(dirs);
				snprintf(dirs + used, sizeof(dirs) - used, "%s%s", used ? " and " : "",
					 direction_name(dir));
				entries = dm->entries;
			}
		}
		if (entries)
			diag_warn(d, "%s: %u clones of rw=%s without json+ bins: %s percentiles omitted",
				  path, entries, fr->jobs[i].sig.rw, dirs);
	}
}

/* Engine metrics are per I/O of both directions: reported on the job's first direction. */
static bool engine_direction(const struct job_measure *jm, enum direction d)
{
	if (!jm->has_engine || !jm->eng_ios)
		return false;
	int first = 0;
	while (first < DIR_COUNT && !jm->dir[first].present)
		first++;
	return (int)d == first;
}

bool job_metric(const struct job_measure *jm, enum direction d, enum metric m, double *out)
{
	const struct dir_measure *dm = &jm->dir[d];
	if (!dm->present)
		return false;
	uint64_t ns;
	double eios = (double)jm->eng_ios;
	switch (m) {
	case M_BW_KIB: *out = dm->bw_kib; break;
	case M_IOPS: *out = dm->iops; break;
	case M_LAT_MEAN_US: *out = dm->lat_mean_ns / 1000.0; break;
	case M_CLAT_P50_US:
	case M_CLAT_P99_US:
	case M_CLAT_P999_US: {
		static const double pcts[3] = { 50.0, 99.0, 99.9 };
		int k = m - M_CLAT_P50_US;
		if (dm->all_bins && hist_percentile(&dm->bins, pcts[k], &ns))
			*out = (double)ns / 1000.0;
		else if (dm->entries == 1)
			*out = dm->pct_ns[k] / 1000.0;
		else
			return false;
		break;
	}
	case M_SUBMIT_US_PER_IO:
		if (!engine_direction(jm, d))
			return false;
		*out = (double)jm->eng_submit_ns / 1000.0 / eios;
		break;
	case M_REAP_US_PER_IO:
		if (!engine_direction(jm, d))
			return false;
		*out = (double)jm->eng_reap_ns / 1000.0 / eios;
		break;
	case M_SYSCALLS_PER_IO:
		if (!engine_direction(jm, d))
			return false;
		*out = (double)jm->eng_syscalls / eios;
		break;
	case M_SUBMIT_CALLS_PER_IO:
		if (!engine_direction(jm, d))
			return false;
		*out = (double)jm->eng_submit_calls / eios;
		break;
	case M_CPU_US_PER_IO:
		if (!engine_direction(jm, d) || !jm->eng_exact)
			return false;
		*out = (double)jm->eng_cpu_ns / 1000.0 / eios;
		break;
	case M_REAP_WAIT_US_PER_IO:
		if (!engine_direction(jm, d) || !jm->eng_exact)
			return false;
		*out = (double)jm->eng_reap_wait_ns / 1000.0 / eios;
		break;
	default:
		return counters_job_metric(jm, d, m, out);
	}
	return isfinite(*out);
}
