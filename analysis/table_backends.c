// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backends and penalty tables as text, Markdown, CSV (contracts
 * scripts rely on, see cvmio-analyze(1)), LaTeX, JSON or HTML (a fragment,
 * for --format html and the report), and the ranking
 * that answers "which backend in the CVM" at a glance.  Values that do not
 * exist (an interval below 3 repetitions) are blank, never 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "tables.h"
#include "cvmio.h"

#define MAX_COLS 10
#define CELL 160

/* One block of a table: the same cells laid out as text, Markdown or LaTeX. */
struct grid {
	const char *const *headers;
	int ncols, nwords;	/* the first nwords columns are words (left-aligned), the rest numbers */
	char (*cells)[MAX_COLS][CELL];
	size_t n;
};

static void grid_text(FILE *out, const char *title, const struct grid *g)
{
	size_t w[MAX_COLS];
	for (int j = 0; j < g->ncols; j++) {
		w[j] = strlen(g->headers[j]);
		for (size_t i = 0; i < g->n; i++)
			w[j] = strlen(g->cells[i][j]) > w[j] ? strlen(g->cells[i][j]) : w[j];
	}
	fprintf(out, "%s\n", title);
	for (size_t i = 0; i <= g->n; i++) {
		for (int j = 0; j < g->ncols; j++) {
			int width = j < g->nwords ? -(int)w[j] : (int)w[j];
			fprintf(out, "%s%*s", j ? "  " : "", width, i ? g->cells[i - 1][j] : g->headers[j]);
		}
		fputc('\n', out);
	}
}

static void grid_md(FILE *out, const char *title, const struct grid *g)
{
	fputs("### ", out);
	md_escaped(out, title);
	fputs("\n\n|", out);
	for (int j = 0; j < g->ncols; j++)
		fprintf(out, " %s |", g->headers[j]);
	fputs("\n|", out);
	for (int j = 0; j < g->ncols; j++)
		fputs(j < g->nwords ? " --- |" : " ---: |", out);
	fputc('\n', out);
	for (size_t i = 0; i < g->n; i++) {
		fputc('|', out);
		for (int j = 0; j < g->ncols; j++) {
			fputc(' ', out);
			md_escaped(out, g->cells[i][j]);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

static void grid_latex(FILE *out, const char *title, const struct grid *g)
{
	fputs("% ", out);
	latex_escaped(out, title);
	fputs("\n\\begin{tabular}{", out);
	for (int j = 0; j < g->ncols; j++)
		fputc(j < g->nwords ? 'l' : 'r', out);
	fputs("}\n\\toprule\n", out);
	for (size_t i = 0; i <= g->n; i++) {
		for (int j = 0; j < g->ncols; j++) {
			fputs(j ? " & " : "", out);
			latex_escaped(out, i ? g->cells[i - 1][j] : g->headers[j]);
		}
		fputs(i ? " \\\\\n" : " \\\\\n\\midrule\n", out);
	}
	fputs("\\bottomrule\n\\end{tabular}\n", out);
}

/* The report's table style (table_html.c): class "ratios", numbers right-aligned. */
static void grid_html(FILE *out, const char *title, const struct grid *g)
{
	fputs("<h3>", out);
	html_escaped(out, title);
	fputs("</h3>\n<table class=\"ratios\">\n<thead><tr>", out);
	for (int j = 0; j < g->ncols; j++) {
		fprintf(out, "<th%s>", j < g->nwords ? "" : " class=\"num\"");
		html_escaped(out, g->headers[j]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < g->n; i++) {
		fputs("<tr>", out);
		for (int j = 0; j < g->ncols; j++) {
			fprintf(out, "<td%s>", j < g->nwords ? "" : " class=\"num\"");
			html_escaped(out, g->cells[i][j]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void grid_write(FILE *out, enum out_format f, const char *title, const struct grid *g, bool first)
{
	if (!first && f != FMT_HTML)
		fputc('\n', out);
	if (f == FMT_TEXT)
		grid_text(out, title, g);
	else if (f == FMT_MD)
		grid_md(out, title, g);
	else if (f == FMT_HTML)
		grid_html(out, title, g);
	else
		grid_latex(out, title, g);
}

/* Text in the format's escaping (md, html; text and latex rankings are not escaped here). */
static void put_escaped(FILE *out, enum out_format f, const char *s)
{
	if (f == FMT_MD)
		md_escaped(out, s);
	else if (f == FMT_HTML)
		html_escaped(out, s);
	else
		fputs(s, out);
}

static void unverified_note(FILE *out, enum out_format f)
{
	const char *note = "* unverified: no manifest.json, or its guest was not verified "
			   "(analyzed with --allow-unverified)";
	if (f == FMT_HTML) {
		fputs("<p class=\"note\">", out);
		html_escaped(out, note);
		fputs("</p>\n", out);
		return;
	}
	fputs(f == FMT_LATEX ? "% " : "\n", out);
	if (f == FMT_LATEX)
		latex_escaped(out, note);
	else if (f == FMT_MD)
		md_escaped(out, note);
	else
		fputs(note, out);
	fputc('\n', out);
}

/* The cells every row starts with: backend (starred when unverified), workload, direction, metric. */
static void identity_cells(char (*c)[CELL], const char *backend, bool verified, const struct signature *sig,
			   enum direction dir, enum metric m)
{
	snprintf(c[0], CELL, "%s%s", backend, verified ? "" : "*");
	signature_label(sig, dir, c[1], CELL);
	snprintf(c[2], CELL, "%s", direction_name(dir));
	snprintf(c[3], CELL, "%s", metric_name(m));
}

static void ratio_cell(char *c, double v)
{
	if (isfinite(v))
		snprintf(c, CELL, "%.3f", v);
	else
		c[0] = '\0';
}

static void ci_cell(char *c, double lo, double hi)
{
	if (isfinite(lo))
		snprintf(c, CELL, "[%.3f, %.3f]", lo, hi);
	else
		c[0] = '\0';
}

/* rw,bs,iodepth,numjobs,rwmixread,direction,metric, */
static void csv_workload(FILE *out, const struct signature *sig, enum direction dir, enum metric m)
{
	char mix[16] = "";
	if (sig->rwmixread >= 0)
		snprintf(mix, sizeof(mix), "%d", sig->rwmixread);
	csv_field(out, sig->rw);
	fprintf(out, ",%llu,%u,%u,%s,%s,%s,", (unsigned long long)signature_bs(sig, dir), sig->iodepth, sig->numjobs, mix,
		direction_name(dir), metric_name(m));
}

static void json_workload(struct json_object *o, const char *backend, const struct signature *sig,
			  enum direction dir, enum metric m)
{
	json_object_object_add(o, "backend", json_object_new_string(backend));
	json_object_object_add(o, "rw", json_object_new_string(sig->rw));
	json_object_object_add(o, "bs", json_object_new_int64((int64_t)signature_bs(sig, dir)));
	json_object_object_add(o, "iodepth", json_object_new_int64(sig->iodepth));
	json_object_object_add(o, "numjobs", json_object_new_int64(sig->numjobs));
	json_object_object_add(o, "rwmixread", sig->rwmixread >= 0 ? json_object_new_int(sig->rwmixread) : NULL);
	json_object_object_add(o, "ioengine", sig->ioengine[0] ? json_object_new_string(sig->ioengine) : NULL);
	json_object_object_add(o, "direction", json_object_new_string(direction_name(dir)));
	json_object_object_add(o, "metric", json_object_new_string(metric_name(m)));
}

static void json_print(FILE *out, struct json_object *root)
{
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

/* ---- backends ---- */

static void backends_csv(FILE *out, const struct store *st, const char *reference, const struct rowset *rs)
{
	fputs("condition,backend,reference_backend,rw,bs,iodepth,numjobs,rwmixread,direction,metric,"
	      "reference,value,ratio,ci_low,ci_high,n_reference,n_value,p_value\n", out);
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		csv_field(out, st->conds[r->compare_cond]);
		fputc(',', out);
		csv_field(out, r->backend);
		fputc(',', out);
		csv_field(out, reference);
		fputc(',', out);
		csv_workload(out, &r->sig, r->dir, r->metric);
		/* reference,value,...: the row's baseline is the reference backend */
		csv_row_numbers(out, r);
		fputc('\n', out);
	}
}

static void backends_json(FILE *out, const struct store *st, const char *reference, const struct rowset *rs)
{
	struct json_object *root = json_object_new_object(), *rows = json_object_new_array();
	json_object_object_add(root, "cvmio_analyze", json_object_new_int(1));
	json_object_object_add(root, "table", json_object_new_string("backends"));
	json_object_object_add(root, "reference_backend", json_object_new_string(reference));
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "condition", json_object_new_string(st->conds[r->compare_cond]));
		json_workload(o, r->backend, &r->sig, r->dir, r->metric);
		json_object_object_add(o, "reference", num_or_null(r->baseline));
		json_object_object_add(o, "value", num_or_null(r->compare));
		json_object_object_add(o, "ratio", num_or_null(r->ratio));
		json_object_object_add(o, "ci_low", num_or_null(r->ci_low));
		json_object_object_add(o, "ci_high", num_or_null(r->ci_high));
		json_object_object_add(o, "n_reference", json_object_new_int64((int64_t)r->n_baseline));
		json_object_object_add(o, "n_value", json_object_new_int64((int64_t)r->n_compare));
		json_object_object_add(o, "p_value", num_or_null(r->p_value));
		json_object_object_add(o, "verified", json_object_new_boolean(r->verified));
		json_object_array_add(rows, o);
	}
	json_object_object_add(root, "rows", rows);
	json_print(out, root);
}

static const char *const backends_headers[] = { "backend", "workload", "dir", "metric", "reference",
						"value", "ratio", "95% CI", "p", "n" };

static int backends_layout(FILE *out, enum out_format f, const struct store *st, const char *reference,
			   const struct rowset *rs)
{
	struct grid g = { .headers = backends_headers, .ncols = 10, .nwords = 4 };
	g.cells = calloc(rs->n ? rs->n : 1, sizeof(*g.cells));
	if (!g.cells)
		return -1;
	bool unverified = false, first = true;
	for (size_t i = 0; i < rs->n;) {
		size_t cond = rs->r[i].compare_cond;
		g.n = 0;
		for (; i < rs->n && rs->r[i].compare_cond == cond; i++) {
			const struct row *r = &rs->r[i];
			char (*c)[CELL] = g.cells[g.n++];
			identity_cells(c, r->backend, r->verified, &r->sig, r->dir, r->metric);
			unverified |= !r->verified;
			fmt_human(c[4], CELL, r->baseline);
			fmt_human(c[5], CELL, r->compare);
			ratio_cell(c[6], r->ratio);
			ci_cell(c[7], r->ci_low, r->ci_high);
			fmt_num(c[8], CELL, r->p_value, 3);
			snprintf(c[9], CELL, "%zu/%zu", r->n_baseline, r->n_compare);
		}
		char title[512];
		snprintf(title, sizeof(title), "%s: backends vs %s (ratio = backend / %s, medians over repetitions)",
			 st->conds[cond], reference, reference);
		grid_write(out, f, title, &g, first);
		first = false;
	}
	if (unverified)
		unverified_note(out, f);
	free(g.cells);
	return 0;
}

int backends_table_write(FILE *out, enum out_format f, const struct store *st, const char *reference,
			 const struct rowset *rs)
{
	int rc = 0;
	if (f == FMT_CSV)
		backends_csv(out, st, reference, rs);
	else if (f == FMT_JSON)
		backends_json(out, st, reference, rs);
	else
		rc = backends_layout(out, f, st, reference, rs);
	fflush(out);
	return rc || ferror(out) ? -1 : 0;
}

/* ---- penalty ---- */

static void penalty_csv(FILE *out, const struct penalty_set *ps)
{
	fputs("backend,reference_backend,rw,bs,iodepth,numjobs,rwmixread,direction,metric,penalty,"
	      "reference_penalty,ratio_of_penalties,ci_low,ci_high,n\n", out);
	for (size_t i = 0; i < ps->n; i++) {
		const struct penalty_row *p = &ps->r[i];
		char pen[32], ref[32], ra[32], lo[32], hi[32];
		fmt_num(pen, sizeof(pen), p->penalty, ROUND_TRIP_DIGITS);
		fmt_num(ref, sizeof(ref), p->reference_penalty, ROUND_TRIP_DIGITS);
		fmt_num(ra, sizeof(ra), p->ratio, ROUND_TRIP_DIGITS);
		fmt_num(lo, sizeof(lo), p->ci_low, ROUND_TRIP_DIGITS);
		fmt_num(hi, sizeof(hi), p->ci_high, ROUND_TRIP_DIGITS);
		csv_field(out, p->backend);
		fputc(',', out);
		csv_field(out, ps->reference);
		fputc(',', out);
		csv_workload(out, &p->sig, p->dir, p->metric);
		fprintf(out, "%s,%s,%s,%s,%s,%zu\n", pen, ref, ra, lo, hi, p->n);
	}
}

static void penalty_json(FILE *out, const struct store *st, const struct penalty_set *ps)
{
	struct json_object *root = json_object_new_object(), *rows = json_object_new_array();
	json_object_object_add(root, "cvmio_analyze", json_object_new_int(1));
	json_object_object_add(root, "table", json_object_new_string("penalty"));
	json_object_object_add(root, "baseline", json_object_new_string(st->conds[ps->baseline]));
	json_object_object_add(root, "compare", json_object_new_string(st->conds[ps->compare]));
	json_object_object_add(root, "reference_backend", json_object_new_string(ps->reference));
	for (size_t i = 0; i < ps->n; i++) {
		const struct penalty_row *p = &ps->r[i];
		struct json_object *o = json_object_new_object();
		json_workload(o, p->backend, &p->sig, p->dir, p->metric);
		json_object_object_add(o, "penalty", num_or_null(p->penalty));
		json_object_object_add(o, "reference_penalty", num_or_null(p->reference_penalty));
		json_object_object_add(o, "ratio_of_penalties", num_or_null(p->ratio));
		json_object_object_add(o, "ci_low", num_or_null(p->ci_low));
		json_object_object_add(o, "ci_high", num_or_null(p->ci_high));
		json_object_object_add(o, "n", json_object_new_int64((int64_t)p->n));
		json_object_object_add(o, "paired", json_object_new_boolean(p->paired));
		json_object_object_add(o, "verified", json_object_new_boolean(p->verified));
		json_object_array_add(rows, o);
	}
	json_object_object_add(root, "rows", rows);
	json_print(out, root);
}

static const char *const penalty_headers[] = { "backend", "workload", "dir", "metric", "penalty",
					       "ref penalty", "ratio of penalties", "95% CI", "n" };

/* The metrics of the ranking: the four of the figures. */
static const enum metric ranked_metrics[] = { M_BW_KIB, M_IOPS, M_LAT_MEAN_US, M_CLAT_P99_US };

struct ranked_row {
	const struct row *r;
	bool lower_better;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct ranked_row *x = a, *y = b;
	double d = x->r->compare - y->r->compare;
	int c = (d > 0) - (d < 0);
	return x->lower_better ? c : -c;
}

/* "virtio-scsi 1520 (x0.812), virtio-blk 1490 (x0.780, reference)" for one workload and metric. */
static void rank_line(FILE *out, enum out_format f, const struct penalty_set *ps, const struct rowset *rs,
		      const struct row *w, enum metric m, struct ranked_row *buf)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->compare_cond == ps->compare && r->metric == m && r->dir == w->dir &&
		    !signature_cmp(&r->sig, &w->sig))
			buf[n++] = (struct ranked_row){ r, metric_lower_is_better(m) };
	}
	if (!n)
		return;
	qsort(buf, n, sizeof(*buf), cmp_rank);
	char label[CELL];
	signature_label(&w->sig, w->dir, label, sizeof(label));
	fputs(f == FMT_MD ? "- " : f == FMT_HTML ? "<li>" : "  ", out);
	put_escaped(out, f, label);
	fprintf(out, " %s, ", direction_name(w->dir));
	put_escaped(out, f, metric_name(m));
	fputs(": ", out);
	for (size_t i = 0; i < n; i++) {
		char v[32], pen[32];
		fmt_human(v, sizeof(v), buf[i].r->compare);
		ratio_cell(pen, buf[i].r->ratio);
		bool ref = !strcmp(buf[i].r->backend, ps->reference);
		fputs(i ? " > " : "", out);
		put_escaped(out, f, buf[i].r->backend);
		fprintf(out, " %s (penalty %s%s)", v, pen, ref ? ", reference" : "");
	}
	fputs(f == FMT_HTML ? "</li>\n" : "\n", out);
}

static void ranking(FILE *out, enum out_format f, const struct store *st, const struct penalty_set *ps,
		    const struct rowset *rs)
{
	struct ranked_row *buf = calloc(rs->n ? rs->n : 1, sizeof(*buf));
	if (!buf)
		return;
	const char *c = st->conds[ps->compare], *b = st->conds[ps->baseline];
	if (f == FMT_MD || f == FMT_HTML) {
		char head[600];
		snprintf(head, sizeof(head), "Backends by their median under %s, best first; penalty = %s / %s.", c, c, b);
		fputs(f == FMT_MD ? "\n### Ranking under " : "<h3>Ranking under ", out);
		put_escaped(out, f, c);
		fputs(f == FMT_MD ? "\n\n" : "</h3>\n<p>", out);
		put_escaped(out, f, head);
		fputs(f == FMT_MD ? "\n\n" : "</p>\n<ul class=\"ranking\">\n", out);
	} else
		fprintf(out, "\nRanking under %s (backends by their median under %s, best first; penalty = %s / %s)\n",
			c, c, c, b);
	/* each workload once: at its first row (rows are sorted by backend, then workload) */
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *w = &rs->r[i];
		if (w->compare_cond != ps->compare || w->metric != M_BW_KIB)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = rs->r[j].compare_cond == ps->compare && rs->r[j].metric == M_BW_KIB &&
			       rs->r[j].dir == w->dir && !signature_cmp(&rs->r[j].sig, &w->sig);
		if (seen)
			continue;
		for (size_t k = 0; k < sizeof(ranked_metrics) / sizeof(ranked_metrics[0]); k++)
			rank_line(out, f, ps, rs, w, ranked_metrics[k], buf);
	}
	if (f == FMT_HTML)
		fputs("</ul>\n", out);
	free(buf);
}

static int penalty_layout(FILE *out, enum out_format f, const struct store *st, const struct penalty_set *ps,
			  const struct rowset *rs)
{
	struct grid g = { .headers = penalty_headers, .ncols = 9, .nwords = 4 };
	g.cells = calloc(ps->n ? ps->n : 1, sizeof(*g.cells));
	if (!g.cells)
		return -1;
	bool unverified = false;
	for (size_t i = 0; i < ps->n; i++) {
		const struct penalty_row *p = &ps->r[i];
		char (*c)[CELL] = g.cells[g.n++];
		identity_cells(c, p->backend, p->verified, &p->sig, p->dir, p->metric);
		unverified |= !p->verified;
		ratio_cell(c[4], p->penalty);
		ratio_cell(c[5], p->reference_penalty);
		ratio_cell(c[6], p->ratio);
		ci_cell(c[7], p->ci_low, p->ci_high);
		snprintf(c[8], CELL, p->paired ? "%zu pairs" : "%zu", p->n);
	}
	const char *cn = st->conds[ps->compare], *bn = st->conds[ps->baseline];
	char title[512];
	snprintf(title, sizeof(title),
		 "%s / %s penalty per backend vs reference backend %s (ratio of penalties = penalty / %s's penalty)",
		 cn, bn, ps->reference, ps->reference);
	grid_write(out, f, title, &g, true);
	if (f != FMT_LATEX)
		ranking(out, f, st, ps, rs);
	if (unverified)
		unverified_note(out, f);
	free(g.cells);
	return 0;
}

int penalty_table_write(FILE *out, enum out_format f, const struct store *st, const struct penalty_set *ps,
			const struct rowset *rs)
{
	int rc = 0;
	if (f == FMT_CSV)
		penalty_csv(out, ps);
	else if (f == FMT_JSON)
		penalty_json(out, st, ps);
	else
		rc = penalty_layout(out, f, st, ps, rs);
	fflush(out);
	return rc || ferror(out) ? -1 : 0;
}

/* ---- report sections (report.c calls them while it writes index.html) ---- */

void backends_section_html(FILE *html, const void *ctx)
{
	const struct backends_report *br = ctx;
	fputs("<p>The same numbers: backends.csv, .json, .md, .tex and .txt in this folder.</p>\n", html);
	backends_table_write(html, FMT_HTML, br->st, br->reference, br->backends);
}

void penalty_section_html(FILE *html, const void *ctx)
{
	const struct backends_report *br = ctx;
	fputs("<p>The same numbers: penalty.csv, .json, .md, .tex and .txt in this folder.</p>\n", html);
	penalty_table_write(html, FMT_HTML, br->st, br->penalty, br->ratios);
}

/* ---- the report folder's files of these tables, as ratios.* beside them ---- */

struct table_file {
	const struct backends_report *br;
	enum out_format f;
};

static int backends_file(FILE *out, const void *ctx)
{
	const struct table_file *t = ctx;
	return backends_table_write(out, t->f, t->br->st, t->br->reference, t->br->backends)
		       ? cvmio_error(CVMIO_EXIT_ENV, "analyze", "writing the backends table failed") : 0;
}

static int penalty_file(FILE *out, const void *ctx)
{
	const struct table_file *t = ctx;
	return penalty_table_write(out, t->f, t->br->st, t->br->penalty, t->br->ratios)
		       ? cvmio_error(CVMIO_EXIT_ENV, "analyze", "writing the penalty table failed") : 0;
}

int backends_report_files(const char *outdir, const struct backends_report *br)
{
	static const struct {
		const char *ext;
		enum out_format f;
	} formats[] = { { "txt", FMT_TEXT }, { "md", FMT_MD }, { "csv", FMT_CSV }, { "tex", FMT_LATEX },
			{ "json", FMT_JSON } };
	char name[32];
	int rc = 0;

	for (size_t i = 0; !rc && i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct table_file t = { br, formats[i].f };

		if (br->backends->n) {
			snprintf(name, sizeof(name), "backends.%s", formats[i].ext);
			rc = report_write_file(outdir, name, backends_file, &t);
		}
		if (!rc && br->penalty->n) {
			snprintf(name, sizeof(name), "penalty.%s", formats[i].ext);
			rc = report_write_file(outdir, name, penalty_file, &t);
		}
	}
	return rc;
}
