/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio analyze --report (report.c).
 */
#ifndef CVMIO_ANALYSIS_REPORT_H
#define CVMIO_ANALYSIS_REPORT_H

#include "diag.h"
#include "rows.h"

/* ---- report.c ---- */

/*
 * cvmio analyze --report OUTDIR: every format, the figures and one
 * self-contained OUTDIR/index.html.  The page is a list of sections; a
 * table of another part (a heatmap, the suite table) joins it with one
 * report_add_section() call before report_write().
 */
typedef void (*report_section_fn)(FILE *html, const void *ctx);
struct report_section {
	char id[64];		/* the HTML id (an anchor in the contents) */
	char title[160];
	report_section_fn write;	/* writes the section's body (HTML) */
	const void *ctx;
};
struct report {
	struct report_section *s;
	size_t n, cap;
};
void report_init(struct report *rep);
void report_free(struct report *rep);
int report_add_section(struct report *rep, const char *id, const char *title, report_section_fn write,
		       const void *ctx);
/*
 * outdir/name as write(out, ctx) writes it (a cvmio exit code), through
 * cvmio_write_atomic(): an old file is never left half-replaced.
 */
typedef int (*report_file_fn)(FILE *out, const void *ctx);
int report_write_file(const char *outdir, const char *name, report_file_fn write, const void *ctx);
/* Everything into outdir; a cvmio exit code (errors already printed). */
int report_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
		 const size_t *compares, size_t ncompares, const struct rowset *rs, const struct diag *d,
		 struct report *rep);

#endif
