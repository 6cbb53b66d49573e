// SPDX-License-Identifier: GPL-2.0-only
/*
 * Warnings of cvmio analyze: one line each on stderr, counted for --strict.
 * A line already given is not repeated: several code paths may notice the
 * same problem (both directions of a job, each metric of a series), and a
 * reader should see it once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "cvmio.h"

static bool seen_before(struct diag *d, const char *line)
{
	for (size_t i = 0; i < d->nseen; i++)
		if (!strcmp(d->seen[i], line))
			return true;
	char **grown = cvmio_grow(d->seen, d->nseen, &d->seencap, sizeof(*grown));
	char *copy = strdup(line);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			d->seen = grown;
		return false;	/* out of memory: print it again rather than lose it */
	}
	d->seen = grown;
	d->seen[d->nseen++] = copy;
	return false;
}

void diag_warn(struct diag *d, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (seen_before(d, line))
		return;
	d->warnings++;
	if (d->quiet || !d->out)
		return;
	fprintf(d->out, "cvmio analyze: warning: %s\n", line);
}

void diag_tally(struct diag_tally *t, const char *path)
{
	if (!t->n++)
		snprintf(t->first, sizeof(t->first), "%s", path);
}

void diag_say_tallies(struct diag *d)
{
	if (d->counters_multi_workload.n)
		diag_warn(d, "counter metrics left out for %zu run(s) of job files with several workloads run one "
			  "after another under one interval of counters (first: %s); one workload per job file "
			  "gives them", d->counters_multi_workload.n, d->counters_multi_workload.first);
	if (d->counters_ramped.n)
		diag_warn(d, "counter metrics left out for %zu run(s) with ramp_time: the counters include the "
			  "ramp's I/O, fio's count does not (first: %s); run with ramp = 0",
			  d->counters_ramped.n, d->counters_ramped.first);
	d->counters_multi_workload.n = d->counters_ramped.n = 0;
}

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->nseen; i++)
		free(d->seen[i]);
	free(d->seen);
	d->seen = NULL;
	d->nseen = d->seencap = 0;
}
