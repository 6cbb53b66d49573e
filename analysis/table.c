// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rows as text (aligned), Markdown, CSV (a contract scripts rely on, see
 * cvmio-analyze(1)), LaTeX (booktabs) or JSON.  Values that do not exist
 * (an interval with fewer than 3 repetitions) are left blank, never 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

int parse_format(const char *s, enum out_format *f)
{
	static const char *const names[] = { "text", "md", "csv", "latex", "json", "html" };
	for (int i = 0; i < 6; i++)
		if (!strcmp(s, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	return -1;
}

void fmt_num(char *out, size_t len, double v, int digits)
{
	if (isfinite(v))
		snprintf(out, len, "%.*g", digits, v);
	else
		out[0] = '\0';
}

/* For people: no exponents; six significant digits, whole numbers from 100000 up. */
void fmt_human(char *out, size_t len, double v)
{
	if (!isfinite(v))
		out[0] = '\0';
	else if (fabs(v) >= 1e5)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.6g", v);
}

/* ---- CSV ---- */

void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void csv_row_numbers(FILE *out, const struct row *r)
{
	const double v[] = { r->baseline, r->compare, r->ratio, r->ci_low, r->ci_high };
	char num[32];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fmt_num(num, sizeof(num), v[i], ROUND_TRIP_DIGITS);
		fprintf(out, "%s%s", i ? "," : "", num);
	}
	fmt_num(num, sizeof(num), r->p_value, ROUND_TRIP_DIGITS);
	fprintf(out, ",%zu,%zu,%s", r->n_baseline, r->n_compare, num);
}

static void write_csv(FILE *out, const struct store *st, size_t baseline, const struct rowset *rs)
{
	fputs("backend,rw,bs,iodepth,numjobs,rwmixread,direction,metric,baseline,compare,ratio,"
	      "ci_low,ci_high,n_baseline,n_compare,p_value,ioengine,baseline_condition,"
	      "compare_condition,verified,pairs,accel\n", out);
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		char mix[16] = "";
		if (r->sig.rwmixread >= 0)
			snprintf(mix, sizeof(mix), "%d", r->sig.rwmixread);
		csv_field(out, r->backend);
		fputc(',', out);
		csv_field(out, r->sig.rw);
		fprintf(out, ",%llu,%u,%u,%s,%s,%s,",
			(unsigned long long)signature_bs(&r->sig, r->dir), r->sig.iodepth, r->sig.numjobs, mix,
			direction_name(r->dir), metric_name(r->metric));
		csv_row_numbers(out, r);
		fputc(',', out);
		csv_field(out, r->sig.ioengine);
		fputc(',', out);
		csv_field(out, st->conds[baseline]);
		fputc(',', out);
		csv_field(out, st->conds[r->compare_cond]);
		fprintf(out, ",%s,", r->verified ? "yes" : "no");
		if (r->pairs)
			fprintf(out, "%zu", r->pairs);
		fprintf(out, ",%s\n", accel_word(r->accel));
	}
}

/* ---- JSON ---- */

struct json_object *num_or_null(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static void write_json(FILE *out, const struct store *st, size_t baseline, const struct rowset *rs)
{
	struct json_object *root = json_object_new_object();
	struct json_object *rows = json_object_new_array();
	json_object_object_add(root, "cvmio_analyze", json_object_new_int(1));
	json_object_object_add(root, "baseline", json_object_new_string(st->conds[baseline]));
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "compare_condition", json_object_new_string(st->conds[r->compare_cond]));
		json_object_object_add(o, "backend", json_object_new_string(r->backend));
		json_object_object_add(o, "rw", json_object_new_string(r->sig.rw));
		json_object_object_add(o, "bs", json_object_new_int64((int64_t)signature_bs(&r->sig, r->dir)));
		json_object_object_add(o, "iodepth", json_object_new_int64(r->sig.iodepth));
		json_object_object_add(o, "numjobs", json_object_new_int64(r->sig.numjobs));
		json_object_object_add(o, "rwmixread", r->sig.rwmixread >= 0 ? json_object_new_int(r->sig.rwmixread) : NULL);
		json_object_object_add(o, "ioengine", r->sig.ioengine[0] ? json_object_new_string(r->sig.ioengine) : NULL);
		json_object_object_add(o, "direction", json_object_new_string(direction_name(r->dir)));
		json_object_object_add(o, "metric", json_object_new_string(metric_name(r->metric)));
		json_object_object_add(o, "baseline", num_or_null(r->baseline));
		json_object_object_add(o, "compare", num_or_null(r->compare));
		json_object_object_add(o, "ratio", num_or_null(r->ratio));
		json_object_object_add(o, "ci_low", num_or_null(r->ci_low));
		json_object_object_add(o, "ci_high", num_or_null(r->ci_high));
		json_object_object_add(o, "p_value", num_or_null(r->p_value));
		json_object_object_add(o, "n_baseline", json_object_new_int64((int64_t)r->n_baseline));
		json_object_object_add(o, "n_compare", json_object_new_int64((int64_t)r->n_compare));
		json_object_object_add(o, "pairs", r->pairs ? json_object_new_int64((int64_t)r->pairs) : NULL);
		json_object_object_add(o, "verified", json_object_new_boolean(r->verified));
		json_object_object_add(o, "accel", json_object_new_string(accel_word(r->accel)));
		json_object_array_add(rows, o);
	}
	json_object_object_add(root, "rows", rows);
	struct json_object *prov = json_object_new_object();
	for (size_t c = 0; c < st->nconds; c++) {
		char line[2048];
		provenance_line(&st->prov[c], line, sizeof(line));
		json_object_object_add(prov, st->conds[c], json_object_new_string(line));
	}
	json_object_object_add(root, "provenance", prov);
	json_object_object_add(root, "tcg_banner", rows_under_tcg(rs) ? json_object_new_string(tcg_banner) : NULL);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

/* ---- text, Markdown, LaTeX: the same cells, three layouts ---- */

#define NCOLS TABLE_NCOLS
#define headers table_headers
const char *const table_headers[TABLE_NCOLS] = { "backend", "workload", "dir", "metric", "baseline",
						 "compare", "ratio", "95% CI", "p", "n" };

void row_cells(const struct row *r, struct cells *cl, bool *any_unverified)
{
	char label[160];
	signature_label(&r->sig, r->dir, label, sizeof(label));
	snprintf(cl->c[0], sizeof(cl->c[0]), "%s%s", r->backend, r->verified ? "" : "*");
	if (!r->verified)
		*any_unverified = true;
	snprintf(cl->c[1], sizeof(cl->c[1]), "%s", label);
	snprintf(cl->c[2], sizeof(cl->c[2]), "%s", direction_name(r->dir));
	snprintf(cl->c[3], sizeof(cl->c[3]), "%s", metric_name(r->metric));
	fmt_human(cl->c[4], sizeof(cl->c[4]), r->baseline);
	fmt_human(cl->c[5], sizeof(cl->c[5]), r->compare);
	if (isfinite(r->ratio))
		snprintf(cl->c[6], sizeof(cl->c[6]), "%.3f", r->ratio);
	else
		cl->c[6][0] = '\0';
	if (isfinite(r->ci_low))
		snprintf(cl->c[7], sizeof(cl->c[7]), "[%.3f, %.3f]", r->ci_low, r->ci_high);
	else
		cl->c[7][0] = '\0';
	if (isfinite(r->p_value))
		snprintf(cl->c[8], sizeof(cl->c[8]), "%.3g", r->p_value);
	else
		cl->c[8][0] = '\0';
	if (r->pairs)
		snprintf(cl->c[9], sizeof(cl->c[9]), "%zu pairs", r->pairs);
	else
		snprintf(cl->c[9], sizeof(cl->c[9]), "%zu/%zu", r->n_baseline, r->n_compare);
}

/*
 * LaTeX's ten special characters: seven take a backslash, three have no
 * escape of their own and are written as the text commands that print them.
 */
void latex_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\textbackslash{}", out);
		else if (*s == '~')
			fputs("\\textasciitilde{}", out);
		else if (*s == '^')
			fputs("\\textasciicircum{}", out);
		else if (strchr("&%$#_{}", *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

/* Markdown: a backslash before what would end a table cell or start emphasis, and before itself. */
void md_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*_", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

/* A paragraph outside the table: a LaTeX comment would hide a warning, so LaTeX gets text. */
static void write_note(FILE *out, enum out_format f, const char *label, const char *text)
{
	if (f == FMT_LATEX) {
		fputs(label ? "\\noindent\\textbf{" : "% ", out);
		if (label) {
			latex_escaped(out, label);
			fputs(":} ", out);
		}
		latex_escaped(out, text);
		fputs(label ? "\n\n" : "\n", out);
	} else if (f == FMT_MD) {
		fputs(label ? "\n> **" : "\n", out);
		if (label)
			fprintf(out, "%s:** ", label);
		md_escaped(out, text);
		fputs("\n\n", out);
	} else {
		fprintf(out, "%s%s%s\n\n", label ? label : "", label ? ": " : "", text);
	}
}

/* Every condition of the table: how its results were measured (provenance.c). */
static void write_provenance(FILE *out, enum out_format f, const struct store *st, const struct rowset *rs)
{
	(void)rs;
	fputs(f == FMT_LATEX ? "% provenance\n" : f == FMT_MD ? "\n**Provenance**\n\n" : "\nprovenance:\n", out);
	for (size_t c = 0; c < st->nconds; c++) {
		char line[2048];
		provenance_line(&st->prov[c], line, sizeof(line));
		if (f == FMT_LATEX) {
			fputs("% ", out);
			latex_escaped(out, st->conds[c]);
			fputs(": ", out);
			latex_escaped(out, line);
			fputc('\n', out);
		} else if (f == FMT_MD) {
			fputs("- ", out);
			md_escaped(out, st->conds[c]);
			fputs(": ", out);
			md_escaped(out, line);
			fputc('\n', out);
		} else {
			fprintf(out, "  %s: %s\n", st->conds[c], line);
		}
	}
}

static void write_layout(FILE *out, enum out_format f, const struct store *st, size_t baseline,
			 const struct rowset *rs)
{
	struct cells *cells = calloc(rs->n ? rs->n : 1, sizeof(*cells));
	if (!cells)
		return;
	bool unverified = false;
	size_t w[NCOLS];
	for (int j = 0; j < NCOLS; j++)
		w[j] = strlen(headers[j]);
	for (size_t i = 0; i < rs->n; i++) {
		row_cells(&rs->r[i], &cells[i], &unverified);
		for (int j = 0; j < NCOLS; j++)
			if (strlen(cells[i].c[j]) > w[j])
				w[j] = strlen(cells[i].c[j]);
	}
	if (rows_under_tcg(rs))
		write_note(out, f, "WARNING", tcg_banner);
	size_t prev_cond = (size_t)-1;
	for (size_t i = 0; i <= rs->n; i++) {
		bool new_block = i < rs->n && rs->r[i].compare_cond != prev_cond;
		bool close_block = prev_cond != (size_t)-1 && (i == rs->n || new_block);
		if (close_block && f == FMT_LATEX)
			fputs("\\bottomrule\n\\end{tabular}\n", out);
		if (i == rs->n)
			break;
		if (new_block) {
			prev_cond = rs->r[i].compare_cond;
			const char *c = st->conds[prev_cond], *b = st->conds[baseline];
			if (f == FMT_TEXT) {
				fprintf(out, "%s%s vs %s (ratio = %s / %s, medians over repetitions)\n",
					i ? "\n" : "", c, b, c, b);
				for (int j = 0; j < NCOLS; j++)
					fprintf(out, "%s%*s", j ? "  " : "", j >= 4 ? (int)w[j] : -(int)w[j], headers[j]);
				fputc('\n', out);
			} else if (f == FMT_MD) {
				fprintf(out, "%s### %s vs %s\n\n|", i ? "\n" : "", c, b);
				for (int j = 0; j < NCOLS; j++)
					fprintf(out, " %s |", headers[j]);
				fputs("\n|", out);
				for (int j = 0; j < NCOLS; j++)
					fputs(j >= 4 ? " ---: |" : " --- |", out);
				fputc('\n', out);
			} else {
				fputs("% ", out);
				latex_escaped(out, c);
				fputs(" vs ", out);
				latex_escaped(out, b);
				fputs("\n\\begin{tabular}{llll rrrrrr}\n\\toprule\n", out);
				for (int j = 0; j < NCOLS; j++) {
					fputs(j ? " & " : "", out);
					latex_escaped(out, headers[j]);
				}
				fputs(" \\\\\n\\midrule\n", out);
			}
		}
		const struct cells *cl = &cells[i];
		for (int j = 0; j < NCOLS; j++) {
			if (f == FMT_TEXT) {
				/* numbers right-aligned, words left-aligned */
				int width = (int)w[j];
				fprintf(out, "%s%*s", j ? "  " : "", j >= 4 ? width : -width, cl->c[j]);
			} else if (f == FMT_MD) {
				fputs(j ? " " : "| ", out);
				md_escaped(out, cl->c[j]);
				fputs(" |", out);
			} else {
				fputs(j ? " & " : "", out);
				latex_escaped(out, cl->c[j]);
			}
		}
		fputs(f == FMT_LATEX ? " \\\\\n" : "\n", out);
	}
	if (unverified)
		write_note(out, f, NULL, "* unverified: no manifest.json, or its guest was not verified "
					 "(analyzed with --allow-unverified)");
	write_provenance(out, f, st, rs);
	free(cells);
}

int table_write(FILE *out, enum out_format f, const struct store *st, size_t baseline,
		const struct rowset *rs)
{
	switch (f) {
	case FMT_CSV: write_csv(out, st, baseline, rs); break;
	case FMT_JSON: write_json(out, st, baseline, rs); break;
	case FMT_HTML: write_html_tables(out, st, baseline, rs); break;
	default: write_layout(out, f, st, baseline, rs); break;
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}
