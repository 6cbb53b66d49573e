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
	      "                     [--format text|md|csv|latex|json] [--plot OUTDIR]\n"
	      "                     [--allow-unverified] [--strict] [--quiet] [--table fio|suite]\n"
	      "\n"
	      "Reads fio JSON/json+ results below DIR/<condition>/<backend>/ and prints, per\n"
	      "backend, workload signature, direction and metric, the median of each side over\n"
	      "the repetitions, their ratio (compare/baseline), a 95% bootstrap interval and a\n"
	      "Mann-Whitney p-value (with >= 3 repetitions a side).\n"
	      "\n"
	      "  --baseline COND      the reference condition (e.g. plain)\n"
	      "  --compare COND       a condition to compare with it (repeatable)\n"
	      "  --format FMT         text (default), md, csv, latex or json\n"
	      "  --plot OUTDIR        also write gnuplot scripts, data and PNG/SVG/PDF plots\n"
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
	const char *dir, *baseline, *plot_dir;
	const char *compares[MAX_COMPARES];
	size_t ncompares;
	enum out_format format;
	bool allow_unverified, strict, quiet, suite;
};

static int parse_options(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "compare", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'p' },
		{ "allow-unverified", no_argument, NULL, 'U' },
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
						   "--format %s: expected text, md, csv, latex or json", optarg);
			break;
		case 'p': o->plot_dir = optarg; break;
		case 'U': o->allow_unverified = true; break;
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

static int analyze(const struct analyze_opts *o, struct store *st, struct rowset *rs)
{
	struct diag d = { .out = stderr, .quiet = o->quiet };
	struct walk_opts wo = { .allow_unverified = o->allow_unverified };
	struct walk_counts wc = { 0 };
	int rc = 0;
	size_t compares[MAX_COMPARES];
	/* every condition is read even after a bad one, so one run names every bad file */
	for (size_t i = 0; i <= o->ncompares; i++) {
		int r = walk_condition(o->dir, i ? o->compares[i - 1] : o->baseline, st, &wo, &d, &wc);
		if (r && !rc)
			rc = r;
	}
	if (rc)
		return rc;
	size_t baseline = store_cond(st, o->baseline);
	for (size_t i = 0; i < o->ncompares; i++)
		compares[i] = store_cond(st, o->compares[i]);
	if (compare_build(st, baseline, compares, o->ncompares, rs, &d))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
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
	if (o->strict && d.warnings)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%u warning(s) and --strict", d.warnings);
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
		};
		return suite_table(&so);
	}
	struct store st;
	struct rowset rs = { 0 };
	store_init(&st);
	rc = analyze(&o, &st, &rs);
	rowset_free(&rs);
	store_free(&st);
	return rc;
}
