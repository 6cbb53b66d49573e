// SPDX-License-Identifier: GPL-2.0-only
/* Warnings of cvmio analyze: one line each on stderr, counted for --strict. */
#include <stdarg.h>

#include "analysis.h"

void diag_warn(struct diag *d, const char *fmt, ...)
{
	d->warnings++;
	if (d->quiet || !d->out)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("cvmio analyze: warning: ", d->out);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	va_end(ap);
}
