/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The study plan: every (mode, backend, engine, job file, repetition) run in
 * execution order, and where its result goes.  Runs are grouped per backend
 * (one boot per mode and backend, the guests of all modes up together) and,
 * inside a backend, ordered repetition-major with the modes innermost, so
 * the runs compared in a ratio are neighbours in time and machine drift
 * cannot bias the ratio.
 */
#ifndef CVMIO_RUN_PLAN_H
#define CVMIO_RUN_PLAN_H

#include <stddef.h>

#include "run_study.h"

enum run_state {
	RUN_TODO = 0,     /* no result yet */
	RUN_DONE,         /* rep-N.json exists */
	RUN_FAILED_BEFORE /* rep-N.failed exists (retried by --resume) */
};

struct run_item {
	size_t mode, backend, engine, jobfile;
	int suite;          /* 1: a suite run of benchmark s->suite.v[bench] (engine, jobfile unused) */
	size_t bench;
	int rep;            /* 1-based */
	enum run_state state;
};

struct plan {
	struct run_item *items;
	size_t n;
};

/* Build the plan in execution order (engines that do not fit a backend are left out). */
void plan_build(const struct study *s, struct plan *p);
void plan_free(struct plan *p);

/* OUTDIR/<mode>/<backend> */
void plan_backend_dir(const struct study *s, const char *outdir, size_t mode, size_t backend,
		      char *buf, size_t len);
/* <engine>/<jobfile>, or suite/<benchmark> for a suite run */
void plan_item_subdir(const struct study *s, const struct run_item *it, char *buf, size_t len);
/* OUTDIR/<mode>/<backend>/<engine>/<jobfile> (suite runs: .../suite/<benchmark>) */
void plan_run_dir(const struct study *s, const char *outdir, const struct run_item *it,
		  char *buf, size_t len);
/* OUTDIR/<mode>/<backend>/<engine>/<jobfile>/rep-N<suffix>, suffix ".json" or ".failed" */
void plan_run_path(const struct study *s, const char *outdir, const struct run_item *it,
		   const char *suffix, char *buf, size_t len);
/* The same path relative to the backend folder (as listed in manifest.json). */
void plan_run_relpath(const struct study *s, const struct run_item *it, const char *suffix,
		      char *buf, size_t len);

/* Mark each item from what is on disk; returns the number of items still to run. */
size_t plan_scan(const struct study *s, const char *outdir, struct plan *p);

#endif
