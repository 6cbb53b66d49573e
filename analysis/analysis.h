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
 *   stats.c      median, bootstrap intervals, Mann-Whitney U, Wilcoxon signed-rank
 *   compare.c    baseline vs compare rows from the store
 *   validate.c   every number read: type, range, consistency with its neighbours
 *   provenance.c accelerator, mode, versions, CPU, clocksource per condition
 *   table.c      text / md / csv / latex / json output of the rows
 *   table_html.c the rows as HTML (for --format html and the report)
 *   plot.c       gnuplot scripts, data and images
 *   report.c     --report OUTDIR: every format, figures, one index.html
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

/* DIR_MIXED: fio's unified_rw_reporting=mixed reports reads and writes as one "mixed" direction. */
enum direction { DIR_READ = 0, DIR_WRITE = 1, DIR_MIXED = 2, DIR_COUNT = 3 };
const char *direction_name(enum direction d);
/* The block size of direction d (mixed: the read size, the first of bs=R,W). */
uint64_t signature_bs(const struct signature *sig, enum direction d);

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

/* ---- validate.c ---- */

struct field_rule {
	double min, max;
	bool whole;	/* a count: no fraction */
};

/*
 * The number at o[key] when the key is present (*present): 0, or -1 with
 * err naming the field when it is not a finite JSON number of the rule's
 * kind and range.  Absent keys are not an error (*present = false).
 */
int field_num(struct json_object *o, const char *key, const struct field_rule *rule, double *out,
	      bool *present, char *err, size_t errlen);

/* One direction's numbers as fio printed them, for the consistency check. */
struct dir_numbers {
	double io_bytes, bw_bytes, bw_kib, iops, total_ios, runtime_ms;
	bool has_io_bytes, has_bw_bytes, has_bw, has_iops, has_total_ios, has_runtime;
};
/* bw_bytes, bw and iops against io_bytes, total_ios and runtime, within fio's rounding. */
int check_direction_consistency(const struct dir_numbers *n, char *err, size_t errlen);
/* A percentile object: numeric keys increasing, finite values non-decreasing. */
int check_percentiles(struct json_object *pct, char *err, size_t errlen);

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
	M_CPU_US_PER_IO,	/* the job thread's CPU time (cpu_ns) per I/O */
	M_REAP_WAIT_US_PER_IO,	/* time in reaping calls that waited (reap_wait_ns) per I/O */
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
	unsigned era;		/* ERA_NS (fio >= 3: lat_ns) and/or ERA_USEC (fio 2: lat) */
};
#define ERA_NS 1u
#define ERA_USEC 2u

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
	/* reap_wait_ns, cpu_ns: only when every record joined had them (newer engines) */
	bool eng_exact;
	uint64_t eng_reap_wait_ns, eng_cpu_ns;
	/* the run's cost counters (counters.c), per I/O; NAN where the run has none */
	bool ramped;			/* ramp_time > 0: fio's count leaves I/Os out that counters see */
	bool has_counters;
	double counters[N_COUNTER_METRICS];
};

struct engine_record {
	struct signature sig;	/* rw, bs (in bs[0]), iodepth, numjobs, rwmixread, ioengine */
	uint64_t ios, submit_calls, submit_ns, reap_calls, reap_ns, syscalls;
	bool exact;		/* has reap_wait_ns and cpu_ns */
	uint64_t reap_wait_ns, cpu_ns;
	char clocksource[32];	/* "" when the record does not say */
	char clock[16];		/* fio's clock the accounting read ("cpu": the TSC); "" if unsaid */
};

/*
 * A reason many files share by design (every run of a multi-workload job
 * file has it): counted while reading, then said as one warning with the
 * count and the first file, not once per file.
 */
struct diag_tally {
	size_t n;
	char first[512];
};

/* Warnings: one line each, naming the file; the same line is printed (and counted) once. */
struct diag {
	FILE *out;
	unsigned warnings;
	bool quiet;
	char **seen;		/* the lines printed so far */
	size_t nseen, seencap;
	bool clocksource_warned;	/* the slow-clock warning is given once per run */
	/* counter metrics left out: several workloads under one interval; ramp_time's I/O in it */
	struct diag_tally counters_multi_workload, counters_ramped;
};
void diag_warn(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_tally(struct diag_tally *t, const char *path);
/* The tallied reasons, one warning each (after the files are read). */
void diag_say_tallies(struct diag *d);
void diag_free(struct diag *d);

/* A parsed file: merged jobs (one per signature) ready for the store. */
struct file_result {
	char fio_version[64];	/* the result's own "fio version", "" when absent */
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
/*
 * ingest_buffer plus the engine records of a sidecar (JSON Lines, one
 * record per line, no prefix; side may be NULL), named side_path in
 * warnings.
 */
int ingest_buffers(const char *buf, size_t len, const char *side, size_t side_len,
		   const char *side_path, const char *path, struct file_result *fr,
		   struct diag *d, char *err, size_t errlen);
/*
 * Reads the file whole and, when there is one, its sidecar X.cvmio-stats
 * beside X.json (doc/interfaces.md), and calls ingest_buffers.
 */
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

struct manifest_info;

/*
 * One value per repetition.  rep[i] names where v[i] came from: an index
 * into the store's interned repetition identities (the result's path
 * relative to <condition>/<backend>/, e.g. "cvmio-uring/latency.fio/rep-3.json"),
 * so that rep-N of two conditions can be paired by comparing integers.
 */
struct values {
	double *v;
	size_t *rep;
	size_t n, cap;
};

/* Append x of repetition rep (an index from store_rep(), or the suite's N); 0 or -1 (memory). */
int values_push(struct values *v, double x, size_t rep);

struct series {
	size_t cond;		/* index into the store's conditions */
	char *backend;
	struct signature sig;
	enum direction dir;
	struct values metric[M_COUNT];
	struct hist cdf;	/* all repetitions' clat bins merged, for CDF plots */
	unsigned files;
	unsigned accel;		/* ACCEL_* of its files, ORed */
	unsigned eras;		/* ERA_* of its files, ORed: both is a mixed series */
	bool all_verified;
};

/* What one condition's manifests say about how it was measured (provenance.c). */
#define PROV_TEXT 128
struct prov_field {
	char value[PROV_TEXT];	/* the first value seen, "" when none said */
	bool varies;		/* another manifest of the condition said something else */
	bool missing;		/* some results had no value */
};
struct provenance {
	unsigned accel;		/* ACCEL_* ORed over its results */
	unsigned verified, unverified;	/* result files */
	struct prov_field mode, fio, guest_kernel, host_cpu, clocksource;
};

struct store {
	char **conds;
	struct provenance *prov;	/* one per condition */
	size_t nconds;
	char **reps;		/* interned repetition identities, shared by all conditions */
	size_t nreps, repcap;
	struct series *s;
	size_t n, cap;
};

void store_init(struct store *st);
void store_free(struct store *st);
size_t store_cond(struct store *st, const char *cond);
struct series *store_get(struct store *st, size_t cond, const char *backend,
			 const struct signature *sig, enum direction d);
/* rep_id: the file's path relative to its backend folder (its repetition identity). */
int store_add_file(struct store *st, size_t cond, const char *backend, const char *rep_id,
		   const struct file_result *fr, const struct manifest_info *mi);
/* The index of an interned repetition identity (adding it); (size_t)-1 when out of memory. */
size_t store_rep(struct store *st, const char *rep_id);
struct series *store_find(const struct store *st, size_t cond, const char *backend,
			  const struct signature *sig, enum direction d);

/* ---- manifest.c ---- */

enum verification { VERIFY_NONE, VERIFY_YES, VERIFY_NO };

/* How the guest's CPU ran: bits, so a series or row can hold several. */
#define ACCEL_TCG 1u		/* emulated: ratios show the pipeline, not hardware costs */
#define ACCEL_KVM 2u
#define ACCEL_UNKNOWN 4u	/* no manifest, or no QEMU command line in it */

struct manifest_info {
	enum verification state;
	char reason[256];
	char mode[64];		/* the manifest's "mode" ("" when absent) */
	/* provenance, "" when the manifest does not say */
	unsigned accel;		/* one ACCEL_* from its qemu_argv */
	char fio[64];		/* versions.fio */
	char guest_kernel[128];	/* versions.guest_kernel */
	char host_cpu[128];	/* host_check.cpu_model, else host_check.cpu_vendor */
	char clocksource[64];	/* guest_check.clocksource */
};

/*
 * A manifest's contents (m parsed from path) into info; -1 with err naming
 * the field when it is not a cvmio manifest or a field has the wrong type.
 */
int manifest_from_json(struct json_object *m, const char *path, const char *backend,
		       struct manifest_info *info, char *err, size_t errlen);

/*
 * The nearest manifest.json at or above dir, up to and including stop_dir.
 * Returns 0 with *info filled (VERIFY_NONE when none), -1 with err when a
 * manifest exists but is unreadable or contradicts the folder it sits in.
 */
int manifest_for(const char *dir, const char *stop_dir, const char *condition, const char *backend,
		 char *found_path, size_t found_len, struct manifest_info *info, char *err,
		 size_t errlen);

/* ---- provenance.c ---- */

struct rowset;
/* The accelerator a QEMU command line (a JSON array of strings) asks for: ACCEL_*. */
unsigned accel_from_argv(struct json_object *argv);
/* "tcg", "kvm", "mixed" (both) or "unknown" (any result without a record). */
const char *accel_word(unsigned accel);
void provenance_note(struct provenance *p, const struct manifest_info *mi);
/* True when any row's results ran under TCG: tables then carry the banner. */
bool rows_under_tcg(const struct rowset *rs);
extern const char tcg_banner[];
/* "accel kvm; mode sev-snp (verified 6 of 6); fio fio-3.33; ..." for one condition. */
void provenance_line(const struct provenance *p, char *out, size_t len);

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
/* Whether s ends with suffix (file names: ".json", ".failed"); the walkers of walk.c and suite.c. */
bool ends_with(const char *s, const char *suffix);

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
	size_t pairs;		/* paired analysis: the number of pairs; 0 when unpaired */
	unsigned accel;		/* ACCEL_* of both sides' results */
	bool degenerate;	/* the interval is just the range the data allow: n too small */
	bool verified;
};

struct rowset {
	struct row *r;
	size_t n, cap;
};

#define BOOTSTRAP_RESAMPLES 2000
#define BOOTSTRAP_SEED 0x63766d696fULL	/* "cvmio" */

/*
 * One row's statistics from two sets of repetitions into r (its other fields
 * untouched): paired when every compare repetition has exactly one partner
 * of the same repetition identity in bv and unpaired is false, else the
 * independent-samples method; *partial: some, not all, had a partner.
 * 0 or -1 (memory).
 */
int compare_values(const struct values *bv, const struct values *cv, bool unpaired, bool *partial,
		   struct row *r);

/*
 * Rows for baseline vs each compare condition; one-sided series are warned
 * about.  A metric whose repetitions all have a partner at the same
 * repetition identity on the other side is analyzed paired, unless
 * unpaired is set (cvmio analyze --unpaired).
 */
int compare_build(const struct store *st, size_t baseline, const size_t *compares, size_t ncompares,
		  bool unpaired, struct rowset *rs, struct diag *d);
/*
 * One row's statistics from the two sides' values.  Paired when pair_b
 * (the baseline value of each compare value's partner, in cv's order) is
 * given: the median of the per-pair ratios, a bootstrap over pairs and the
 * Wilcoxon signed-rank test of the log ratios.  Else independent samples:
 * the ratio of medians, a bootstrap of each side, Mann-Whitney U.
 */
int row_stats(const double *bv, size_t nb, const double *cv, size_t nc, const double *pair_b,
	      struct row *r);
void rowset_free(struct rowset *rs);
/*
 * The baseline partner of every compare value (same repetition identity),
 * in cv's order, into pair_b; false unless both sides hold the same
 * repetitions, each once.  *some_partner: at least one had one.
 */
bool pair_up(const struct values *bv, const struct values *cv, double *pair_b, bool *some_partner);
/* A sorted copy of v (NULL when out of memory). */
double *sorted_copy(const double *v, size_t n);
int rowset_push(struct rowset *rs, const struct row *r);
/* qsort order of series pointers: backend, signature, direction. */
int cmp_series(const void *a, const void *b);
bool cond_has_backend(const struct store *st, size_t cond, const char *backend);

/* ---- table.c ---- */

enum out_format { FMT_TEXT, FMT_MD, FMT_CSV, FMT_LATEX, FMT_JSON, FMT_HTML };
int parse_format(const char *s, enum out_format *f);
/* Cell formatting shared by the tables: %.<digits>g or "" for NaN; for people
 * (no exponents); one CSV field, quoted when needed. */
#define ROUND_TRIP_DIGITS 17	/* DBL_DECIMAL_DIG: printed and read back, the same double */
void fmt_num(char *out, size_t len, double v, int digits);
void fmt_human(char *out, size_t len, double v);
void csv_field(FILE *out, const char *s);
/*
 * A row's numbers as the CSV tables print them, in their common column order
 * (baseline,compare,ratio,ci_low,ci_high,n_baseline,n_compare,p_value; no
 * trailing comma): a machine format, so every number round-trips.
 */
void csv_row_numbers(FILE *out, const struct row *r);
int table_write(FILE *out, enum out_format f, const struct store *st, size_t baseline,
		const struct rowset *rs);
/* Cells shared by the other tables (table_backends.c): "" for a value that does not exist. */
struct json_object *num_or_null(double v);
void latex_escaped(FILE *out, const char *s);
void md_escaped(FILE *out, const char *s);

/* The cells people read (text, md, latex, html): one row, formatted for people. */
#define TABLE_NCOLS 10
extern const char *const table_headers[TABLE_NCOLS];
struct cells {
	char c[TABLE_NCOLS][160];
};
void row_cells(const struct row *r, struct cells *cl, bool *any_unverified);

/* ---- table_html.c ---- */

/* s with &, <, >, " and ' escaped for HTML text and attribute values. */
void html_escaped(FILE *out, const char *s);
/* The tables as an HTML fragment: TCG banner, one <table> per compare condition, provenance. */
void write_html_tables(FILE *out, const struct store *st, size_t baseline, const struct rowset *rs);

/* ---- report.c ---- */

/*
 * cvmio analyze --report OUTDIR: every format, the figures and one
 * self-contained OUTDIR/index.html.  The page is a list of sections; a
 * table of another part (a heatmap, the suite table) joins it with one
 * report_add_section() call before report_write().
 */
typedef void (*report_section_fn)(FILE *html, const void *ctx);
struct report_section {
	char id[64];		/* the HTML id (an anchor in the contents) */
	char title[160];
	report_section_fn write;	/* writes the section's body (HTML) */
	const void *ctx;
};
struct report {
	struct report_section *s;
	size_t n, cap;
};
void report_init(struct report *rep);
void report_free(struct report *rep);
int report_add_section(struct report *rep, const char *id, const char *title, report_section_fn write,
		       const void *ctx);
/*
 * outdir/name as write(out, ctx) writes it (a cvmio exit code), through
 * cvmio_write_atomic(): an old file is never left half-replaced.
 */
typedef int (*report_file_fn)(FILE *out, const void *ctx);
int report_write_file(const char *outdir, const char *name, report_file_fn write, const void *ctx);
/* Everything into outdir; a cvmio exit code (errors already printed). */
int report_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
		 const size_t *compares, size_t ncompares, const struct rowset *rs, const struct diag *d,
		 struct report *rep);

/* ---- plot.c ---- */

struct render_list;

/* plot_costs.c: the cost-breakdown figure per compared condition (none without counters). */
int plot_costs_write(const char *outdir, const struct store *st, size_t baseline, size_t cond,
		     const struct rowset *rs, struct render_list *rl);

/* Writes gnuplot scripts + data into outdir and renders PNG, SVG and PDF. Returns a cvmio exit code. */
int plot_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
	       const size_t *compares, size_t ncompares, const struct rowset *rs);
/* Run gnuplot (found as plot_write() does) on script in outdir.  A cvmio exit code. */
int plot_run_script(const char *gnuplot, const char *outdir, const char *script);

/* ---- suite.c: cvmio analyze --table suite ---- */

struct suite_table_opts {
	const char *dir, *baseline;
	const char *const *compares;
	size_t ncompares;
	enum out_format format;
	const char *plot_dir;
	bool allow_unverified, quiet, unpaired;
};

/* The suite table of DIR/<condition>/<backend>/suite/<benchmark>/rep-N.json.  A cvmio exit code. */
int suite_table(const struct suite_table_opts *o);
/*
 * The suite part of a report: the suite results of o->dir read for o's
 * conditions, *out NULL when DIR has no <backend>/suite/ folder at all.
 * suite_results_write() puts suite.txt, .md, .csv (one backend only),
 * .tex, .json, .html and the figure into outdir; suite_section_html() is
 * the report section (a report_section_fn, ctx the results).
 */
struct suite_results;
int suite_results_read(const struct suite_table_opts *o, struct suite_results **out);
bool suite_results_have_csv(const struct suite_results *sr);
int suite_results_write(const struct suite_results *sr, const char *outdir);
void suite_section_html(FILE *html, const void *ctx);
void suite_results_free(struct suite_results *sr);

/* The pieces other figure writers (heatmap.c, plot_costs.c) share with plot.c. */
/* The four metrics of every figure's panels (bandwidth, IOPS, mean and p99 latency) and their titles. */
extern const enum metric panel_metrics[4];
extern const char *const panel_titles[4];
struct workload {
	struct signature sig;
	enum direction dir;
};

/* The x and y of a figure: sorted workloads and backends. */
struct axes {
	struct workload *w;
	size_t nw;
	const char **backends;
	size_t nb;
};

/* The workloads and backends with at least one row of condition cond (compare_cond). */
int collect_axes(const struct rowset *rs, size_t cond, struct axes *ax);
void free_axes(struct axes *ax);
/* The signature label, with the direction added for mixed workloads. */
void workload_label(const struct workload *w, char *out, size_t len);
struct render_list {
	FILE *render;		/* render*.gp: sets terminals and loads each figure's script */
	unsigned figures;
};
/* Appends PNG, SVG and PDF renderings of stem.gp (width x height pixels) to the render script. */
void add_figure(struct render_list *rl, const char *stem, int width, int height);
/* A file-name-safe copy of a condition or backend name. */
void safe_name(const char *in, char *out, size_t len);
/* A string for a gnuplot single-quoted literal (quotes doubled) and enhanced text (escapes). */
void gp_text(FILE *f, const char *s);
FILE *open_out(const char *dir, const char *name, char *path, size_t len);
/* " [accel kvm]" (or tcg, with what that means) of the rows of condition cond, for a figure's title. */
void gp_accel_note(FILE *f, const struct rowset *rs, size_t cond);
/* gnuplot itself: override (CVMIO_GNUPLOT) when set, else the first gnuplot on PATH. */
bool find_gnuplot(const char *override, char *out, size_t len);
/* Runs gnuplot script in outdir, its output into log_name there; gnuplot's exit status. */
int run_gnuplot(const char *gnuplot, const char *outdir, const char *script, const char *log_name);

/* ---- conditions.c ---- */

/* DIR's condition folders (sorted; each holds a backend folder).  A cvmio exit code. */
int list_conditions(const char *dir, char ***names, size_t *n);
void free_conditions(char **names, size_t n);

/* ---- backends.c ---- */

/* 0 when some condition of conds has results of backend reference, else the usage error (named). */
int reference_exists(const struct store *st, const size_t *conds, size_t nconds, const char *reference);
/*
 * Rows value(backend) / value(reference) per condition of conds, in struct
 * row: compare_cond is the condition, baseline/n_baseline the reference's
 * median and count, compare/n_compare the backend's.  -1: out of memory.
 */
int backends_build(const struct store *st, const size_t *conds, size_t nconds, const char *reference,
		   struct rowset *rs, struct diag *d);

/* ---- penalty.c ---- */

struct penalty_row {
	const char *backend;
	struct signature sig;
	enum direction dir;
	enum metric metric;
	double value;			/* median under the compared condition (the CVM) */
	double penalty;			/* compare / baseline of this backend */
	double reference_penalty;	/* the same for the reference backend */
	double ratio, ci_low, ci_high;	/* penalty / reference_penalty; NAN bounds below 3 reps */
	size_t n;			/* the fewest repetitions (or pairs) of the samples */
	bool paired;			/* both penalties from pairs (rep-N under both conditions) */
	bool verified;
};

struct penalty_set {
	size_t baseline, compare;	/* conditions */
	const char *reference;		/* backend */
	struct penalty_row *r;
	size_t n, cap;
};

/* The row of (cond, backend, workload, metric) in rs, or NULL. */
const struct row *rowset_find(const struct rowset *rs, size_t cond, const char *backend,
			      const struct signature *sig, enum direction dir, enum metric m);
/*
 * Penalty rows of every backend but the reference from rs, the compare rows
 * of ps->compare against ps->baseline; ps's conditions and reference set by
 * the caller.  Workloads the reference lacks are warned about.  -1: memory.
 */
int penalty_build(const struct store *st, const struct rowset *rs, struct penalty_set *ps, struct diag *d);
void penalty_set_free(struct penalty_set *ps);

/* ---- heatmap.c ---- */

/* What the heatmaps are drawn from; either rowset may be empty. */
struct heatmap_input {
	const struct store *st;
	const struct rowset *ratios;	/* compare / baseline rows (compare_build) */
	size_t baseline;
	const size_t *compares;
	size_t ncompares;
	const struct rowset *backends;	/* backend / reference rows (backends_build) */
	const size_t *conds;
	size_t nconds;
	const char *reference;
};

/*
 * Backend x workload heatmaps (a panel per metric: bandwidth, IOPS, mean and
 * p99 latency), one per compared condition (heatmap-ratios-COND) and one per
 * condition against the reference backend (heatmap-backends-COND), as
 * gnuplot scripts and data rendered to PNG, SVG and PDF in outdir (created
 * when missing).  For --plot and the study report.  A cvmio exit code.
 */
int heatmaps_write(const char *outdir, const char *gnuplot, const struct heatmap_input *in);

/* ---- table_backends.c ---- */

/* The --table backends rows (from backends_build) in format f. */
int backends_table_write(FILE *out, enum out_format f, const struct store *st, const char *reference,
			 const struct rowset *rs);
/* The --table penalty rows, and in text, md and html a ranking per workload from the compare rows rs. */
int penalty_table_write(FILE *out, enum out_format f, const struct store *st, const struct penalty_set *ps,
			const struct rowset *rs);
/* What the report's backends and penalty sections show (report_add_section's ctx). */
struct backends_report {
	const struct store *st;
	const char *reference;
	const struct rowset *backends;	/* backends_build's rows */
	const struct penalty_set *penalty;
	const struct rowset *ratios;	/* compare_build's rows, for the ranking */
};
void backends_section_html(FILE *html, const void *ctx);
void penalty_section_html(FILE *html, const void *ctx);
/* backends.{txt,md,csv,tex,json} and penalty.* in outdir, for the tables br has rows of. */
int backends_report_files(const char *outdir, const struct backends_report *br);

#endif
