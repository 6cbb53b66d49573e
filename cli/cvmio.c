// SPDX-License-Identifier: GPL-2.0-only
/* cvmio: dispatch 'cvmio VERB ...' to the verb's own source file. */
#include <string.h>

#include "cvmio.h"
#include "cvmio-config.h"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct verb verbs[] = {
	{ "qemu", cmd_qemu, "compose, check or run a QEMU command line per backend and confidential mode" },
	{ "check", cmd_check, "report which protections are active on this host or inside this guest" },
	{ "memdump", cmd_memdump, "search a running guest's memory from the host" },
	{ "run", cmd_run, "run a study matrix (modes x backends x engines x job files x repetitions)" },
	{ "analyze", cmd_analyze, "CVM/plain ratio tables and plots from fio results" },
	{ "suite", cmd_suite, "the benchmark suite: list, packages, scripts, metrics from an output" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: cvmio [--version] [--help] VERB [ARGS]\n\nverbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(out, "\n'cvmio VERB --help' describes each verb; man cvmio-VERB has the details.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CVMIO_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CVMIO_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cvmio %s (engines built for %s)\n", CVMIO_VERSION, CVMIO_FIO_VERSION);
		return CVMIO_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	fprintf(stderr, "cvmio: unknown verb '%s' (see cvmio --help)\n", argv[1]);
	return CVMIO_EXIT_USAGE;
}
