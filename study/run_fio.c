// SPDX-License-Identifier: GPL-2.0-only
/* One fio client run of a study (see run_fio.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>

#include "cvmio.h"
#include "run_fio.h"
#include "proc.h"

/*
 * The most telling line of a file the fio client wrote: fio's own "fio: ..."
 * error (the first), else the last line speaking of an error, else the last
 * line.  Returns its rank (0 = nothing) and copies it to out.
 */
static int telling_line(const char *path, char *out, size_t len)
{
	char *text = cvmio_read_file(path);
	int rank = 0;

	if (!text)
		return 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		/* skip the accounting records and the JSON document itself */
		if (!*line || !strncmp(line, "cvmio-stats: ", 13) || strchr(" \t{}[]\"", *line))
			continue;
		int r = strstr(line, "fio: ") ? 3
			: (strcasestr(line, "err") || strcasestr(line, "fail") || strcasestr(line, "unable")) ? 2 : 1;
		if (r > rank || (r == rank && r < 3)) {
			rank = r;
			snprintf(out, len, "%s", line);
		}
	}
	free(text);
	return rank;
}

/* Append ": <the most telling line>" of the client's log and output to buf. */
static void log_reason(const char *log, const char *output, char *buf, size_t len)
{
	char a[400] = "", b[400] = "";
	int ra = telling_line(log, a, sizeof(a)), rb = telling_line(output, b, sizeof(b));
	size_t n = strlen(buf);

	if (!ra && !rb)
		snprintf(buf + n, len - n, " (and printed nothing)");
	else
		snprintf(buf + n, len - n, ": %.300s", rb >= ra ? b : a);
}

static json_object *parse_json_after_text(const char *text)
{
	/* fio may print warnings (and the engines their cvmio-stats lines) before the JSON */
	for (const char *p = text; p; p = strchr(p, '\n')) {
		while (*p == '\n')
			p++;
		if (*p == '{') {
			json_object *o = json_tokener_parse(p);
			if (o)
				return o;
		}
		if (!*p)
			break;
	}
	return NULL;
}

static int check_jobs(json_object *jobs, char *reason, size_t len)
{
	size_t n = json_object_array_length(jobs), checked = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *job = json_object_array_get_idx(jobs, i), *err, *name;
		if (!json_object_object_get_ex(job, "error", &err))
			continue;
		checked++;
		if (json_object_get_int(err)) {
			json_object_object_get_ex(job, "jobname", &name);
			snprintf(reason, len, "job %s ended with error %d (%s)",
				 name ? json_object_get_string(name) : "?", json_object_get_int(err),
				 strerror(json_object_get_int(err)));
			return -1;
		}
	}
	if (!checked) {
		snprintf(reason, len, "fio's output holds no job results");
		return -1;
	}
	return 0;
}

int fio_output_ok(const char *path, char *reason, size_t len)
{
	char *text = cvmio_read_file(path);
	json_object *root, *jobs;
	int rc = -1;

	if (!text || !*text) {
		snprintf(reason, len, "fio wrote no output");
		free(text);
		return -1;
	}
	root = parse_json_after_text(text);
	free(text);
	if (!root) {
		snprintf(reason, len, "fio's output is not JSON");
		return -1;
	}
	if (json_object_object_get_ex(root, "client_stats", &jobs) ||
	    json_object_object_get_ex(root, "jobs", &jobs))
		rc = check_jobs(jobs, reason, len);
	else
		snprintf(reason, len, "fio's output has neither client_stats nor jobs");
	json_object_put(root);
	return rc;
}

int fio_job_sections(const char *jobfile)
{
	FILE *f = fopen(jobfile, "r");
	char line[1024];
	int n = 0;

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[' && strncmp(p, "[global]", 8))
			n++;
	}
	fclose(f);
	return n ? n : 1;
}

static char **client_argv(const struct fio_job *j)
{
	size_t n = 0, cap = 4 + 2 * j->n_servers;
	char **argv = cvmio_calloc(cap, sizeof(*argv));

	if (!argv)
		abort();
	argv[n++] = cvmio_strdup(j->fio);
	argv[n++] = cvmio_strdup("--output-format=json+");
	if (asprintf(&argv[n++], "--output=%s", j->output) < 0)
		abort();
	for (size_t i = 0; i < j->n_servers; i++) {
		if (asprintf(&argv[n++], "--client=%s", j->servers[i]) < 0)
			abort();
		argv[n++] = cvmio_strdup(j->jobfile);
	}
	argv[n] = NULL;
	return argv;
}

static void free_argv(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

enum fio_outcome fio_run(const struct fio_job *j, char *reason, size_t len, double *seconds)
{
	char **argv = client_argv(j);
	long long start = now_ms(), deadline = start + j->timeout_s * 1000LL;
	enum fio_outcome out = FIO_OK;
	long long next_tick = start + 1000;
	int status = 0;
	pid_t pid;

	reason[0] = '\0';
	unlink(j->output);
	pid = proc_spawn(argv, j->env, j->log, j->log);
	free_argv(argv);
	if (pid < 0) {
		snprintf(reason, len, "cannot start %s: %s", j->fio, strerror(errno));
		return FIO_FAILED;
	}
	for (;;) {
		if (proc_exited(pid, &status))
			break;
		if (*j->stop) {
			out = FIO_INTERRUPTED;
			snprintf(reason, len, "interrupted");
		} else if (now_ms() > deadline) {
			out = FIO_TIMEOUT;
			snprintf(reason, len, "timed out after %d s (fio client killed)", j->timeout_s);
		} else if (j->alive && !j->alive(j->ctx, reason, len)) {
			out = FIO_TARGET_DIED;
		}
		if (out != FIO_OK) {
			proc_stop(pid, 2000);
			break;
		}
		if (j->tick && now_ms() >= next_tick) {
			j->tick(j->tick_ctx);
			next_tick += 1000;
		}
		sleep_ms(25);
	}
	*seconds = (now_ms() - start) / 1000.0;
	if (out != FIO_OK)
		return out;
	if (*j->stop)
		return snprintf(reason, len, "interrupted"), FIO_INTERRUPTED;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(reason, len, "fio ");
		proc_describe(status, reason + strlen(reason), len - strlen(reason));
		/* with --output, fio's own messages go to the output file */
		log_reason(j->log, j->output, reason, len);
		return FIO_FAILED;
	}
	if (fio_output_ok(j->output, reason, len))
		return FIO_FAILED;
	return FIO_OK;
}

json_object *fio_output_parse(const char *path)
{
	char *text = cvmio_read_file(path);
	json_object *root = text ? parse_json_after_text(text) : NULL;

	free(text);
	return root;
}
