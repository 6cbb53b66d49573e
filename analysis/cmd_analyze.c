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

static void usage(FILE *out)
{
	fputs("usage: cvmio analyze DIR --baseline COND --compare COND [--compare COND ...]\n"
	      "                     [--format text|md|csv|latex|json|html] [--plot OUTDIR]\n"
	      "                     [--report OUTDIR] [--table fio|suite]\n"
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
	      "  --format FMT         text (default), md, csv, latex, json or html (a fragment)\n"
	      "  --plot OUTDIR        also write gnuplot scripts, data and PNG/SVG/PDF plots\n"
	      "  --report OUTDIR      write every format, the plots and OUTDIR/index.html, one\n"
	      "                       self-contained page (tables, figures, provenance, warnings)\n"
	      "  --unpaired           treat the sides as independent samples even when paired\n"
	      "  --allow-unverified   analyze results whose manifest says \"verified\": false\n"
	      "  --strict             exit 3 when there was any warning\n"
	      "  --quiet              no warnings on stderr (they still count for --strict)\n"
	      "  --table suite        the benchmark suite's table (<backend>/suite/) instead of fio's\n"
	      "\n"
	      "Exit: 0 ok, 2 usage, 3 bad input (the file is named), 4 environment (gnuplot).\n"
	      "See cvmio-analyze(1).\n",
	      out);
}

struct analyze_opts {
	const char *dir, *baseline, *plot_dir, *report_dir;
	const char *compares[MAX_COMPARES];
	size_t ncompares;
	enum out_format format;
	bool allow_unverified, strict, quiet, unpaired, suite;
};

static int parse_options(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "compare", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'p' },
		{ "report", required_argument, NULL, 'R' },
		{ "allow-unverified", no_argument, NULL, 'U' },
		{ "unpaired", no_argument, NULL, 'P' },
		{ "strict", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "table", required_argument, NULL, 't' },
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
		case 'R': o->report_dir = optarg; break;
		case 'U': o->allow_unverified = true; break;
		case 'P': o->unpaired = true; break;
		case 'S': o->strict = true; break;
		case 'q': o->quiet = true; break;
		case 't':
			if (strcmp(optarg, "fio") && strcmp(optarg, "suite"))
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze",
						   "--table %s: expected fio or suite", optarg);
			o->suite = !strcmp(optarg, "suite");
			break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return CVMIO_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "expected exactly one results folder DIR");
	}
	o->dir = argv[optind];
	if (!o->baseline || !o->ncompares)
		return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--baseline and at least one --compare are required");
	for (size_t i = 0; i < o->ncompares; i++) {
		if (!strcmp(o->compares[i], o->baseline))
			return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--compare %s is the baseline", o->compares[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(o->compares[i], o->compares[j]))
				return cvmio_error(CVMIO_EXIT_USAGE, "analyze", "--compare %s given twice", o->compares[i]);
	}
	for (size_t i = 0; i <= o->ncompares; i++) {
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

static int analyze(const struct analyze_opts *o, struct store *st, struct rowset *rs, struct diag *d)
{
	struct walk_opts wo = { .allow_unverified = o->allow_unverified };
	struct walk_counts wc = { 0 };
	int rc = 0;
	size_t compares[MAX_COMPARES];
	/* every condition is read even after a bad one, so one run names every bad file */
	for (size_t i = 0; i <= o->ncompares; i++) {
		int r = walk_condition(o->dir, i ? o->compares[i - 1] : o->baseline, st, &wo, d, &wc);
		if (r && !rc)
			rc = r;
	}
	if (rc)
		return rc;
	warn_mixed_eras(st, d);
	size_t baseline = store_cond(st, o->baseline);
	for (size_t i = 0; i < o->ncompares; i++)
		compares[i] = store_cond(st, o->compares[i]);
	if (compare_build(st, baseline, compares, o->ncompares, o->unpaired, rs, d))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	warn_degenerate(rs, d);
	if (wc.failed_runs && !o->quiet)
		fprintf(stderr, "cvmio analyze: note: %u failed run(s) (*.failed) below %s are not in the results\n",
			wc.failed_runs, o->dir);
	if (wc.unverified_files && !o->quiet)
		fprintf(stderr, "cvmio analyze: note: %u of %u result file(s) are unverified (no manifest.json or \"verified\": false)\n",
			wc.unverified_files, wc.files);
	if (!rs->n)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
				   "%s: no workload has results under both '%s' and a compared condition",
				   o->dir, o->baseline);
	if (table_write(stdout, o->format, st, baseline, rs))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "writing the table failed");
	if (o->plot_dir) {
		rc = plot_write(o->plot_dir, getenv("CVMIO_GNUPLOT"), st, baseline, compares,
				o->ncompares, rs);
		if (rc)
			return rc;
	}
	if (o->report_dir) {
		rc = report_write(o->report_dir, getenv("CVMIO_GNUPLOT"), st, baseline, compares, o->ncompares, rs,
				  d, NULL);
		if (rc)
			return rc;
	}
	if (o->strict && d->warnings)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%u warning(s) and --strict", d->warnings);
	return 0;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { .format = FMT_TEXT };
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? CVMIO_EXIT_OK : rc;
	if (o.suite) {
		struct suite_table_opts so = {
			.dir = o.dir, .baseline = o.baseline, .compares = o.compares,
			.ncompares = o.ncompares, .format = o.format, .plot_dir = o.plot_dir,
			.allow_unverified = o.allow_unverified, .quiet = o.quiet,
			.unpaired = o.unpaired,
		};
		return suite_table(&so);
	}
	struct store st;
	struct rowset rs = { 0 };
	store_init(&st);
	struct diag d = { .out = stderr, .quiet = o.quiet };
	rc = analyze(&o, &st, &rs, &d);
	diag_free(&d);
	rowset_free(&rs);
	store_free(&st);
	return rc;
}
