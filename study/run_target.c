// SPDX-License-Identifier: GPL-2.0-only
/*
 * Repetitions until the answer is clear (study keys target_ci and
 * max_repetitions): after the planned rounds, the results so far are
 * analyzed with the analyzer's own functions (walk, store, paired rows:
 * the same numbers cvmio analyze will print), and while any headline
 * ratio (bw, iops, mean and p99 latency of every job, each compared mode
 * against the first) has an interval wider than target_ci, one more
 * interleaved round of every mode, backend, engine and job file runs.
 * The Phoronix Test Suite adds runs per result by standard deviation; a
 * ratio needs its own interval, so this works per ratio.  Each manifest
 * then records why the rounds stopped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "run_manifest.h"
#include "run_runner.h"

static bool headline(enum metric m)
{
	return m == M_BW_KIB || m == M_IOPS || m == M_LAT_MEAN_US || m == M_CLAT_P99_US;
}

/*
 * The widest relative half-width, (hi - lo) / 2 / ratio, over the headline
 * rows of the results in outdir (INFINITY when a row has no interval yet,
 * or nothing could be compared), and which row it is.
 */
static double widest_interval(const struct runner *r, char *where, size_t len)
{
	const struct study *s = r->s;
	struct store st;
	struct diag d = { .quiet = true };
	struct walk_opts wo = { .allow_unverified = true };	/* hosts= and failed checks still need answers */
	struct walk_counts wc = { 0 };
	struct rowset rs = { 0 };
	size_t compares[64];
	double widest = INFINITY;
	snprintf(where, len, "no results to compare yet");
	store_init(&st);
	int bad = 0;
	for (size_t m = 0; m < s->modes.n && m < 64; m++)
		bad |= walk_condition(r->outdir, s->modes.v[m], &st, &wo, &d, &wc);
	if (bad)
		goto out;
	size_t baseline = store_cond(&st, s->modes.v[0]), ncompares = 0;
	for (size_t m = 1; m < s->modes.n && m < 64; m++)
		compares[ncompares++] = store_cond(&st, s->modes.v[m]);
	if (compare_build(&st, baseline, compares, ncompares, false, &rs, &d) || !rs.n)
		goto out;
	widest = 0;
	for (size_t i = 0; i < rs.n; i++) {
		const struct row *row = &rs.r[i];
		if (!headline(row->metric))
			continue;
		double hw = isfinite(row->ci_low) && row->ratio > 0 ? (row->ci_high - row->ci_low) / 2 / row->ratio
								    : INFINITY;
		if (hw > widest || (i == 0 && hw == widest)) {
			char label[160];
			signature_label(&row->sig, row->dir, label, sizeof(label));
			snprintf(where, len, "%s/%s %s %s", st.conds[row->compare_cond], row->backend, label,
				 metric_name(row->metric));
			widest = hw;
		}
	}
out:
	rowset_free(&rs);
	store_free(&st);
	diag_free(&d);
	return widest;
}

/* Adds the stop record to every manifest of the study (read, amended, replaced atomically). */
static void record_stop(const struct runner *r, const char *reason, double widest, const char *where)
{
	const struct study *s = r->s;
	for (size_t m = 0; m < s->modes.n; m++)
		for (size_t b = 0; b < s->backends.n; b++) {
			char dir[4096], path[4200];
			plan_backend_dir(s, r->outdir, m, b, dir, sizeof(dir));
			snprintf(path, sizeof(path), "%s/manifest.json", dir);
			json_object *man = json_object_from_file(path);
			if (!man)
				continue;	/* this condition never ran (every run failed before a manifest) */
			json_object *t = json_object_new_object();
			json_object_object_add(t, "target_ci", json_object_new_double(s->target_ci));
			json_object_object_add(t, "max_repetitions", json_object_new_int(s->max_repetitions));
			json_object_object_add(t, "repetitions", json_object_new_int(s->repetitions));
			json_object_object_add(t, "stopped", json_object_new_string(reason));
			json_object_object_add(t, "widest_half_width", isfinite(widest) ? json_object_new_double(widest) : NULL);
			json_object_object_add(t, "widest", json_object_new_string(where));
			json_object_object_add(man, "target", t);
			if (manifest_write(man, path))
				run_note((struct runner *)r, "%s: cannot record why the rounds stopped", path);
			json_object_put(man);
		}
}

void run_until_target(struct runner *r, struct plan *p)
{
	struct study *s = r->s;
	char where[400], reason[600];
	double widest;
	for (;;) {
		widest = widest_interval(r, where, sizeof(where));
		if (widest <= s->target_ci) {
			snprintf(reason, sizeof(reason), "target reached: every headline interval within +-%.3g %% after %d repetitions",
				 100 * s->target_ci, s->repetitions);
			break;
		}
		if (s->repetitions >= s->max_repetitions) {
			snprintf(reason, sizeof(reason), "max_repetitions=%d reached; widest interval +-%.2f %% (%s)",
				 s->max_repetitions, 100 * widest, where);
			break;
		}
		if (*r->stop) {
			snprintf(reason, sizeof(reason), "interrupted after %d repetitions; widest interval +-%.2f %% (%s)",
				 s->repetitions, 100 * widest, where);
			break;
		}
		run_note(r, "target_ci %.3g %%: widest interval +-%.2f %% (%s) after %d repetitions; round %d of at most %d",
			 100 * s->target_ci, 100 * widest, where, s->repetitions, s->repetitions + 1, s->max_repetitions);
		/* one more round: the plan of repetitions + 1, of which only the new round is still to do */
		s->repetitions++;
		plan_free(p);
		plan_build(s, p);
		r->total += plan_scan(s, r->outdir, p);
		for (size_t b = 0; b < s->backends.n && !*r->stop; b++)
			run_backend(r, p, b);
	}
	run_note(r, "%s", reason);
	record_stop(r, reason, widest, where);
}
