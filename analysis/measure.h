/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What one fio result says: workload signatures, latency histograms, validated
 * numbers, the per-job measurements and the run's cost counters
 * (signature.c, hist.c, validate.c, ingest.c, aggregate.c, counters.c).
 */
#ifndef CVMIO_ANALYSIS_MEASURE_H
#define CVMIO_ANALYSIS_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json.h>

#include "diag.h"

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

#endif
