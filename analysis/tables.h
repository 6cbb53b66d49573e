/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tables in every format: the ratios, the backends and penalty tables and
 * the suite table (table.c, table_html.c, table_backends.c, suite.c).
 */
#ifndef CVMIO_ANALYSIS_TABLES_H
#define CVMIO_ANALYSIS_TABLES_H

#include "rows.h"

/* ---- table.c ---- */

enum out_format { FMT_TEXT, FMT_MD, FMT_CSV, FMT_LATEX, FMT_JSON, FMT_HTML };
int parse_format(const char *s, enum out_format *f);
/* Cell formatting shared by the tables: %.<digits>g or "" for NaN; for people
 * (no exponents); one CSV field, quoted when needed. */
#define ROUND_TRIP_DIGITS 17	/* DBL_DECIMAL_DIG: printed and read back, the same double */
void fmt_num(char *out, size_t len, double v, int digits);
void fmt_human(char *out, size_t len, double v);
void csv_field(FILE *out, const char *s);
/*
 * A row's numbers as the CSV tables print them, in their common column order
 * (baseline,compare,ratio,ci_low,ci_high,n_baseline,n_compare,p_value; no
 * trailing comma): a machine format, so every number round-trips.
 */
void csv_row_numbers(FILE *out, const struct row *r);
int table_write(FILE *out, enum out_format f, const struct store *st, size_t baseline,
		const struct rowset *rs);
/* Cells shared by the other tables (table_backends.c): "" for a value that does not exist. */
struct json_object *num_or_null(double v);
void latex_escaped(FILE *out, const char *s);
void md_escaped(FILE *out, const char *s);

/* The cells people read (text, md, latex, html): one row, formatted for people. */
#define TABLE_NCOLS 10
extern const char *const table_headers[TABLE_NCOLS];
struct cells {
	char c[TABLE_NCOLS][160];
};
void row_cells(const struct row *r, struct cells *cl, bool *any_unverified);

/* ---- table_html.c ---- */

/* s with &, <, >, " and ' escaped for HTML text and attribute values. */
void html_escaped(FILE *out, const char *s);
/* The tables as an HTML fragment: TCG banner, one <table> per compare condition, provenance. */
void write_html_tables(FILE *out, const struct store *st, size_t baseline, const struct rowset *rs);

/* ---- table_backends.c ---- */

/* The --table backends rows (from backends_build) in format f. */
int backends_table_write(FILE *out, enum out_format f, const struct store *st, const char *reference,
			 const struct rowset *rs);
/* The --table penalty rows, and in text, md and html a ranking per workload from the compare rows rs. */
int penalty_table_write(FILE *out, enum out_format f, const struct store *st, const struct penalty_set *ps,
			const struct rowset *rs);
/* What the report's backends and penalty sections show (report_add_section's ctx). */
struct backends_report {
	const struct store *st;
	const char *reference;
	const struct rowset *backends;	/* backends_build's rows */
	const struct penalty_set *penalty;
	const struct rowset *ratios;	/* compare_build's rows, for the ranking */
};
void backends_section_html(FILE *html, const void *ctx);
void penalty_section_html(FILE *html, const void *ctx);
/* backends.{txt,md,csv,tex,json} and penalty.* in outdir, for the tables br has rows of. */
int backends_report_files(const char *outdir, const struct backends_report *br);

/* ---- suite.c: cvmio analyze --table suite ---- */

struct suite_table_opts {
	const char *dir, *baseline;
	const char *const *compares;
	size_t ncompares;
	enum out_format format;
	const char *plot_dir;
	bool allow_unverified, quiet, unpaired;
};

/* The suite table of DIR/<condition>/<backend>/suite/<benchmark>/rep-N.json.  A cvmio exit code. */
int suite_table(const struct suite_table_opts *o);
/*
 * The suite part of a report: the suite results of o->dir read for o's
 * conditions, *out NULL when DIR has no <backend>/suite/ folder at all.
 * suite_results_write() puts suite.txt, .md, .csv (one backend only),
 * .tex, .json, .html and the figure into outdir; suite_section_html() is
 * the report section (a report_section_fn, ctx the results).
 */
struct suite_results;
int suite_results_read(const struct suite_table_opts *o, struct suite_results **out);
bool suite_results_have_csv(const struct suite_results *sr);
int suite_results_write(const struct suite_results *sr, const char *outdir);
void suite_section_html(FILE *html, const void *ctx);
void suite_results_free(struct suite_results *sr);

#endif
