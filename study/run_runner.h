/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The state 'cvmio run' keeps while it runs a study, shared by its parts:
 * the verb (cmd_run.c), progress output (run_progress.c), the guests of one
 * (mode, backend) condition (run_condition.c), one fio run (run_one.c) and
 * the order of boots and runs per backend (run_backend.c).
 */
#ifndef CVMIO_RUN_RUNNER_H
#define CVMIO_RUN_RUNNER_H

#include <limits.h>
#include <signal.h>
#include <stddef.h>

#include <json.h>

#include "run_fio.h"
#include "run_guest.h"
#include "run_plan.h"
#include "run_study.h"

/* One (mode, backend): its guests (or hosts= servers) and its manifest. */
struct condition {
	size_t mode, backend;
	struct guest *guests;
	int n_guests;
	char **servers;          /* "HOST,PORT" for fio --client= */
	size_t n_servers;
	json_object *manifest;
	char dir[PATH_MAX], manifest_path[PATH_MAX + 16];
	int needed, usable, boots, ever_ready, retry_boot;
	char why[600];
};

struct runner {
	struct study *s;
	const char *outdir;
	const char *output;      /* --output as given, or NULL */
	const char *fio;
	int tty, quiet;
	const volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM/SIGHUP: finish what runs, start nothing */
	char rundir[64];         /* private /tmp folder for QMP sockets */
	struct port_set ports;   /* TCP ports given to this runner's guests */
	char *host_check;        /* JSON text of 'cvmio check --host --json', or NULL */
	long long t0;
	size_t total, index, ok, failed, interrupted;
	const struct run_item *current; /* for the status line while fio runs */
	long long current_start;
	char last_reason[300];          /* why the last run failed, for the progress line */
	double fio_seconds, run_seconds;
	int record_failed;              /* a manifest or .failed file could not be written: stop, exit 4 */
	char record_error[700];
	double suite_seconds;           /* the suite commands' own wall time */
};

/* run_progress.c: the status line, notes, the closing summary */
void run_progress(struct runner *r, const struct run_item *it, const char *status, double seconds);
void run_note(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void run_progress_tick(void *ctx);
int run_summary(struct runner *r, size_t todo_before);

/*
 * Write the condition's manifest; when that fails, say so at once (even
 * with --quiet) and set r->record_failed: the runner starts nothing more.
 * 0 or -1.
 */
int cond_save(struct runner *r, struct condition *c);
/* Report a result record that could not be written (what, path, errno) as cond_save does. */
void run_record_failed(struct runner *r, const char *what, const char *path);

/* run_condition.c: a condition's lifecycle */
void cond_init(struct runner *r, struct condition *c, size_t mode, size_t backend);
int cond_start(struct runner *r, struct condition *c);
void conds_wait(struct runner *r, struct condition *conds, size_t n);
int cond_alive(void *ctx, char *why, size_t len);
/* After a failed run: 0 (why filled) when a guest no longer answers on its check port. */
int cond_responsive(struct condition *c, char *why, size_t len);
void cond_servers(struct condition *c);
void cond_stop(struct condition *c);
void conds_finish(struct runner *r, struct condition *conds, size_t n);
void conds_free(struct condition *conds, size_t n);
json_object *json_or_null(const char *text);

/* run_one.c: one fio run of the plan, its result or .failed file, the manifest entry */
enum fio_outcome run_one(struct runner *r, struct condition *c, const struct run_item *it);

/* run_one.c: a .failed file with reason (keeping an earlier attempt's below it) */
/* rep-N.failed: why, with the earlier attempts' reasons below it.  0 or -1 (errno). */
int run_write_failed(const char *path, const char *reason);

/* run_backend.c: every run of one backend, booting each mode's guests when needed */
void run_backend(struct runner *r, struct plan *p, size_t backend);

/* run_target.c: rounds after the plan until every headline ratio is within target_ci (or the cap) */
void run_until_target(struct runner *r, struct plan *p);

#endif
