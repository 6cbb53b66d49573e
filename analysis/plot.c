// SPDX-License-Identifier: GPL-2.0-only
#include "analysis.h"
#include "cvmio.h"
int plot_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
	       const size_t *compares, size_t ncompares, const struct rowset *rs)
{
	(void)outdir; (void)gnuplot; (void)st; (void)baseline; (void)compares; (void)ncompares; (void)rs;
	return cvmio_error(CVMIO_EXIT_ENV, "analyze", "plots not yet");
}
