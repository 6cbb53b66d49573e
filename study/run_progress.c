// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio run's progress output on stderr: one status line per run (redrawn
 * in place on a terminal, with elapsed time and an ETA from the runs so
 * far), notes between them, and the summary on stdout at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cvmio.h"
#include "proc.h"
#include "run_runner.h"

static void fmt_duration(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

void run_progress(struct runner *r, const struct run_item *it, const char *status, double seconds)
{
	const struct study *s = r->s;
	double elapsed = (now_ms() - r->t0) / 1000.0;
	size_t done = r->ok + r->failed;
	char el[32], eta[32] = "?";

	if (r->quiet)
		return;
	fmt_duration(elapsed, el, sizeof(el));
	if (done) {
		double left = r->run_seconds / done * (r->total - done);
		if (r->current)
			left -= (now_ms() - r->current_start) / 1000.0;
		fmt_duration(left > 0 ? left : 0, eta, sizeof(eta));
	}
	if (!status) {
		if (r->tty)
			fprintf(stderr, "\r\033[K[run %zu/%zu] %s %s %s/%s rep %d | elapsed %s, ETA %s",
				r->index, r->total, s->modes.v[it->mode], s->backends.v[it->backend],
				s->engines.v[it->engine], s->jobfiles[it->jobfile].name, it->rep, el, eta);
		return;
	}
	if (r->tty && !strcmp(status, "ok"))
		return; /* the next status line replaces it */
	fprintf(stderr, "%s[run %zu/%zu] %s %s/%s/%s/%s/rep-%d (%.1f s) | elapsed %s, ETA %s\n",
		r->tty ? "\r\033[K" : "", r->index, r->total, status, s->modes.v[it->mode],
		s->backends.v[it->backend], s->engines.v[it->engine], s->jobfiles[it->jobfile].name,
		it->rep, seconds, el, eta);
	if (strcmp(status, "ok"))
		fprintf(stderr, "    %s\n", r->last_reason);
}

void run_note(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->quiet)
		return;
	if (r->tty)
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void run_progress_tick(void *ctx)
{
	struct runner *r = ctx;

	if (r->tty && r->current)
		run_progress(r, r->current, NULL, 0);
}

int run_summary(struct runner *r, size_t todo_before)
{
	double wall = (now_ms() - r->t0) / 1000.0;
	size_t missing = todo_before - r->ok - r->failed;

	if (r->tty && !r->quiet)
		fputs("\r\033[K", stderr);
	printf("cvmio run: %s: %zu ok, %zu failed, %zu not run, in %.1f s; results in %s\n", r->s->name, r->ok,
	       r->failed, missing, wall, r->outdir);
	if (r->fio_seconds > 0)
		printf("cvmio run: overhead %.2f (wall time %.1f s / sum of fio client times %.1f s)\n",
		       wall / r->fio_seconds, wall, r->fio_seconds);
	if (*r->stop || missing)
		printf("cvmio run: incomplete; 'cvmio run --resume%s%s %s' completes it\n",
		       r->output ? " --output " : "", r->output ? r->output : "", r->s->path);
	if (r->record_failed) {
		fprintf(stderr, "cvmio run: error: stopped: %s (the results tree does not record what ran)\n",
			r->record_error);
		return CVMIO_EXIT_ENV;
	}
	return r->failed || missing ? CVMIO_EXIT_NEGATIVE : CVMIO_EXIT_OK;
}
