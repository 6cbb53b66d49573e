// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio suite: the benchmark files as the runner sees them — list them, the
 * Debian packages and source packages the suite image needs (make
 * suite-image asks here, so the files stay the only list), a benchmark's
 * scripts as the guest runs them, and the metrics read from a raw output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvmio.h"
#include "suite.h"

static const char usage_text[] =
"usage: cvmio suite list [--suite DIR]\n"
"       cvmio suite packages|sources [--scale smoke|full] [--suite DIR] [BENCHMARK...]\n"
"       cvmio suite show BENCHMARK [--scale smoke|full] [--suite DIR]\n"
"       cvmio suite extract BENCHMARK OUTPUT-FILE [--scale smoke|full] [--suite DIR]\n"
"\n"
"  list      the benchmarks in the suite folder, one per line, with their description\n"
"  packages  the Debian packages the benchmarks need at that scale (all by default)\n"
"  sources   the Debian source packages they unpack from the image's /opt/cvmio-suite/src\n"
"  show      the setup, command and teardown scripts as the guest runs them (bash -e -o pipefail)\n"
"  extract   read the benchmark's metrics from a raw output file; prints them as JSON\n"
"  --suite DIR   the benchmark files (default: $CVMIO_SUITE, the source tree's suite/benchmarks\n"
"                or PREFIX/share/cvmio/suite)\n"
"  --scale S     smoke (seconds under TCG) or full (the original study's sizes); default smoke\n"
"\n"
"Exit: 0 ok; 2 usage; 3 a bad benchmark file (FILE:LINE) or an output the metrics cannot be read from.\n";

struct suite_opts {
	const char *dir, *scale;
	char dir_found[4096];
	int first_arg;
};

static int parse_opts(int argc, char **argv, struct suite_opts *o)
{
	static const struct option longopts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "scale", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	int ch;

	o->scale = "smoke";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': o->dir = optarg; break;
		case 'c': o->scale = optarg; break;
		case 'h': fputs(usage_text, stdout); return -2;
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (strcmp(o->scale, "smoke") && strcmp(o->scale, "full"))
		return cvmio_error(-1, "suite", "--scale %s: expected smoke or full", o->scale);
	if (suite_dir_find(o->dir, o->dir_found, sizeof(o->dir_found), err, sizeof(err)))
		return cvmio_error(-1, "suite", "%s", err);
	o->first_arg = optind;
	return 0;
}

/* Each benchmark named (or all), loaded; fn gets each.  Exit code. */
static int for_each(struct suite_opts *o, int argc, char **argv,
		    void (*fn)(const struct suite_bench *, void *), void *arg)
{
	char names[4096], err[1024], *save = NULL;
	struct suite_bench b;

	if (o->first_arg < argc) {
		for (int i = o->first_arg; i < argc; i++) {
			if (suite_load(o->dir_found, argv[i], o->scale, &b, err, sizeof(err)))
				return cvmio_error(CVMIO_EXIT_INPUT, "suite", "%s", err);
			fn(&b, arg);
			suite_free(&b);
		}
		return CVMIO_EXIT_OK;
	}
	suite_names(o->dir_found, names, sizeof(names));
	for (char *n = strtok_r(names, " ", &save); n; n = strtok_r(NULL, " ", &save)) {
		if (suite_load(o->dir_found, n, o->scale, &b, err, sizeof(err)))
			return cvmio_error(CVMIO_EXIT_INPUT, "suite", "%s", err);
		fn(&b, arg);
		suite_free(&b);
	}
	return CVMIO_EXIT_OK;
}

static void print_list(const struct suite_bench *b, void *arg)
{
	(void)arg;
	printf("%-10s %s\n", b->name, b->description ? b->description : "");
}

static void print_packages(const struct suite_bench *b, void *arg)
{
	const char *list = *(const int *)arg ? b->sources : b->packages;

	if (list && *list)
		printf("%s\n", list);
}

static void print_scripts(const struct suite_bench *b, void *arg)
{
	(void)arg;
	printf("# %s (%s), timeout %d s\n# setup\n%s\n# command\n%s\n# teardown\n%s\n", b->name,
	       b->scale, b->timeout_s, b->setup ? b->setup : "", b->command,
	       b->teardown ? b->teardown : "");
}

static int extract_file(struct suite_opts *o, const char *name, const char *file)
{
	char err[1024];
	struct suite_bench b;
	json_object *metrics;
	char *output;

	if (suite_load(o->dir_found, name, o->scale, &b, err, sizeof(err)))
		return cvmio_error(CVMIO_EXIT_INPUT, "suite", "%s", err);
	output = cvmio_read_file(file);
	if (!output) {
		suite_free(&b);
		return cvmio_error(CVMIO_EXIT_INPUT, "suite", "%s: cannot read", file);
	}
	metrics = suite_extract(&b, output, err, sizeof(err));
	free(output);
	suite_free(&b);
	if (!metrics)
		return cvmio_error(CVMIO_EXIT_INPUT, "suite", "%s: %s", file, err);
	printf("%s\n", json_object_to_json_string_ext(metrics, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(metrics);
	return CVMIO_EXIT_OK;
}

int cmd_suite(int argc, char **argv)
{
	struct suite_opts o = { 0 };
	const char *what;
	int rc, sources;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? CVMIO_EXIT_USAGE : CVMIO_EXIT_OK;
	}
	what = argv[1];
	rc = parse_opts(argc - 1, argv + 1, &o);
	if (rc)
		return rc == -2 ? CVMIO_EXIT_OK : CVMIO_EXIT_USAGE;
	o.first_arg += 1;   /* back to argv's indices */
	if (!strcmp(what, "list"))
		return for_each(&o, argc, argv, print_list, NULL);
	if (!strcmp(what, "packages") || !strcmp(what, "sources")) {
		sources = !strcmp(what, "sources");
		return for_each(&o, argc, argv, print_packages, &sources);
	}
	if (!strcmp(what, "show")) {
		if (o.first_arg != argc - 1)
			return cvmio_error(CVMIO_EXIT_USAGE, "suite", "show takes one BENCHMARK");
		return for_each(&o, argc, argv, print_scripts, NULL);
	}
	if (!strcmp(what, "extract")) {
		if (o.first_arg != argc - 2)
			return cvmio_error(CVMIO_EXIT_USAGE, "suite",
					   "extract takes BENCHMARK OUTPUT-FILE");
		return extract_file(&o, argv[o.first_arg], argv[o.first_arg + 1]);
	}
	return cvmio_error(CVMIO_EXIT_USAGE, "suite", "unknown command '%s' (list, packages, "
			   "sources, show, extract)", what);
}
