// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio run: run a study matrix.  Per backend, the guests of every mode boot
 * together (one boot per mode and backend); the runs then alternate between
 * modes (run_plan.c) so drift hits both sides of a ratio alike.  Every
 * result is written under a temporary name and linked into place, so a
 * result file is never overwritten and its existence means the run is done;
 * --resume therefore only has to run what has no rep-N.json yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "check_facts.h"
#include "cvmio.h"
#include "proc.h"
#include "run_runner.h"

/* set by the signal handler, read by every part of the runner through runner.stop */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
	/* a second Ctrl-C ends the runner at once (children die with it: PDEATHSIG) */
	signal(sig, SIG_DFL);
}

/* --- the verb --------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: cvmio run [--resume] [--output DIR] [--dry-run | --print-qemu] [--fio BIN] [--quiet]\n"
		"                 STUDY.ini\n"
		"\n"
		"Run a study: modes x backends x engines x job files x repetitions, one boot per\n"
		"mode and backend, repetitions interleaved across modes.  Results go to\n"
		"DIR/<mode>/<backend>/<engine>/<jobfile>/rep-N.json (its records in rep-N.cvmio-stats,\n"
		"its cost counters in rep-N.counters) and, with suite=, DIR/<mode>/<backend>/suite/\n"
		"<benchmark>/rep-N.json (default DIR: results/<study name>).\n"
		"\n"
		"  --resume      complete a study: run only what has no rep-N.json yet (failed runs are retried)\n"
		"  --output DIR  results folder (default results/<name>)\n"
		"  --dry-run     print the plan (with what is done) and exit\n"
		"  --print-qemu  print the QEMU line of each mode and backend (as cvmio qemu --print) and exit\n"
		"  --fio BIN     the fio client (default: fio)\n"
		"  --quiet       no progress output\n"
		"\n"
		"Exit status: 0 every run ok; 1 some runs failed or were interrupted; 2 usage;\n"
		"3 bad study file (FILE:LINE: reason); 4 environment.  See cvmio-run(1).\n");
}

static void print_plan(struct runner *r, const struct plan *p)
{
	const struct study *s = r->s;
	static const char *const state[] = { "todo", "done", "failed-before" };

	for (size_t i = 0; i < p->n; i++) {
		const struct run_item *it = &p->items[i];
		char rel[1024];
		plan_run_relpath(s, it, ".json", rel, sizeof(rel));
		printf("%s/%s/%s %s\n", s->modes.v[it->mode], s->backends.v[it->backend], rel, state[it->state]);
	}
}

/* Before anything boots; with print, each guest's QEMU line goes there. */
static int preflight(struct runner *r, FILE *print, char *err, size_t len)
{
	const struct study *s = r->s;
	char *fio_argv[] = { (char *)r->fio, (char *)"--version", NULL };
	char *v = proc_output_line(fio_argv, 10);
	char k[4096], i[4096];

	if (!v) {
		snprintf(err, len, "cannot run '%s --version' (install fio, or --fio BIN)", r->fio);
		return -1;
	}
	free(v);
	if (s->hosts.n)
		return 0;
	for (size_t m = 0; m < s->modes.n && !s->image; m++)
		if (guest_find_appliance(s, s->modes.v[m], k, i, sizeof(k), err, len))
			return -1;
	/* every guest must compose before anything boots: a profile or QEMU problem is found now */
	for (size_t m = 0; m < s->modes.n; m++)
		for (size_t b = 0; b < s->backends.n; b++) {
			char why[900];
			if (guest_compose_check(s, s->modes.v[m], s->backends.v[b], r->rundir, print, why,
						sizeof(why))) {
				snprintf(err, len, "%s/%s: %s", s->modes.v[m], s->backends.v[b], why);
				return -1;
			}
		}
	return 0;
}

/* What 'cvmio check --host --json' says, for the manifests (called, not run as a child). */
static char *host_check_json(const struct study *s)
{
	struct host_facts h;
	bool confirms[N_CHECK_MODES];
	json_object *o;
	char *text;

	host_facts_gather(s->qemu, s->profiles, &h);
	host_facts_confirms(&h, confirms);
	o = host_facts_json(&h, confirms);
	text = cvmio_strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}

static int lock_outdir(const char *outdir, char *err, size_t len)
{
	char path[PATH_MAX + 8];
	int fd;

	if (cvmio_mkdir_p(outdir)) {
		snprintf(err, len, "cannot create %.900s: %s", outdir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/.lock", outdir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, len, "%.900s is in use by another 'cvmio run' (or cannot be locked: %s)", outdir,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}


int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "resume", no_argument, NULL, 'r' }, { "output", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' }, { "print-qemu", no_argument, NULL, 'Q' }, { "fio", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct runner r = { .fio = "fio", .stop = &stop_requested };
	struct study s;
	struct plan p;
	const char *output = NULL;
	char outdir[PATH_MAX], err[1200];
	int resume = 0, dry = 0, print_qemu = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': resume = 1; break;
		case 'o': output = optarg; break;
		case 'n': dry = 1; break;
		case 'Q': print_qemu = 1; break;
		case 'f': r.fio = optarg; break;
		case 'q': r.quiet = 1; break;
		case 'h': usage(stdout); return CVMIO_EXIT_OK;
		default: usage(stderr); return CVMIO_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || (dry && print_qemu)) {
		usage(stderr);
		return CVMIO_EXIT_USAGE;
	}
	rc = study_load(argv[optind], &s, err, sizeof(err));
	if (rc) {
		study_free(&s);
		return cvmio_error(rc, "run", "%s", err);
	}
	r.s = &s;
	snprintf(outdir, sizeof(outdir), "%s", output ? output : "results/");
	if (!output)
		strncat(outdir, s.name, sizeof(outdir) - strlen(outdir) - 1);
	r.outdir = outdir;
	r.output = output;
	plan_build(&s, &p);
	size_t todo = plan_scan(&s, outdir, &p);
	rc = CVMIO_EXIT_OK;
	if (dry) {
		print_plan(&r, &p);
		goto out;
	}
	if (print_qemu && s.hosts.n) {
		rc = cvmio_error(CVMIO_EXIT_USAGE, "run", "--print-qemu: %s boots no guest (hosts= runs against "
				 "fio servers that already run)", s.path);
		goto out;
	}
	if (todo < p.n && !resume && !print_qemu) {
		rc = cvmio_error(CVMIO_EXIT_USAGE, "run", "%s already holds %zu of the %zu results of %s: use --resume to complete it, or another --output",
				 outdir, p.n - todo, p.n, s.path);
		goto out;
	}
	r.tty = isatty(STDERR_FILENO);
	snprintf(r.rundir, sizeof(r.rundir), "/tmp/cvmio-run-XXXXXX");
	if (!mkdtemp(r.rundir)) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "cannot create a folder in /tmp: %s", strerror(errno));
		goto out;
	}
	if (preflight(&r, print_qemu ? stdout : NULL, err, sizeof(err))) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "%s", err);
		rmdir(r.rundir);
		goto out;
	}
	if (print_qemu) {
		rmdir(r.rundir);
		goto out;
	}
	int lock = lock_outdir(outdir, err, sizeof(err));
	if (lock < 0) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "%s", err);
		rmdir(r.rundir);
		goto out;
	}
	r.host_check = host_check_json(&s);

	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	r.t0 = now_ms();
	r.total = todo;
	for (size_t e = 0; e < s.engines.n && !r.quiet; e++)
		for (size_t b = 0; b < s.backends.n; b++)
			if (!study_engine_fits(&s, s.engines.v[e], b))
				fprintf(stderr, "cvmio run: note: %s cannot drive %s; left out of the plan\n",
					s.engines.v[e], s.backends.v[b]);
	if (!r.quiet)
		fprintf(stderr, "cvmio run: %s: %zu runs to do (%zu done before), results in %s\n", s.name, todo,
			p.n - todo, outdir);
	for (size_t b = 0; b < s.backends.n && !stop_requested && !r.record_failed; b++)
		run_backend(&r, &p, b);
	if (s.target_ci > 0)
		run_until_target(&r, &p);
	rc = run_summary(&r, r.total);	/* target_ci rounds add to the total */
	rmdir(r.rundir);
	port_set_free(&r.ports);
	free(r.host_check);
	close(lock);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
out:
	plan_free(&p);
	study_free(&s);
	return rc;
}
