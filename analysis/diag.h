/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The analyzer's warnings (diag.c): one line each, said once, counted for --strict.
 */
#ifndef CVMIO_ANALYSIS_DIAG_H
#define CVMIO_ANALYSIS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

#endif
