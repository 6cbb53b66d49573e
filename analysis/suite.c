// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio analyze --table suite: the benchmark suite's results
 * (DIR/<condition>/<backend>/suite/<benchmark>/rep-N.json, written by cvmio
 * run) as a ratio table, one row per backend, benchmark and metric, with
 * the same statistics as the fio table (compare_values(): rep-N of two
 * conditions paired as cvmio run interleaves them, else medians, bootstrap
 * interval, Mann-Whitney p) and a normalized ratio where > 1 always means
 * the compared (CVM) side is worse, whichever way the metric is better.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "figures.h"
#include "report.h"
#include "tables.h"
#include "cvmio.h"

struct suite_series {
	size_t cond;             /* index in o->compares + 1, 0 = baseline */
	char backend[256], bench[256], metric[256], unit[64];
	bool higher;
	struct values v;
	bool all_verified;
};

struct suite_store {
	struct suite_series *s;
	size_t n, cap;
	unsigned files, failed, unverified;
	unsigned suite_dirs;     /* <backend>/suite/ folders seen: 0 = the study has no suite part */
	char **backends;         /* the backends with suite results, for the CSV check */
	size_t n_backends;
	int rc;
};

struct suite_row {
	const struct suite_series *b, *c;
	struct row r;
	double norm, norm_lo, norm_hi;
};

static const char *cond_name(const struct suite_table_opts *o, size_t cond)
{
	return cond ? o->compares[cond - 1] : o->baseline;
}

static void bad_input(struct suite_store *st, const char *path, const char *why)
{
	fprintf(stderr, "cvmio analyze: %s: %s\n", path, why);
	st->rc = CVMIO_EXIT_INPUT;
}

static struct suite_series *series_for(struct suite_store *st, size_t cond, const char *backend,
				       const char *bench, const char *metric)
{
	struct suite_series *grown;

	for (size_t i = 0; i < st->n; i++)
		if (st->s[i].cond == cond && !strcmp(st->s[i].backend, backend) &&
		    !strcmp(st->s[i].bench, bench) && !strcmp(st->s[i].metric, metric))
			return &st->s[i];
	grown = cvmio_grow(st->s, st->n, &st->cap, sizeof(*grown));
	if (!grown)
		return NULL;
	st->s = grown;
	memset(&st->s[st->n], 0, sizeof(st->s[0]));
	st->s[st->n].cond = cond;
	st->s[st->n].all_verified = true;
	snprintf(st->s[st->n].backend, sizeof(st->s[0].backend), "%s", backend);
	snprintf(st->s[st->n].bench, sizeof(st->s[0].bench), "%s", bench);
	snprintf(st->s[st->n].metric, sizeof(st->s[0].metric), "%s", metric);
	return &st->s[st->n++];
}

/* N of .../rep-N.json: the repetition identity that pairs it with rep-N of another condition. */
static size_t rep_number(const char *path)
{
	const char *base = strrchr(path, '/');
	unsigned long n;

	base = base ? base + 1 : path;
	if (sscanf(base, "rep-%lu.json", &n) != 1)
		return (size_t)-1;   /* not the runner's name: pairs with nothing but its own kind */
	return n;
}

/* One metric object of a result: name, unit, better, finite value. */
static int add_metric(struct suite_store *st, size_t cond, const char *backend, const char *bench,
		      json_object *m, bool verified, const char *path)
{
	json_object *name, *unit, *better, *value;
	struct suite_series *s;
	const char *bt;

	if (!json_object_object_get_ex(m, "name", &name) || !json_object_object_get_ex(m, "unit", &unit) ||
	    !json_object_object_get_ex(m, "better", &better) ||
	    !json_object_object_get_ex(m, "value", &value) ||
	    !(json_object_is_type(value, json_type_double) || json_object_is_type(value, json_type_int)) ||
	    !isfinite(json_object_get_double(value))) {
		bad_input(st, path, "a metric without name, unit, better and a finite value");
		return -1;
	}
	bt = json_object_get_string(better);
	if (strcmp(bt, "higher") && strcmp(bt, "lower")) {
		bad_input(st, path, "a metric's better is neither higher nor lower");
		return -1;
	}
	s = series_for(st, cond, backend, bench, json_object_get_string(name));
	if (!s)
		return -1;
	if (s->v.n && (s->higher != !strcmp(bt, "higher") || strcmp(s->unit, json_object_get_string(unit)))) {
		bad_input(st, path, "a metric's unit or direction differs from the other repetitions'");
		return -1;
	}
	s->higher = !strcmp(bt, "higher");
	snprintf(s->unit, sizeof(s->unit), "%s", json_object_get_string(unit));
	s->all_verified &= verified;
	return values_push(&s->v, json_object_get_double(value), rep_number(path));
}

static void note_backend(struct suite_store *st, const char *backend)
{
	char **grown;

	for (size_t i = 0; i < st->n_backends; i++)
		if (!strcmp(st->backends[i], backend))
			return;
	grown = realloc(st->backends, (st->n_backends + 1) * sizeof(*grown));
	if (!grown)
		return;
	st->backends = grown;
	st->backends[st->n_backends++] = strdup(backend);
}

static void read_result(struct suite_store *st, size_t cond, const char *backend, const char *bench,
			const char *path, bool verified)
{
	json_object *o = json_object_from_file(path), *tag, *metrics;

	if (!o || !json_object_object_get_ex(o, "cvmio_suite", &tag) || json_object_get_int(tag) != 1 ||
	    !json_object_object_get_ex(o, "metrics", &metrics) ||
	    !json_object_is_type(metrics, json_type_array)) {
		bad_input(st, path, "not a cvmio suite result (no \"cvmio_suite\": 1 with a metrics array)");
		json_object_put(o);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(metrics); i++)
		if (add_metric(st, cond, backend, bench, json_object_array_get_idx(metrics, i), verified,
			       path))
			break;
	st->files++;
	st->unverified += !verified;
	note_backend(st, backend);
	json_object_put(o);
}

/* DIR/cond/backend/suite/bench/: its rep-N.json and rep-N.failed */
static void read_bench(struct suite_store *st, const struct suite_table_opts *o, size_t cond,
		       const char *backend, const char *backend_dir, const char *bench)
{
	char dir[8192], path[8500], mpath[8400], err[8800];
	struct manifest_info mi = { .state = VERIFY_NONE };
	struct dirent **ents;
	int n;

	snprintf(dir, sizeof(dir), "%s/suite/%s", backend_dir, bench);
	if (manifest_for(dir, backend_dir, cond_name(o, cond), backend, mpath, sizeof(mpath), &mi, err,
			 sizeof(err))) {
		bad_input(st, dir, err);
		return;
	}
	if (mi.state == VERIFY_NO && !o->allow_unverified) {
		fprintf(stderr, "cvmio analyze: %s says the guest was not verified (%s); its suite "
			"results are refused (use --allow-unverified to analyze them anyway)\n", mpath,
			mi.reason[0] ? mi.reason : "no reason given");
		st->rc = CVMIO_EXIT_INPUT;
		return;
	}
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		bad_input(st, dir, "cannot read folder");
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (name[0] != '.' && ends_with(name, ".failed"))
			st->failed++;
		else if (name[0] != '.' && ends_with(name, ".json"))
			read_result(st, cond, backend, bench, path, mi.state == VERIFY_YES);
		free(ents[i]);
	}
	free(ents);
}

static void read_condition(struct suite_store *st, const struct suite_table_opts *o, size_t cond)
{
	char cdir[4096], bdir[4400], sdir[4500];
	struct dirent **backends, **benches;
	struct stat sb;
	int nb, nk;

	snprintf(cdir, sizeof(cdir), "%s/%s", o->dir, cond_name(o, cond));
	nb = scandir(cdir, &backends, NULL, alphasort);
	if (nb < 0) {
		bad_input(st, cdir, "condition not found (no such folder)");
		return;
	}
	for (int i = 0; i < nb; i++) {
		const char *backend = backends[i]->d_name;

		snprintf(bdir, sizeof(bdir), "%s/%s", cdir, backend);
		snprintf(sdir, sizeof(sdir), "%s/suite", bdir);
		if (backend[0] != '.' && !stat(sdir, &sb) && S_ISDIR(sb.st_mode) &&
		    (nk = scandir(sdir, &benches, NULL, alphasort)) >= 0) {
			st->suite_dirs++;
			for (int k = 0; k < nk; k++) {
				if (benches[k]->d_name[0] != '.')
					read_bench(st, o, cond, backend, bdir, benches[k]->d_name);
				free(benches[k]);
			}
			free(benches);
		}
		free(backends[i]);
	}
	free(backends);
}

/* Rows: every baseline series that a compared condition has too. */
static int build_rows(const struct suite_store *st, size_t ncompares, bool unpaired,
		      struct suite_row **rows, size_t *nrows)
{
	size_t cap = 0;

	*rows = NULL;
	*nrows = 0;
	for (size_t c = 1; c <= ncompares; c++)
		for (size_t i = 0; i < st->n; i++) {
			const struct suite_series *b = &st->s[i];

			if (b->cond != 0)
				continue;
			for (size_t j = 0; j < st->n; j++) {
				const struct suite_series *x = &st->s[j];
				struct suite_row *grown, *row;

				if (x->cond != c || strcmp(x->backend, b->backend) ||
				    strcmp(x->bench, b->bench) || strcmp(x->metric, b->metric) ||
				    x->higher != b->higher || strcmp(x->unit, b->unit))
					continue;
				grown = cvmio_grow(*rows, *nrows, &cap, sizeof(*grown));
				if (!grown)
					return -1;
				*rows = grown;
				row = &(*rows)[(*nrows)++];
				memset(row, 0, sizeof(*row));
				row->b = b;
				row->c = x;
				bool partial = false;
				if (compare_values(&b->v, &x->v, unpaired, &partial, &row->r))
					return -1;
				row->r.verified = b->all_verified && x->all_verified;
				/* > 1 is worse for the compared side: lower-is-better as is, else inverted */
				if (b->higher) {
					row->norm = 1 / row->r.ratio;
					row->norm_lo = 1 / row->r.ci_high;
					row->norm_hi = 1 / row->r.ci_low;
				} else {
					row->norm = row->r.ratio;
					row->norm_lo = row->r.ci_low;
					row->norm_hi = row->r.ci_high;
				}
			}
		}
	return 0;
}

static void write_csv(FILE *out, const struct suite_table_opts *o, const struct suite_row *rows, size_t n)
{
	fputs("benchmark,metric,unit,better,baseline,compare,ratio,ci_low,ci_high,n_baseline,"
	      "n_compare,p_value,baseline_condition,compare_condition,verified\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct suite_row *w = &rows[i];

		csv_field(out, w->b->bench);
		fputc(',', out);
		csv_field(out, w->b->metric);
		fputc(',', out);
		csv_field(out, w->b->unit);
		fputc(',', out);
		fprintf(out, "%s,", w->b->higher ? "higher" : "lower");
		csv_row_numbers(out, &w->r);
		fputc(',', out);
		csv_field(out, o->baseline);
		fputc(',', out);
		csv_field(out, cond_name(o, w->c->cond));
		fputc(',', out);
		fprintf(out, "%s\n", w->r.verified ? "true" : "false");
	}
}

static void write_json(FILE *out, const struct suite_table_opts *o, const struct suite_row *rows, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		const struct suite_row *w = &rows[i];
		json_object *r = json_object_new_object();

		json_object_object_add(r, "backend", json_object_new_string(w->b->backend));
		json_object_object_add(r, "benchmark", json_object_new_string(w->b->bench));
		json_object_object_add(r, "metric", json_object_new_string(w->b->metric));
		json_object_object_add(r, "unit", json_object_new_string(w->b->unit));
		json_object_object_add(r, "better", json_object_new_string(w->b->higher ? "higher" : "lower"));
		json_object_object_add(r, "baseline", num_or_null(w->r.baseline));
		json_object_object_add(r, "compare", num_or_null(w->r.compare));
		json_object_object_add(r, "ratio", num_or_null(w->r.ratio));
		json_object_object_add(r, "ci_low", num_or_null(w->r.ci_low));
		json_object_object_add(r, "ci_high", num_or_null(w->r.ci_high));
		json_object_object_add(r, "normalized", num_or_null(w->norm));
		json_object_object_add(r, "normalized_ci_low", num_or_null(w->norm_lo));
		json_object_object_add(r, "normalized_ci_high", num_or_null(w->norm_hi));
		json_object_object_add(r, "n_baseline", json_object_new_int64((int64_t)w->r.n_baseline));
		json_object_object_add(r, "n_compare", json_object_new_int64((int64_t)w->r.n_compare));
		json_object_object_add(r, "p_value", num_or_null(w->r.p_value));
		json_object_object_add(r, "baseline_condition", json_object_new_string(o->baseline));
		json_object_object_add(r, "compare_condition",
				       json_object_new_string(cond_name(o, w->c->cond)));
		json_object_object_add(r, "verified", json_object_new_boolean(w->r.verified));
		json_object_array_add(arr, r);
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

#define NCOLS 12
#define CELL 260
static const char *const headers[NCOLS] = {
	"backend", "benchmark", "metric", "unit", "better", "baseline", "compare", "ratio",
	"95% CI", "p", "n", "normalized",
};

static void cells(const struct suite_row *w, char c[NCOLS][CELL])
{
	snprintf(c[0], CELL, "%s", w->b->backend);
	snprintf(c[1], CELL, "%s", w->b->bench);
	snprintf(c[2], CELL, "%s", w->b->metric);
	snprintf(c[3], CELL, "%s", w->b->unit);
	snprintf(c[4], CELL, "%s", w->b->higher ? "higher" : "lower");
	fmt_human(c[5], CELL, w->r.baseline);
	fmt_human(c[6], CELL, w->r.compare);
	snprintf(c[7], CELL, "%.3f", w->r.ratio);
	if (isfinite(w->r.ci_low))
		snprintf(c[8], CELL, "[%.3f, %.3f]", w->r.ci_low, w->r.ci_high);
	else
		snprintf(c[8], CELL, "n<3");
	if (isfinite(w->r.p_value))
		snprintf(c[9], CELL, "%.3g", w->r.p_value);
	else
		c[9][0] = '\0';
	snprintf(c[10], CELL, "%zu/%zu", w->r.n_baseline, w->r.n_compare);
	snprintf(c[11], CELL, "%.3f%s", w->norm, w->r.verified ? "" : " *");
}

static void write_layout(FILE *out, enum out_format f, const struct suite_table_opts *o,
			 const struct suite_row *rows, size_t n)
{
	char (*c)[NCOLS][CELL] = calloc(n ? n : 1, sizeof(*c));
	size_t width[NCOLS];
	bool unverified = false;

	if (!c)
		return;
	for (int k = 0; k < NCOLS; k++)
		width[k] = strlen(headers[k]);
	for (size_t i = 0; i < n; i++) {
		cells(&rows[i], c[i]);
		unverified |= !rows[i].r.verified;
		for (int k = 0; k < NCOLS; k++)
			if (strlen(c[i][k]) > width[k])
				width[k] = strlen(c[i][k]);
	}
	if (f == FMT_LATEX)
		fputs("\\begin{tabular}{lllllrrrlrrr}\n\\hline\n", out);
	for (size_t i = 0; i <= n; i++) {
		for (int k = 0; k < NCOLS; k++) {
			const char *cell = i ? c[i - 1][k] : headers[k];

			if (f == FMT_TEXT) {
				fprintf(out, "%-*s%s", (int)width[k], cell, k + 1 < NCOLS ? "  " : "\n");
			} else if (f == FMT_MD) {
				fputs(k ? " | " : "| ", out);
				md_escaped(out, cell);
				if (k + 1 == NCOLS)
					fputs(" |\n", out);
			} else {
				latex_escaped(out, cell);
				fputs(k + 1 < NCOLS ? " & " : " \\\\\n", out);
			}
		}
		if (!i && f == FMT_MD) {
			for (int k = 0; k < NCOLS; k++)
				fputs(k ? " | ---" : "| ---", out);
			fputs(" |\n", out);
		}
		if (!i && f == FMT_LATEX)
			fputs("\\hline\n", out);
	}
	if (f == FMT_LATEX)
		fputs("\\hline\n\\end{tabular}\n", out);
	fprintf(out, "%sratio = %s/%s medians; normalized > 1: %s is worse (lower-is-better "
		"ratios as they are, higher-is-better ones inverted)%s\n",
		f == FMT_LATEX ? "% " : "", o->ncompares == 1 ? o->compares[0] : "compare",
		o->baseline, o->ncompares == 1 ? o->compares[0] : "the compared condition",
		unverified ? "; * = a side's guest was not verified" : "");
	free(c);
}

/* The rows as an HTML fragment (--format html, the report's section): the cells of the text table. */
static void write_html(FILE *out, const struct suite_table_opts *o, const struct suite_row *rows, size_t n)
{
	char c[NCOLS][CELL];
	bool unverified = false;

	fputs("<table class=\"ratios suite\">\n<thead><tr>", out);
	for (int k = 0; k < NCOLS; k++)
		fprintf(out, "<th%s>%s</th>", k >= 5 ? " class=\"num\"" : "", headers[k]);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < n; i++) {
		cells(&rows[i], c);
		unverified |= !rows[i].r.verified;
		fputs("<tr>", out);
		for (int k = 0; k < NCOLS; k++) {
			fprintf(out, "<td%s>", k >= 5 ? " class=\"num\"" : "");
			cvmio_markup_escaped(out, c[k]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n<p class=\"note\">ratio = ", out);
	cvmio_markup_escaped(out, o->ncompares == 1 ? o->compares[0] : "compare");
	fputc('/', out);
	cvmio_markup_escaped(out, o->baseline);
	fputs(" medians; normalized &gt; 1: the compared side is worse (lower-is-better ratios as they are, "
	      "higher-is-better ones inverted)", out);
	fputs(unverified ? "; * = a side's guest was not verified</p>\n" : "</p>\n", out);
}

/* One format of the table; the CSV has no backend column, so it holds one backend's rows only. */
static int write_table(FILE *out, enum out_format f, const struct suite_table_opts *o,
		       const struct suite_store *st, const struct suite_row *rows, size_t n)
{
	if (f == FMT_CSV && st->n_backends > 1)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s: suite results for %zu backends; the "
				   "suite CSV has no backend column (use another --format, or analyze one "
				   "backend's copy)", o->dir, st->n_backends);
	if (f == FMT_CSV)
		write_csv(out, o, rows, n);
	else if (f == FMT_JSON)
		write_json(out, o, rows, n);
	else if (f == FMT_HTML)
		write_html(out, o, rows, n);
	else
		write_layout(out, f, o, rows, n);
	return 0;
}

/* suite.dat + suite.gp in plot_dir: normalized ratios with their intervals, one bar a row. */
static int write_figure(const struct suite_table_opts *o, const struct suite_row *rows, size_t n)
{
	char path[4200];
	FILE *dat, *gp;

	if (mkdir(o->plot_dir, 0755) && errno != EEXIST)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot %s: cannot create: %s", o->plot_dir,
				   strerror(errno));
	snprintf(path, sizeof(path), "%s/suite.dat", o->plot_dir);
	dat = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/suite.gp", o->plot_dir);
	gp = fopen(path, "w");
	if (!dat || !gp) {
		if (dat)
			fclose(dat);
		if (gp)
			fclose(gp);
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot %s: cannot write", o->plot_dir);
	}
	fputs("# index label normalized low high (NaN: fewer than 3 repetitions a side)\n", dat);
	for (size_t i = 0; i < n; i++) {
		const struct suite_row *w = &rows[i];

		fprintf(dat, "%zu \"%s %s (%s)\" %.6g %.6g %.6g\n", i, w->b->bench, w->b->metric,
			cond_name(o, w->c->cond), w->norm, isfinite(w->norm_lo) ? w->norm_lo : w->norm,
			isfinite(w->norm_hi) ? w->norm_hi : w->norm);
	}
	/* ratios: a log axis, so 0.5 and 2 are as far from 1; points, as boxes need a base */
	fprintf(gp, "# the suite's normalized ratios (> 1: the compared side is worse)\n"
		"set datafile missing 'NaN'\nset logscale y 2\n"
		"set ylabel 'normalized ratio vs %s (>1 worse), 95%% interval'\nset grid ytics\n"
		"set xtics rotate by 90 right font ',7' noenhanced\nset key off\n"
		"set xrange [-1:%zu]\nset bmargin 28\n"
		"set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2\n",
		o->baseline, n);
	/* PNG and SVG in pixels, the PDF (for papers) the same size in inches at 100 per inch */
	int w = 300 + 12 * (int)n, h = 900;
	fprintf(gp, "set terminal pngcairo size %d,%d\nset output 'suite.png'\n", w, h);
	fputs("plot 'suite.dat' using 1:3:4:5:xtic(2) with yerrorbars pt 7 ps 0.6 lc rgb '#7030a0'\n", gp);
	fprintf(gp, "set terminal svg size %d,%d\nset output 'suite.svg'\n", w, h);
	fputs("replot\n", gp);
	fprintf(gp, "set terminal pdfcairo size %.2fin,%.2fin\nset output 'suite.pdf'\n", w / 100.0, h / 100.0);
	fputs("replot\n", gp);
	fputs("unset output\n", gp);
	fclose(dat);
	if (fclose(gp))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot %s: writing failed", o->plot_dir);
	return plot_run_script(getenv("CVMIO_GNUPLOT"), o->plot_dir, "suite.gp");
}

static void suite_store_free(struct suite_store *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->s[i].v.v);
		free(st->s[i].v.rep);
	}
	free(st->s);
	for (size_t i = 0; i < st->n_backends; i++)
		free(st->backends[i]);
	free(st->backends);
}

/* The rows of st and the notes about what is not in them; a cvmio exit code. */
static int rows_of(const struct suite_table_opts *o, const struct suite_store *st, struct suite_row **rows,
		   size_t *n)
{
	if (build_rows(st, o->ncompares, o->unpaired, rows, n)) {
		free(*rows);
		*rows = NULL;
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	}
	if (!o->quiet && st->failed)
		fprintf(stderr, "cvmio analyze: note: %u failed suite run(s) (*.failed) below %s are "
			"not in the results\n", st->failed, o->dir);
	if (!o->quiet && st->unverified)
		fprintf(stderr, "cvmio analyze: note: %u of %u suite result(s) are unverified\n",
			st->unverified, st->files);
	if (!*n)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s: no suite metric has results under "
				   "both '%s' and a compared condition (expected <condition>/<backend>/"
				   "suite/<benchmark>/rep-N.json)", o->dir, o->baseline);
	return 0;
}

int suite_table(const struct suite_table_opts *o)
{
	struct suite_store st = { 0 };
	struct suite_row *rows = NULL;
	size_t n = 0;
	int rc;

	for (size_t c = 0; c <= o->ncompares; c++)
		read_condition(&st, o, c);
	rc = st.rc ? st.rc : rows_of(o, &st, &rows, &n);
	if (!rc)
		rc = write_table(stdout, o->format, o, &st, rows, n);
	if (!rc && o->plot_dir)
		rc = write_figure(o, rows, n);
	free(rows);
	suite_store_free(&st);
	return rc;
}

/* ---- the suite part of cvmio analyze --report ---- */

struct suite_results {
	struct suite_table_opts o;
	struct suite_store st;
	struct suite_row *rows;
	size_t n;
};

void suite_results_free(struct suite_results *sr)
{
	if (!sr)
		return;
	free(sr->rows);
	suite_store_free(&sr->st);
	free(sr);
}

int suite_results_read(const struct suite_table_opts *o, struct suite_results **out)
{
	struct suite_results *sr = calloc(1, sizeof(*sr));
	int rc;

	*out = NULL;
	if (!sr)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	sr->o = *o;
	for (size_t c = 0; c <= o->ncompares; c++)
		read_condition(&sr->st, o, c);
	if (!sr->st.suite_dirs && !sr->st.rc) {
		suite_results_free(sr);   /* no <backend>/suite/ at all: a study without the suite */
		return 0;
	}
	rc = sr->st.rc ? sr->st.rc : rows_of(o, &sr->st, &sr->rows, &sr->n);
	if (rc) {
		suite_results_free(sr);
		return rc;
	}
	*out = sr;
	return 0;
}

struct suite_file {
	const struct suite_results *sr;
	enum out_format f;
};

static int write_file(FILE *out, const void *ctx)
{
	const struct suite_file *sf = ctx;
	return write_table(out, sf->f, &sf->sr->o, &sf->sr->st, sf->sr->rows, sf->sr->n);
}

bool suite_results_have_csv(const struct suite_results *sr)
{
	return sr->st.n_backends <= 1;
}

int suite_results_write(const struct suite_results *sr, const char *outdir)
{
	static const struct {
		const char *name;
		enum out_format f;
	} formats[] = { { "suite.txt", FMT_TEXT }, { "suite.md", FMT_MD }, { "suite.csv", FMT_CSV },
			{ "suite.tex", FMT_LATEX }, { "suite.json", FMT_JSON }, { "suite.html", FMT_HTML } };
	struct suite_table_opts fig = sr->o;

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i].f == FMT_CSV && !suite_results_have_csv(sr))
			continue;
		struct suite_file sf = { sr, formats[i].f };
		int rc = report_write_file(outdir, formats[i].name, write_file, &sf);
		if (rc)
			return rc;
	}
	fig.plot_dir = outdir;
	return write_figure(&fig, sr->rows, sr->n);
}

void suite_section_html(FILE *html, const void *ctx)
{
	const struct suite_results *sr = ctx;

	fputs("<p>The benchmark suite's metrics (cvmio-suite(1)), per backend, benchmark and metric, with "
	      "the statistics of the ratios above. The same numbers: ", html);
	if (suite_results_have_csv(sr))
		fputs("<a href=\"suite.csv\">suite.csv</a>, ", html);
	fputs("<a href=\"suite.json\">suite.json</a>, <a href=\"suite.md\">suite.md</a>, "
	      "<a href=\"suite.tex\">suite.tex</a>, <a href=\"suite.txt\">suite.txt</a>", html);
	if (!suite_results_have_csv(sr))
		fputs(" (no suite.csv: its columns have no backend, and these results have several)", html);
	fputs("; the figure: suite.svg.</p>\n", html);
	write_html(html, &sr->o, sr->rows, sr->n);
}
