/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio analyze: the pieces behind the verb, one concern per file.
 *
 *   signature.c  fio size strings, workload signatures from job options
 *   hist.c       latency histograms from json+ bins: merge, percentiles
 *   ingest.c     one fio result file -> per-job measurements (+ cvmio-stats)
 *   aggregate.c  clones of one signature within a file -> one measurement
 *   store.c      per (condition, backend, signature, direction) values
 *   manifest.c   the nearest manifest.json and what it says about a result
 *   walk.c       DIR/<condition>/<backend>/ ** / *.json, one file at a time
 *   stats.c      median, bootstrap interval, Mann-Whitney U
 *   compare.c    baseline vs compare rows from the store
 *   table.c      text / md / csv / latex / json output of the rows
 *   plot.c       gnuplot scripts, data and images
 *   counters.c   rep-N.counters beside a result -> per-I/O guest/host cost metrics
 *   plot_costs.c the cost-breakdown figure (per-I/O CPU time by where it is spent)
 */
#ifndef CVMIO_ANALYSIS_H
#define CVMIO_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json.h>

/* ---- signature.c ---- */

/* fio's size strings ("4k", "1M", "512", "4KiB"), base 1024; false when malformed. */
bool parse_fio_size(const char *s, uint64_t *out);

#define SIG_RW_LEN 24
#define SIG_ENGINE_LEN 48

/* How a job is recognized across conditions (never by its name). */
struct signature {
	char rw[SIG_RW_LEN];		/* fio's rw, "readwrite" spelled "rw" */
	uint64_t bs[2];			/* block size per direction (read, write), bytes */
	unsigned iodepth;
	unsigned numjobs;
	int rwmixread;			/* -1 when the job sets neither rwmixread nor rwmixwrite */
	char ioengine[SIG_ENGINE_LEN];	/* "" when not set; external:/x/cvmio-uring.so -> cvmio-uring */
};

enum direction { DIR_READ = 0, DIR_WRITE = 1, DIR_COUNT = 2 };
const char *direction_name(enum direction d);

/*
 * The signature of a job from its "job options" over the file's "global
 * options" (either may be NULL).  Returns false and fills err on a malformed
 * value (e.g. bs=abc).
 */
bool signature_from_options(struct json_object *job_opts, struct json_object *global_opts,
			    struct signature *sig, char *err, size_t errlen);
void normalize_ioengine(const char *in, char *out, size_t outlen);
int signature_cmp(const struct signature *a, const struct signature *b);
/* True when the job only writes (its bs[] reported by engines is the write size). */
bool rw_only_writes(const char *rw);
/* "randrw 70%r 4k qd32 j1 cvmio-uring": short, for tables and plots (bs of direction d). */
void signature_label(const struct signature *sig, enum direction d, char *out, size_t len);

/* ---- hist.c ---- */

struct hist_bin {
	uint64_t value_ns;	/* fio's representative value of the bin */
	uint64_t count;
};

/* A latency histogram, bins sorted by value, values unique. */
struct hist {
	struct hist_bin *bins;
	size_t n, cap;
	uint64_t total;
};

void hist_init(struct hist *h);
void hist_free(struct hist *h);
/* Adds count to the bin of value (keeps order; merging is exact). */
int hist_add(struct hist *h, uint64_t value_ns, uint64_t count);
int hist_merge(struct hist *dst, const struct hist *src);
/* fio's rule: the first bin whose cumulative count reaches pct/100 * total. */
bool hist_percentile(const struct hist *h, double pct, uint64_t *value_ns);
/* Bins from a json+ "bins" object ({"value": count, ...}); scale to ns. */
int hist_from_json(struct hist *h, struct json_object *bins, double scale_to_ns);

/* ---- ingest.c / aggregate.c ---- */

enum metric {
	M_BW_KIB,
	M_IOPS,
	M_LAT_MEAN_US,
	M_CLAT_P50_US,
	M_CLAT_P99_US,
	M_CLAT_P999_US,
	M_SUBMIT_US_PER_IO,
	M_REAP_US_PER_IO,
	M_SYSCALLS_PER_IO,
	M_SUBMIT_CALLS_PER_IO,
	/* counters.c: from rep-N.counters; keep these last (M_COUNTERS_FIRST..M_COUNT-1) */
	M_GUEST_IRQS_PER_IO,
	M_GUEST_CPU_US_PER_IO,
	M_GUEST_USER_US_PER_IO,
	M_GUEST_SYSTEM_US_PER_IO,
	M_GUEST_IRQ_US_PER_IO,
	M_GUEST_SOFTIRQ_US_PER_IO,
	M_GUEST_CTXSW_PER_IO,
	M_HOST_CPU_US_PER_IO,
	M_HOST_VCPU_US_PER_IO,
	M_HOST_IOTHREAD_US_PER_IO,
	M_HOST_MAIN_US_PER_IO,
	M_HOST_OTHER_US_PER_IO,
	M_KVM_EXITS_PER_IO,
	M_KVM_IO_EXITS_PER_IO,
	M_KVM_MMIO_EXITS_PER_IO,
	M_KVM_HALT_EXITS_PER_IO,
	M_KVM_IRQ_EXITS_PER_IO,
	M_COUNT
};
#define M_COUNTERS_FIRST M_GUEST_IRQS_PER_IO
#define N_COUNTER_METRICS (M_COUNT - M_COUNTERS_FIRST)
const char *metric_name(enum metric m);
/* Lower is better (latency, cost per I/O); for the plot captions. */
bool metric_lower_is_better(enum metric m);

/* One direction of one job entry of a fio result. */
struct dir_measure {
	bool present;		/* the direction moved I/O */
	uint64_t ios;
	double bw_kib, iops;
	double lat_mean_ns;	/* total latency mean */
	uint64_t lat_n;		/* samples behind lat_mean_ns (the weight) */
	double pct_ns[3];	/* fio's own clat p50/p99/p99.9, NAN if absent */
	struct hist bins;	/* json+ clat bins (empty for plain json) */
	unsigned entries;	/* job entries merged into this direction */
	bool all_bins;		/* every one of them had json+ bins */
};

/* One job entry or one merged group of clones. */
struct job_measure {
	struct signature sig;
	unsigned clones;
	int64_t groupid;		/* fio's reporting group of the first entry */
	bool mixed_groups;		/* entries came from different groups (stonewall phases?) */
	struct dir_measure dir[DIR_COUNT];
	/* engine accounting (cvmio-stats), summed over the signature's threads */
	bool has_engine;
	uint64_t eng_ios, eng_submit_calls, eng_submit_ns, eng_reap_calls, eng_reap_ns, eng_syscalls;
	/* the run's cost counters (counters.c), per I/O; NAN where the run has none */
	bool ramped;			/* ramp_time > 0: fio's count leaves I/Os out that counters see */
	bool has_counters;
	double counters[N_COUNTER_METRICS];
};

struct engine_record {
	struct signature sig;	/* rw, bs (in bs[0]), iodepth, numjobs, rwmixread, ioengine */
	uint64_t ios, submit_calls, submit_ns, reap_calls, reap_ns, syscalls;
};

/* Warnings: one line each, naming the file. */
struct diag {
	FILE *out;
	unsigned warnings;
	bool quiet;
};
void diag_warn(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A parsed file: merged jobs (one per signature) ready for the store. */
struct file_result {
	struct job_measure *jobs;
	size_t njobs, cap;
	struct engine_record *eng;
	size_t neng, engcap;
};

void file_result_init(struct file_result *fr);
void file_result_free(struct file_result *fr);

/*
 * Parses one fio result held in buf (len bytes; text before/after the JSON
 * object and cvmio-stats lines allowed).  Returns 0, or -1 with a reason in
 * err (the caller names the file).  Job-level problems (error jobs, zero I/O)
 * become warnings through d and the job is left out.
 */
int ingest_buffer(const char *buf, size_t len, const char *path, struct file_result *fr,
		  struct diag *d, char *err, size_t errlen);
/* Reads the file whole and calls ingest_buffer. */
int ingest_file(const char *path, struct file_result *fr, struct diag *d, char *err, size_t errlen);

/* Adds a job entry to fr, merging with an existing entry of the same signature. */
int aggregate_add(struct file_result *fr, struct job_measure *jm);
/*
 * After the last entry: joins the engine records to the merged jobs (warning
 * about unmatched ones) and warns about percentiles that cannot be exact.
 */
void aggregate_finish(struct file_result *fr, const char *path, struct diag *d);
/* The value of a metric for one direction of a merged job; false when absent. */
bool job_metric(const struct job_measure *jm, enum direction d, enum metric m, double *out);

/* ---- counters.c ---- */

/*
 * Reads rep-N.counters beside the result at path (none: nothing to do) and
 * joins its per-I/O metrics to fr's job when the run holds one workload
 * (several stonewalled workloads share one interval: a warning, left out) and
 * its I/O count is fio's.  Returns 0, or -1 with err naming the bad field.
 */
int counters_join(const char *result_path, struct file_result *fr, struct diag *d, char *err,
		  size_t errlen);
const char *counters_metric_name(enum metric m);
/* Does the job (its options over the global ones) set a ramp_time above 0? */
bool counters_job_ramped(struct json_object *job_opts, struct json_object *global_opts);
bool counters_job_metric(const struct job_measure *jm, enum direction d, enum metric m, double *out);

/* ---- store.c ---- */

struct values {
	double *v;
	size_t n, cap;
};

struct series {
	size_t cond;		/* index into the store's conditions */
	char *backend;
	struct signature sig;
	enum direction dir;
	struct values metric[M_COUNT];
	struct hist cdf;	/* all repetitions' clat bins merged, for CDF plots */
	unsigned files;
	bool all_verified;
};

struct store {
	char **conds;
	size_t nconds;
	struct series *s;
	size_t n, cap;
};

void store_init(struct store *st);
void store_free(struct store *st);
size_t store_cond(struct store *st, const char *cond);
struct series *store_get(struct store *st, size_t cond, const char *backend,
			 const struct signature *sig, enum direction d);
int store_add_file(struct store *st, size_t cond, const char *backend, const struct file_result *fr,
		   bool verified);
struct series *store_find(const struct store *st, size_t cond, const char *backend,
			  const struct signature *sig, enum direction d);

/* ---- manifest.c ---- */

enum verification { VERIFY_NONE, VERIFY_YES, VERIFY_NO };

struct manifest_info {
	enum verification state;
	char reason[256];
	char mode[64];		/* the manifest's "mode" ("" when absent) */
};

/*
 * The nearest manifest.json at or above dir, up to and including stop_dir.
 * Returns 0 with *info filled (VERIFY_NONE when none), -1 with err when a
 * manifest exists but is unreadable or contradicts the folder it sits in.
 */
int manifest_for(const char *dir, const char *stop_dir, const char *condition, const char *backend,
		 char *found_path, size_t found_len, struct manifest_info *info, char *err,
		 size_t errlen);

/* ---- walk.c ---- */

struct walk_opts {
	bool allow_unverified;
};

struct walk_counts {
	unsigned files, failed_runs, unverified_files, backends;
};

/*
 * Reads DIR/cond/<backend>/ ** / *.json into the store.  Returns a cvmio exit
 * code (0 or CVMIO_EXIT_INPUT after naming the file(s) on stderr).
 */
int walk_condition(const char *dir, const char *cond, struct store *st, const struct walk_opts *wo,
		   struct diag *d, struct walk_counts *wc);

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
/* Two-sided Mann-Whitney U p-value: exact without ties and n1+n2 <= 40, else normal approx. */
double mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

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
	bool verified;
};

struct rowset {
	struct row *r;
	size_t n, cap;
};

#define BOOTSTRAP_RESAMPLES 2000
#define BOOTSTRAP_SEED 0x63766d696fULL	/* "cvmio" */

/* Rows for baseline vs each compare condition; one-sided series are warned about. */
int compare_build(const struct store *st, size_t baseline, const size_t *compares, size_t ncompares,
		  struct rowset *rs, struct diag *d);
void rowset_free(struct rowset *rs);

/* ---- table.c ---- */

enum out_format { FMT_TEXT, FMT_MD, FMT_CSV, FMT_LATEX, FMT_JSON };
int parse_format(const char *s, enum out_format *f);
int table_write(FILE *out, enum out_format f, const struct store *st, size_t baseline,
		const struct rowset *rs);

/* ---- plot.c ---- */

/* Shared by plot.c and plot_costs.c: file-name-safe names, gnuplot text, render.gp entries. */
struct render_list;
void plot_safe_name(const char *in, char *out, size_t len);
void plot_gp_text(FILE *f, const char *s);
void plot_add_figure(struct render_list *rl, const char *stem, int width, int height);

/* plot_costs.c: the cost-breakdown figure per compared condition (none without counters). */
int plot_costs_write(const char *outdir, const struct store *st, size_t baseline, size_t cond,
		     const struct rowset *rs, struct render_list *rl);

/* Writes gnuplot scripts + data into outdir and renders PNG, SVG and PDF. Returns a cvmio exit code. */
int plot_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
	       const size_t *compares, size_t ncompares, const struct rowset *rs);

#endif
