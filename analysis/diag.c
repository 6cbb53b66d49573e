// SPDX-License-Identifier: GPL-2.0-only
/*
 * Warnings of cvmio analyze: one line each on stderr, counted for --strict.
 * A line already given is not repeated: several code paths may notice the
 * same problem (both directions of a job, each metric of a series), and a
 * reader should see it once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
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

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->nseen; i++)
		free(d->seen[i]);
	free(d->seen);
	d->seen = NULL;
	d->nseen = d->seencap = 0;
}
