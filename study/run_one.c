// SPDX-License-Identifier: GPL-2.0-only
/*
 * One run of the plan: fio's client against the condition's servers, the
 * result linked into place (never overwriting one), or a .failed file that
 * says why; the run's entry in the manifest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio.h"
#include "run_counters.h"
#include "run_manifest.h"
#include "run_records.h"
#include "run_runner.h"
#include "run_suite.h"

/* rep-N.failed: why, with the earlier attempts' reasons below it.  0 or -1. */
int run_write_failed(const char *path, const char *reason)
{
	char *earlier = cvmio_read_file(path), *text;
	int rc;

	if (asprintf(&text, "%s\n%s%s", reason, earlier ? "earlier attempt: " : "", earlier ? earlier : "") < 0)
		abort();
	rc = cvmio_write_atomic(path, text);
	free(text);
	free(earlier);
	return rc;
}

/*
 * The run's output (tmp) as rep-N.json, pure fio JSON, and the engines'
 * records in it as rep-N.cvmio-stats beside it (run_records.c).  link()
 * never replaces an existing file: a result is never overwritten.
 */
static enum fio_outcome store_result(const struct study *s, struct runner *r,
				     const struct run_item *it, const char *dir, const char *tmp,
				     const char *result, char *reason, size_t len)
{
	char side_tmp[PATH_MAX + 48], side[PATH_MAX + 32];
	bool has_side;

	snprintf(side_tmp, sizeof(side_tmp), "%s/.rep-%d.cvmio-stats.tmp", dir, it->rep);
	plan_run_path(s, r->outdir, it, ".cvmio-stats", side, sizeof(side));
	if (run_split_records(tmp, side_tmp, reason, len))
		return FIO_FAILED;
	has_side = access(side_tmp, F_OK) == 0;
	/* A records file without its result is the orphan of a store cut short. */
	if (access(result, F_OK) != 0 && unlink(side) == 0)
		fprintf(stderr, "cvmio run: removed %s, left without its result by an interrupted run\n", side);
	if (has_side && link(side_tmp, side)) {
		snprintf(reason, len, "cannot store %.800s: %s (not overwritten)", side, strerror(errno));
		unlink(side_tmp);
		return FIO_FAILED;
	}
	if (has_side)
		unlink(side_tmp);
	if (link(tmp, result)) {
		snprintf(reason, len, "cannot store %.800s: %s (not overwritten)", result, strerror(errno));
		if (has_side)
			unlink(side);	/* ours, just linked: no result goes with it */
		return FIO_FAILED;
	}
	return FIO_OK;
}

/*
 * rep-N.counters, written just before rep-N.json is linked into place (so a
 * result never lacks the counters of its own run); output is fio's temporary
 * output.  A failure to write them is a warning, not a failed run.
 */
static void run_store_counters(struct runner *r, struct run_counters *counters, struct condition *c,
			       const struct run_item *it, const char *output)
{
	const struct study *s = r->s;
	char path[PATH_MAX + 32], why[PATH_MAX + 300];

	plan_run_path(s, r->outdir, it, ".counters", path, sizeof(path));
	if (run_counters_finish(counters, c->guests,
				study_guest_target(s, it->backend, s->engines.v[it->engine]),
				output, path, why, sizeof(why)) < 0)
		run_note(r, "warning: counters: %s", why);
}

enum fio_outcome run_one(struct runner *r, struct condition *c, const struct run_item *it)
{
	const struct study *s = r->s;
	const char *engine, *backend = s->backends.v[it->backend];
	char dir[PATH_MAX], result[PATH_MAX + 32], failed[PATH_MAX + 32], tmp[PATH_MAX + 48],
	     log[PATH_MAX + 48], rel[1024], reason[1024], engine_value[300];
	char *env[9] = { 0 };
	struct run_counters counters = { 0 };
	char counters_path[PATH_MAX + 32];
	double seconds = 0;
	enum fio_outcome out;

	if (it->suite)
		return (enum fio_outcome)run_suite_one(r, c, it);
	engine = s->engines.v[it->engine];
	plan_run_dir(s, r->outdir, it, dir, sizeof(dir));
	plan_run_path(s, r->outdir, it, ".json", result, sizeof(result));
	plan_run_path(s, r->outdir, it, ".failed", failed, sizeof(failed));
	plan_run_relpath(s, it, ".json", rel, sizeof(rel));
	snprintf(tmp, sizeof(tmp), "%s/.rep-%d.json.tmp", dir, it->rep);
	snprintf(log, sizeof(log), "%s/.rep-%d.log.tmp", dir, it->rep);

	if (cvmio_mkdir_p(dir)) {
		snprintf(reason, sizeof(reason), "cannot create %.800s: %s", dir, strerror(errno));
		out = FIO_FAILED;
	} else if (!c->usable) {
		snprintf(reason, sizeof(reason), "no guest: %s", c->why);
		out = *r->stop ? FIO_INTERRUPTED : FIO_FAILED;
	} else {
		study_engine_value(s, engine, engine_value, sizeof(engine_value));
		if (asprintf(&env[0], "TARGET=%s", study_guest_target(s, it->backend, engine)) < 0 ||
		    asprintf(&env[1], "ENGINE=%s", engine_value) < 0 ||
		    asprintf(&env[2], "RUNTIME=%d", s->runtime) < 0 ||
		    asprintf(&env[3], "RAMP=%d", s->ramp) < 0 ||
		    asprintf(&env[4], "CVMIO_MODE=%s", s->modes.v[it->mode]) < 0 ||
		    asprintf(&env[5], "CVMIO_BACKEND=%s", backend) < 0 ||
		    asprintf(&env[6], "SIZE=%s", s->size) < 0)
			abort();
		unlink(log);
		struct fio_job j = {
			.fio = r->fio, .servers = c->servers, .n_servers = c->n_servers,
			.jobfile = s->jobfiles[it->jobfile].path, .env = env, .output = tmp, .log = log,
			.timeout_s = s->run_timeout ? s->run_timeout
				: 120 + 3 * fio_job_sections(s->jobfiles[it->jobfile].path) * (s->runtime + s->ramp),
			.stop = &*r->stop, .alive = c->n_guests ? cond_alive : NULL, .ctx = c,
			.tick = run_progress_tick, .tick_ctx = r,
		};
		run_counters_begin(&counters, c->guests, c->n_guests);
		/* counters without their result are an interrupted attempt's: this run replaces them */
		plan_run_path(s, r->outdir, it, ".counters", counters_path, sizeof(counters_path));
		if (access(result, F_OK))
			unlink(counters_path);
		out = fio_run(&j, reason, sizeof(reason), &seconds);
		if (out == FIO_FAILED && c->n_guests) {
			/* fio loses its server when the guest dies: say so */
			char why[600];
			/*
			 * A stopped or hung guest is alive as a process, and fio's
			 * client may give up on it ("timeout on cmd PROBE") before
			 * the runner's own timeout: whether the failure was the
			 * guest's is known only by asking it.
			 */
			if (!cond_alive(c, why, sizeof(why)) || !cond_responsive(c, why, sizeof(why))) {
				size_t n = strlen(why);
				snprintf(why + n, sizeof(why) - n, " (%.300s)", reason);
				snprintf(reason, sizeof(reason), "%s", why);
				out = FIO_TARGET_DIED;
			}
		}
		for (int i = 0; env[i]; i++)
			free(env[i]);
		r->fio_seconds += seconds;
	}
	if (out == FIO_OK && access(result, F_OK))
		run_store_counters(r, &counters, c, it, tmp);
	if (out == FIO_OK)
		out = store_result(s, r, it, dir, tmp, result, reason, sizeof(reason));
	if (out == FIO_OK)
		unlink(failed);
	run_counters_free(&counters);
	unlink(tmp);
	unlink(log);
	if (out == FIO_INTERRUPTED)
		return out;
	if (out != FIO_OK) {
		snprintf(r->last_reason, sizeof(r->last_reason), "%.299s", reason);
		if (run_write_failed(failed, reason))
			run_record_failed(r, "failure record", failed);
		if (out == FIO_TIMEOUT || out == FIO_TARGET_DIED) {
			cond_stop(c);
			snprintf(c->why, sizeof(c->why), "%.590s", reason);
		}
	}
	manifest_add_run(c->manifest, rel, out == FIO_OK, out == FIO_OK ? NULL : reason, seconds);
	/* the manifest is the verification record: a run it does not list is not done */
	if (cond_save(r, c) && out == FIO_OK) {
		snprintf(r->last_reason, sizeof(r->last_reason), "%.299s", r->record_error);
		out = FIO_FAILED;
	}
	return out;
}
