/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark suite as data: one INI file per benchmark (suite/benchmarks/
 * NAME.ini, format in doc/interfaces.md), loaded for one scale (smoke|full),
 * and the extraction of its metrics from the benchmark's raw output.
 */
#ifndef CVMIO_SUITE_H
#define CVMIO_SUITE_H

#include <regex.h>
#include <stddef.h>

#include <json.h>

#define SUITE_NAME_MAX 64

/* Fixed places in the guest, substituted for ${scratch}, ${src} and ${nproc}. */
#define SUITE_GUEST_SCRATCH "/mnt/cvmio-scratch"   /* a filesystem on the disk under test */
#define SUITE_GUEST_SRC "/opt/cvmio-suite/src"     /* the source packages of the image */

enum suite_better { SUITE_HIGHER = 1, SUITE_LOWER = -1 };

enum suite_from { SUITE_FROM_PATTERN, SUITE_FROM_CSV };

/* One metric: read by a regular expression (the first group of the single matching line). */
struct suite_metric {
	char name[SUITE_NAME_MAX];
	char unit[32];
	enum suite_better better;
	char *pattern;           /* POSIX extended regular expression */
	regex_t re;
	int line;                /* where the [metric NAME] section starts */
};

/* One CSV column read for every listed row: metric "ROW COLUMN". */
struct suite_csv_column {
	char name[SUITE_NAME_MAX];
	char unit[32];
	enum suite_better better;
};

struct suite_bench {
	char path[4096];
	char name[SUITE_NAME_MAX];
	char scale[8];
	char *description;
	char *packages;          /* Debian packages: [benchmark] and the scale's, space-separated */
	char *sources;           /* Debian source packages put in ${src} */
	char *setup, *command, *teardown;   /* shell scripts (bash), placeholders substituted */
	int timeout_s;           /* for setup + command + teardown */
	struct suite_metric *metrics;
	size_t n_metrics, cap_metrics;
	/* CSV metrics (redis-benchmark --csv): the header line names the columns */
	char csv_key[SUITE_NAME_MAX];    /* the column naming the row, "" = no CSV */
	char **csv_rows;
	size_t n_csv_rows, cap_csv_rows;
	struct suite_csv_column *csv_cols;
	size_t n_csv_cols, cap_csv_cols;
};

/* The benchmarks folder: explicit (--suite), $CVMIO_SUITE, the source tree or PREFIX/share/cvmio/suite. */
int suite_dir_find(const char *explicit_dir, char *out, size_t outlen, char *err, size_t errlen);

/*
 * Load DIR/NAME.ini for scale ("smoke" or "full").  0, or -1 with err naming
 * FILE:LINE (or the unknown benchmark and the known ones).
 */
int suite_load(const char *dir, const char *name, const char *scale, struct suite_bench *b,
	       char *err, size_t errlen);
void suite_free(struct suite_bench *b);

/* Known benchmark names in dir, ", "-separated. */
void suite_names(const char *dir, char *out, size_t outlen);

/* The number of metrics a run must yield. */
size_t suite_metric_count(const struct suite_bench *b);

/*
 * Read every metric from a run's raw output.  Returns a JSON array of
 * {"name","unit","better","value"} (caller puts it), or NULL with err saying
 * which metric could not be read and why.  No partial result: one missing
 * metric fails the run.
 */
json_object *suite_extract(const struct suite_bench *b, const char *output, char *err,
			   size_t errlen);

const char *suite_better_name(enum suite_better b);

#endif
