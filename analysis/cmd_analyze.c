// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio analyze DIR --baseline COND --compare COND [...]: options only; the
 * work is in the files listed in analysis.h.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cvmio.h"

#define MAX_COMPARES 16

enum table_kind { TABLE_RATIOS, TABLE_BACKENDS, TABLE_PENALTY, TABLE_SUITE };

static void usage(FILE *out)
{
	fputs("usage: cvmio analyze DIR --baseline COND --compare COND [--compare COND ...]\n"
	      "       cvmio analyze DIR --table backends --reference-backend B [--baseline COND ...]\n"
	      "       cvmio analyze DIR --table penalty --reference-backend B --baseline COND --compare COND\n"
	      "                     [--format text|md|csv|latex|json|html] [--plot OUTDIR]\n"
	      "                     [--report OUTDIR]\n"
	      "       cvmio analyze DIR --table suite --baseline COND --compare COND [...]\n"
	      "                     [--unpaired] [--allow-unverified] [--strict] [--quiet]\n"
	      "\n"
	      "Reads fio JSON/json+ results below DIR/<condition>/<backend>/ and prints, per\n"
	      "backend, workload signature, direction and metric, the median of each side over\n"
	      "the repetitions, their ratio (compare/baseline), a 95% bootstrap interval and a\n"
	      "p-value (with >= 3 repetitions a side).  Repetitions with the same path below\n"
	      "<condition>/<backend>/ on both sides are pairs (cvmio run interleaves them):\n"
	      "the median of per-pair ratios and Wilcoxon's signed-rank test; otherwise the\n"
	      "ratio of medians and Mann-Whitney U.\n"
	      "\n"
	      "  --baseline COND      the reference condition (e.g. plain)\n"
	      "  --compare COND       a condition to compare with it (repeatable)\n"
	      "  --table T            ratios (default: compare / baseline per backend),\n"
	      "                       backends (each backend / the reference backend, per condition)\n"
	      "                       penalty (each backend's compare/baseline ratio / the reference's)\n"
	      "                       or suite (the benchmark suite's results, <backend>/suite/)\n"
	      "  --reference-backend B  the backend the others are measured against\n"
	      "  --format FMT         text (default), md, csv, latex, json or html (a fragment)\n"
	      "  --plot OUTDIR        also write gnuplot scripts, data and PNG/SVG/PDF plots\n"
	      "  --report OUTDIR      write every format, the plots and OUTDIR/index.html, one\n"
	      "                       self-contained page (tables, figures, provenance, warnings;\n"
	      "                       the suite table too when DIR has <backend>/suite/ results)\n"
	      "  --unpaired           treat the sides as independent samples even when paired\n"
	      "  --allow-unverified   analyze results whose manifest says \"verified\": false\n"
	      "  --strict             exit 3 when there was any warning\n"
	      "  --quiet              no warnings on stderr (they still count for --strict)\n"
	      "\n"
	      "Exit: 0 ok, 2 usage, 3 bad input (the file is named), 4 environment (gnuplot).\n"
	      "See cvmio-analyze(1).\n",
	      out);
}

struct analyze_opts {
	const char *dir, *baseline, *plot_dir, *reference, *report_dir;
	enum table_kind table;
	const char *compares[MAX_COMPARES];
	size_t ncompares;
	enum out_format format;
	bool allow_unverified, strict, quiet, unpaired;
};

static int parse_table(const char *s, enum table_kind *t)
{
	static const char *const names[] = { "ratios", "backends", "penalty", "suite" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*t = (enum table_kind)i;
			return 0;
		}
	return -1;
}

/* Which options each table needs; the backends table alone reads every condition of DIR. */
static int check_table_options(const struct analyze_opts *o)
{
	if ((o->table == TABLE_BACKENDS || o->table == TABLE_PENALTY) && !o->reference)
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--table %s needs --reference-backend",
				   o->table == TABLE_PENALTY ? "penalty" : "backends");
	if (o->reference && (!o->reference[0] || strchr(o->reference, '/')))
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--reference-backend '%s': expected a folder name",
				   o->reference);
	if (o->table == TABLE_SUITE && o->report_dir)
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--report is not for --table suite: the report of DIR "
				   "gets the suite table whenever DIR has suite results (drop --table suite)");
	if (o->table == TABLE_PENALTY && (!o->baseline || o->ncompares != 1))
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--table penalty needs --baseline and exactly one --compare");
	if (o->table == TABLE_BACKENDS && !o->baseline && !o->ncompares)
		return o->report_dir ? cvmio_error(CVMIO_EXIT_USAGE, "analyze",
						   "--report needs --baseline and --compare (its page starts with their ratios)")
				     : 0;
	if (!o->baseline || !o->ncompares)
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--baseline and at least one --compare are required");
	return 0;
}

static int parse_options(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "compare", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "table", required_argument, NULL, 't' },
		{ "reference-backend", required_argument, NULL, 'r' },
		{ "plot", required_argument, NULL, 'p' },
		{ "report", required_argument, NULL, 'R' },
		{ "allow-unverified", no_argument, NULL, 'U' },
		{ "unpaired", no_argument, NULL, 'P' },
		{ "strict", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "b:c:f:p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->baseline = optarg; break;
		case 'c':
			if (o->ncompares == MAX_COMPARES)
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "at most %d --compare", MAX_COMPARES);
			o->compares[o->ncompares++] = optarg;
			break;
		case 'f':
			if (parse_format(optarg, &o->format))
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze",
						   "--format %s: expected text, md, csv, latex, json or html", optarg);
			break;
		case 'p': o->plot_dir = optarg; break;
		case 't':
			if (parse_table(optarg, &o->table))
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze",
						   "--table %s: expected ratios, backends, penalty or suite", optarg);
			break;
		case 'r': o->reference = optarg; break;
		case 'R': o->report_dir = optarg; break;
		case 'U': o->allow_unverified = true; break;
		case 'P': o->unpaired = true; break;
		case 'S': o->strict = true; break;
		case 'q': o->quiet = true; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return CVMIO_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "expected exactly one results folder DIR");
	}
	o->dir = argv[optind];
	int rc = check_table_options(o);
	if (rc)
		return rc;
	for (size_t i = 0; i < o->ncompares; i++) {
		if (!strcmp(o->compares[i], o->baseline))
			return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--compare %s is the baseline", o->compares[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(o->compares[i], o->compares[j]))
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--compare %s given twice", o->compares[i]);
	}
	for (size_t i = 0; o->baseline && i <= o->ncompares; i++) {
		const char *cond = i ? o->compares[i - 1] : o->baseline;
		if (!cond[0] || strchr(cond, '/'))
			return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "condition '%s': expected a folder name", cond);
	}
	return 0;
}

/*
 * An interval that is just the extreme ratios the data allow says only how
 * few repetitions there were: say so once, with what would help.
 */
static void warn_degenerate(const struct rowset *rs, struct diag *d)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		n += rs->r[i].degenerate;
	if (n)
		diag_warn(d, "%zu of %zu intervals are only the range of the repetitions' ratios (too few repetitions: "
			  "an interval needs >= 6 pairs, or >= 4 repetitions a side unpaired, to be more than that; "
			  "p < 0.05 needs >= 6 pairs or >= 4 a side)",
			  n, rs->n);
}

/* fio 2 (usec, lat) and fio 3 (ns, lat_ns) differ in more than units: one series should not mix them. */
static void warn_mixed_eras(const struct store *st, struct diag *d)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct series *s = &st->s[i];
		if (s->eras == (ERA_NS | ERA_USEC)) {
			char label[160];
			signature_label(&s->sig, s->dir, label, sizeof(label));
			diag_warn(d, "%s/%s: [%s] mixes usec-era (fio 2, 'lat') and ns-era (fio 3, 'lat_ns') results; "
				  "one fio version per study is safer", st->conds[s->cond], s->backend, label);
		}
	}
}

/* Everything one run computes; which parts are built depends on --table and --plot. */
struct analysis {
	struct store st;
	const char **names;		/* the conditions read: baseline first, or every folder of DIR */
	char **listed;			/* names owned when listed from DIR */
	size_t nnames;
	size_t *conds;			/* their store indices */
	struct rowset ratios;		/* compare / baseline */
	struct rowset backends;		/* backend / reference within each condition */
	struct penalty_set penalty;
};

static int choose_conditions(const struct analyze_opts *o, struct analysis *a)
{
	if (!o->baseline) {
		int rc = list_conditions(o->dir, &a->listed, &a->nnames);
		a->names = (const char **)a->listed;
		return rc;
	}
	a->names = calloc(o->ncompares + 1, sizeof(*a->names));
	if (!a->names)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	a->names[0] = o->baseline;
	for (size_t i = 0; i < o->ncompares; i++)
		a->names[i + 1] = o->compares[i];
	a->nnames = o->ncompares + 1;
	return 0;
}

static int read_conditions(const struct analyze_opts *o, struct analysis *a, struct diag *d)
{
	struct walk_opts wo = { .allow_unverified = o->allow_unverified };
	struct walk_counts wc = { 0 };
	int rc = choose_conditions(o, a);
	if (rc)
		return rc;
	a->conds = calloc(a->nnames, sizeof(*a->conds));
	if (!a->conds)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	/* every condition is read even after a bad one, so one run names every bad file */
	for (size_t i = 0; i < a->nnames; i++) {
		int r = walk_condition(o->dir, a->names[i], &a->st, &wo, d, &wc);
		if (r && !rc)
			rc = r;
		a->conds[i] = store_cond(&a->st, a->names[i]);
	}
	diag_say_tallies(d);
	if (!rc)
		warn_mixed_eras(&a->st, d);
	if (wc.failed_runs && !o->quiet)
		fprintf(stderr, "cvmio analyze: note: %u failed run(s) (*.failed) below %s are not in the results\n",
			wc.failed_runs, o->dir);
	if (wc.unverified_files && !o->quiet)
		fprintf(stderr, "cvmio analyze: note: %u of %u result file(s) are unverified (no manifest.json or \"verified\": false)\n",
			wc.unverified_files, wc.files);
	return rc;
}

/* The penalty compares a backend with the reference under both conditions: it must be in each. */
static int check_reference(const struct analyze_opts *o, const struct analysis *a)
{
	if (o->table != TABLE_PENALTY)
		return reference_exists(&a->st, a->conds, a->nnames, o->reference);
	for (size_t i = 0; i < 2; i++) {
		int rc = reference_exists(&a->st, &a->conds[i], 1, o->reference);
		if (rc)
			return rc;
	}
	return 0;
}

static int build_rows(const struct analyze_opts *o, struct analysis *a, struct diag *d)
{
	bool figures = o->plot_dir || o->report_dir;
	bool want_ratios = o->baseline && (o->table != TABLE_BACKENDS || figures);
	bool want_backends = o->reference && (o->table == TABLE_BACKENDS || figures);
	if (o->reference) {
		int rc = check_reference(o, a);
		if (rc)
			return rc;
	}
	if (want_ratios && compare_build(&a->st, a->conds[0], a->conds + 1, a->nnames - 1, o->unpaired,
					 &a->ratios, d))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	if (want_backends && backends_build(&a->st, a->conds, a->nnames, o->reference, &a->backends, d))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	/* about the intervals of the table printed */
	if (o->table == TABLE_RATIOS)
		warn_degenerate(&a->ratios, d);
	else if (o->table == TABLE_BACKENDS)
		warn_degenerate(&a->backends, d);
	/* a report with a reference backend has the penalty too (of the first --compare) */
	if (o->table == TABLE_PENALTY || (o->report_dir && o->reference && o->baseline && a->nnames >= 2)) {
		a->penalty.baseline = a->conds[0];
		a->penalty.compare = a->conds[1];
		a->penalty.reference = o->reference;
		if (penalty_build(&a->st, &a->ratios, &a->penalty, d))
			return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	}
	return 0;
}

static int print_table(const struct analyze_opts *o, const struct analysis *a)
{
	int w;
	if (o->table == TABLE_BACKENDS) {
		if (!a->backends.n)
			return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
					   "%s: no workload has results under both reference backend '%s' and another backend",
					   o->dir, o->reference);
		w = backends_table_write(stdout, o->format, &a->st, o->reference, &a->backends);
	} else if (o->table == TABLE_PENALTY) {
		if (!a->penalty.n)
			return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
					   "%s: no workload has '%s' and '%s' results of both reference backend '%s' and another backend",
					   o->dir, o->baseline, o->compares[0], o->reference);
		w = penalty_table_write(stdout, o->format, &a->st, &a->penalty, &a->ratios);
	} else {
		if (!a->ratios.n)
			return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
					   "%s: no workload has results under both '%s' and a compared condition",
					   o->dir, o->baseline);
		w = table_write(stdout, o->format, &a->st, a->conds[0], &a->ratios);
	}
	return w ? cvmio_error(CVMIO_EXIT_ENV, "analyze", "writing the table failed") : 0;
}

/* The suite's results of the report's conditions, written into the report; *sr NULL without any. */
static int write_report_suite(const struct analyze_opts *o, struct suite_results **sr)
{
	struct suite_table_opts so = {
		.dir = o->dir, .baseline = o->baseline, .compares = o->compares, .ncompares = o->ncompares,
		.format = FMT_TEXT, .allow_unverified = o->allow_unverified, .quiet = o->quiet,
		.unpaired = o->unpaired,
	};
	int rc = suite_results_read(&so, sr);
	if (!rc && *sr)
		rc = suite_results_write(*sr, o->report_dir);
	if (!rc && *sr && !suite_results_have_csv(*sr) && !o->quiet)
		fprintf(stderr, "cvmio analyze: note: %s: suite results of several backends: no suite.csv in "
			"the report (its columns have no backend; suite.json has them all)\n", o->dir);
	return rc;
}

/*
 * --report: the heatmaps and the suite's figure first (the page inlines
 * every SVG of the folder), then report.c's files and page with the
 * backends, penalty and suite tables as sections of their own.
 */
static int write_report(const struct analyze_opts *o, const struct analysis *a, const struct heatmap_input *hi,
			const struct diag *d)
{
	const char *gnuplot = getenv("CVMIO_GNUPLOT");
	struct suite_results *suite = NULL;
	int rc = heatmaps_write(o->report_dir, gnuplot, hi);
	if (!rc)
		rc = write_report_suite(o, &suite);
	if (rc) {
		suite_results_free(suite);
		return rc;
	}
	struct backends_report br = { .st = &a->st, .reference = o->reference, .backends = &a->backends,
				      .penalty = &a->penalty, .ratios = &a->ratios };
	struct report extra;
	char title[200];
	rc = backends_report_files(o->report_dir, &br);
	if (rc) {
		suite_results_free(suite);
		return rc;
	}
	report_init(&extra);
	snprintf(title, sizeof(title), "Backends against %s", o->reference ? o->reference : "");
	if ((a->backends.n && report_add_section(&extra, "backends", title, backends_section_html, &br)) ||
	    (a->penalty.n && report_add_section(&extra, "penalty", "Whose CVM penalty is smallest",
						 penalty_section_html, &br)) ||
	    (suite && report_add_section(&extra, "suite", "The benchmark suite", suite_section_html, suite))) {
		report_free(&extra);
		suite_results_free(suite);
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	}
	rc = report_write(o->report_dir, gnuplot, &a->st, a->conds[0], a->conds + 1, a->nnames - 1, &a->ratios, d,
			  &extra);
	report_free(&extra);
	suite_results_free(suite);
	return rc;
}

static int write_figures(const struct analyze_opts *o, const struct analysis *a, const struct diag *d)
{
	const char *gnuplot = getenv("CVMIO_GNUPLOT");
	struct heatmap_input hi = { .st = &a->st, .ratios = &a->ratios, .backends = &a->backends,
				    .conds = a->conds, .nconds = a->nnames, .reference = o->reference };
	if (o->baseline) {
		hi.baseline = a->conds[0];
		hi.compares = a->conds + 1;
		hi.ncompares = a->nnames - 1;
	}
	int rc = 0;
	if (o->plot_dir && a->ratios.n)
		rc = plot_write(o->plot_dir, gnuplot, &a->st, a->conds[0], a->conds + 1, a->nnames - 1, &a->ratios);
	if (!rc && o->plot_dir)
		rc = heatmaps_write(o->plot_dir, gnuplot, &hi);
	if (!rc && o->report_dir)
		rc = write_report(o, a, &hi, d);
	return rc;
}

static int analyze(const struct analyze_opts *o, struct analysis *a)
{
	struct diag d = { .out = stderr, .quiet = o->quiet };
	int rc = read_conditions(o, a, &d);
	if (!rc)
		rc = build_rows(o, a, &d);
	if (!rc)
		rc = print_table(o, a);
	if (!rc && (o->plot_dir || o->report_dir))
		rc = write_figures(o, a, &d);
	if (!rc && o->strict && d.warnings)
		rc = cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%u warning(s) and --strict", d.warnings);
	diag_free(&d);
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { .format = FMT_TEXT };
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? CVMIO_EXIT_OK : rc;
	if (o.table == TABLE_SUITE) {
		struct suite_table_opts so = {
			.dir = o.dir, .baseline = o.baseline, .compares = o.compares,
			.ncompares = o.ncompares, .format = o.format, .plot_dir = o.plot_dir,
			.allow_unverified = o.allow_unverified, .quiet = o.quiet,
			.unpaired = o.unpaired,
		};
		return suite_table(&so);
	}
	struct analysis a = { 0 };
	store_init(&a.st);
	rc = analyze(&o, &a);
	penalty_set_free(&a.penalty);
	rowset_free(&a.backends);
	rowset_free(&a.ratios);
	free(a.conds);
	if (a.listed)
		free_conditions(a.listed, a.nnames);
	else
		free(a.names);
	store_free(&a.st);
	return rc;
}
