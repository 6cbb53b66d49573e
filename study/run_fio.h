/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One fio run of a study: 'fio --client=HOST,PORT JOBFILE ...' with json+
 * output into a temporary file, bounded by a timeout, watched for the guest
 * dying and for Ctrl-C.  fio's client parses the job file on the host and
 * sends the parsed jobs to the server, so ${TARGET}, ${ENGINE}, ${RUNTIME}
 * and ${RAMP} in job files are expanded from the client's environment (set here).
 */
#ifndef CVMIO_RUN_FIO_H
#define CVMIO_RUN_FIO_H

#include <signal.h>
#include <stddef.h>

enum fio_outcome { FIO_OK, FIO_FAILED, FIO_TIMEOUT, FIO_TARGET_DIED, FIO_INTERRUPTED };

struct fio_job {
	const char *fio;             /* fio binary */
	char **servers;              /* "HOST,PORT" as fio's --client= wants them */
	size_t n_servers;
	const char *jobfile;
	char **env;                  /* NAME=VALUE, NULL-terminated */
	const char *output;          /* --output file (temporary name) */
	const char *log;             /* the client's stdout and stderr */
	int timeout_s;
	const volatile sig_atomic_t *stop; /* set by the SIGINT/SIGTERM handler */
	/* returns 0 and says why when a target died mid-run (NULL = not checked) */
	int (*alive)(void *ctx, char *why, size_t len);
	void *ctx;
	/* called about once a second while fio runs (progress display), or NULL */
	void (*tick)(void *tick_ctx);
	void *tick_ctx;
};

/* Run it; reason gets a one-line explanation for anything but FIO_OK; seconds the client's wall time. */
enum fio_outcome fio_run(const struct fio_job *j, char *reason, size_t len, double *seconds);

/*
 * Check a json+ output: parseable after any leading text, at least one job,
 * every job's error 0.  Returns 0 or -1 with reason.
 */
int fio_output_ok(const char *path, char *reason, size_t len);

/* The JSON document of a fio output file (after any leading text), or NULL. */
struct json_object *fio_output_parse(const char *path);

/* Number of job sections ([name] other than [global]) in a job file, at least 1. */
int fio_job_sections(const char *jobfile);

#endif
