// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rows as HTML: the same cells as the text table (row_cells), one
 * <table> per compared condition, the TCG banner before them and each
 * condition's provenance after them.  A fragment: cvmio analyze --format
 * html prints it for embedding, the report (report.c) wraps it in a page.
 */
#include <stdlib.h>

#include "tables.h"
#include "cvmio.h"

void html_escaped(FILE *out, const char *s)
{
	cvmio_markup_escaped(out, s);
}

static void open_table(FILE *out, const char *cond, const char *base)
{
	fputs("<h3>", out);
	html_escaped(out, cond);
	fputs(" vs ", out);
	html_escaped(out, base);
	fputs("</h3>\n<table class=\"ratios\">\n<thead><tr>", out);
	for (int j = 0; j < TABLE_NCOLS; j++) {
		fprintf(out, "<th%s>", j >= 4 ? " class=\"num\"" : "");
		html_escaped(out, table_headers[j]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
}

void write_html_tables(FILE *out, const struct store *st, size_t baseline, const struct rowset *rs)
{
	if (rows_under_tcg(rs)) {
		fputs("<p class=\"banner\"><strong>WARNING:</strong> ", out);
		html_escaped(out, tcg_banner);
		fputs("</p>\n", out);
	}
	bool unverified = false;
	size_t prev = (size_t)-1;
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->compare_cond != prev) {
			if (prev != (size_t)-1)
				fputs("</tbody>\n</table>\n", out);
			prev = r->compare_cond;
			open_table(out, st->conds[prev], st->conds[baseline]);
		}
		struct cells cl;
		row_cells(r, &cl, &unverified);
		fputs("<tr>", out);
		for (int j = 0; j < TABLE_NCOLS; j++) {
			fprintf(out, "<td%s>", j >= 4 ? " class=\"num\"" : "");
			html_escaped(out, cl.c[j]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	if (prev != (size_t)-1)
		fputs("</tbody>\n</table>\n", out);
	if (unverified)
		fputs("<p class=\"note\">* unverified: no manifest.json, or its guest was not verified "
		      "(analyzed with --allow-unverified)</p>\n", out);
	fputs("<h3>Provenance</h3>\n<ul class=\"provenance\">\n", out);
	for (size_t c = 0; c < st->nconds; c++) {
		char line[2048];
		provenance_line(&st->prov[c], line, sizeof(line));
		fputs("<li><strong>", out);
		html_escaped(out, st->conds[c]);
		fputs("</strong>: ", out);
		html_escaped(out, line);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}
