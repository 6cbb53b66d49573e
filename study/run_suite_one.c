// SPDX-License-Identifier: GPL-2.0-only
/*
 * One suite run: through the condition's guest agent, a filesystem on the
 * disk under test (once per boot), the benchmark's setup, command and
 * teardown (bash -e -o pipefail, under the guest's timeout(1)), its raw
 * output kept as rep-N.out, its metrics as rep-N.json (linked into place:
 * never overwritten), or rep-N.failed with the reason and the output.
 * An agent that does not answer fails the run like a hung fio run: the
 * guest is stopped and booted again for the next run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "cvmio.h"
#include "run_manifest.h"
#include "run_runner.h"
#include "run_suite.h"
#include "suite.h"

#define AGENT_CONNECT_MS 120000  /* the agent starts before the fio server is ready */

struct suite_run {
	struct runner *r;
	struct condition *c;
	const struct run_item *it;
	struct suite_bench b;
	struct qmp q;
	char dir[PATH_MAX], rel[1024], reason[2048];
	char *output;            /* the command's output */
	double seconds;          /* the command's wall time, from the host */
	int agent_failed;
};

static int guest_up(void *ctx)
{
	return guest_alive(ctx);
}

/*
 * Run script in the guest.  0 when it exited 0 (*out its output, may be
 * NULL); -1 with run->reason otherwise.
 */
static int exec_script(struct suite_run *run, const char *what, const char *script, int timeout_s,
		       char **out)
{
	char t[16], err[600], *text = NULL;
	struct agent_result res;
	const char *argv[] = { "/usr/bin/timeout", "-k", "10", t, "/bin/bash", "-e", "-o",
			       "pipefail", "-c", NULL, NULL };

	snprintf(t, sizeof(t), "%d", timeout_s);
	if (asprintf(&text, "exec 2>&1\n%s", script) < 0)
		abort();
	argv[9] = text;
	if (agent_exec(&run->q, argv, timeout_s + 60, &res, err, sizeof(err))) {
		snprintf(run->reason, sizeof(run->reason), "%s: %s", what, err);
		run->agent_failed = 1;
		free(text);
		return -1;
	}
	free(text);
	if (!strcmp(what, "command"))
		run->seconds = res.seconds;
	if (out)
		*out = res.out, res.out = NULL;
	if (res.exitcode != 0 || res.truncated) {
		char *last = NULL, *copy = strdup(res.out ? res.out : (out && *out ? *out : ""));

		for (char *l = copy ? strtok(copy, "\n") : NULL; l; l = strtok(NULL, "\n"))
			last = l;
		snprintf(run->reason, sizeof(run->reason), "%s %s%s%d%s%s%.300s", what,
			 res.truncated ? "output truncated by the agent; " : "",
			 res.exitcode == 124 ? "timed out (status " : "exited with status ",
			 res.exitcode < 0 ? -res.signal : res.exitcode, res.exitcode == 124 ? ")" : "",
			 last ? ": " : "", last ? last : "");
		free(copy);
		agent_result_free(&res);
		return -1;
	}
	agent_result_free(&res);
	return 0;
}

/*
 * In a user's image the disk under test is the one disk that is not the
 * image (serial=cvmio-image, see 'cvmio qemu --image') and holds nothing
 * mounted: names depend on the image's kernel and udev, serials do not.
 */
static const char find_disk_under_test[] =
	"t=\n"
	"while read -r line; do\n"
	"  NAME= TYPE= SERIAL=; eval \"$line\"\n"
	"  [ \"$TYPE\" = disk ] && [ \"$SERIAL\" != cvmio-image ] || continue\n"
	"  [ -z \"$t\" ] || { echo \"two disks besides the image (serial cvmio-image): $t and $NAME; "
	"cannot tell the disk under test\"; exit 1; }\n"
	"  t=$NAME\n"
	"done < <(lsblk -dnpP -o NAME,TYPE,SERIAL)\n"
	"[ -n \"$t\" ] || { echo \"no disk besides the image (serial cvmio-image)\"; exit 1; }\n"
	"[ -z \"$(lsblk -nro MOUNTPOINT \"$t\" | tr -d '\\n')\" ] || "
	"{ echo \"$t holds a mounted filesystem: not the disk under test\"; exit 1; }\n";

/* A fresh ext4 on the disk under test, mounted where ${scratch} points; once per boot. */
static int prepare_scratch(struct suite_run *run)
{
	const struct study *s = run->r->s;
	const char *target = study_guest_target(s, run->it->backend, "");
	char script[4096], find[256] = "";

	if (!s->image || s->target)
		snprintf(find, sizeof(find), "t=%s\n", target);
	snprintf(script, sizeof(script),
		 "mountpoint -q %s && exit 0\n"
		 "mkdir -p %s\n"
		 "%s"
		 "[ -b \"$t\" ] || { echo \"disk under test $t is not a block device\"; exit 1; }\n"
		 "[ \"$(blkid -o value -s LABEL \"$t\" || true)\" != cvmio-suite ] || "
		 "{ echo \"$t is the suite image, not the disk under test\"; exit 1; }\n"
		 "mkfs.ext4 -q -F -L cvmio-scratch \"$t\"\n"
		 "why=$(mount \"$t\" %s 2>&1) || { echo \"cannot mount the new filesystem on $t: "
		 "$why (a null backing discards writes: the suite needs backing=file:...)\"; "
		 "exit 1; }\n",
		 SUITE_GUEST_SCRATCH, SUITE_GUEST_SCRATCH,
		 !s->image || s->target ? find : find_disk_under_test, SUITE_GUEST_SCRATCH);
	return exec_script(run, "filesystem on the disk under test", script, 600, NULL);
}

/*
 * The suite installs nothing in a user's image (the guest has no network):
 * the benchmark's Debian packages ('cvmio suite packages') must be there.
 */
static int check_packages(struct suite_run *run)
{
	char *script = NULL;
	int rc;

	if (!run->b.packages || !*run->b.packages)
		return 0;
	if (asprintf(&script,
		     "missing=\n"
		     "for p in %s; do\n"
		     "  [ \"$(dpkg-query -W -f='${db:Status-Status}' \"$p\" 2>/dev/null || true)\" = installed ] "
		     "|| missing=\"$missing $p\"\n"
		     "done\n"
		     "[ -z \"$missing\" ] || { echo \"the image lacks the Debian package(s)$missing of "
		     "benchmark %s (cvmio suite packages lists them all)\"; exit 1; }\n",
		     run->b.packages, run->b.name) < 0)
		abort();
	rc = exec_script(run, "packages in the image", script, 120, NULL);
	free(script);
	return rc;
}

static int write_file(const char *path, const char *text)
{
	char tmp[PATH_MAX + 64];
	FILE *f;
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	bad = fputs(text, f) < 0;
	bad |= fclose(f) != 0;
	return bad ? -1 : rename(tmp, path);
}

static json_object *result_object(struct suite_run *run, json_object *metrics)
{
	const struct study *s = run->r->s;
	json_object *o = json_object_new_object();
	char out_name[64];
	char when[32];
	time_t now = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(out_name, sizeof(out_name), "rep-%d.out", run->it->rep);
	json_object_object_add(o, "cvmio_suite", json_object_new_int(1));
	json_object_object_add(o, "benchmark", json_object_new_string(run->b.name));
	json_object_object_add(o, "scale", json_object_new_string(run->b.scale));
	json_object_object_add(o, "mode", json_object_new_string(s->modes.v[run->it->mode]));
	json_object_object_add(o, "backend", json_object_new_string(s->backends.v[run->it->backend]));
	json_object_object_add(o, "rep", json_object_new_int(run->it->rep));
	json_object_object_add(o, "finished", json_object_new_string(when));
	json_object_object_add(o, "seconds", json_object_new_double(run->seconds));
	json_object_object_add(o, "output", json_object_new_string(out_name));
	json_object_object_add(o, "metrics", metrics);
	return o;
}

/* The benchmark's scripts and its metrics.  0 ok (result stored), -1 run->reason. */
static int run_benchmark(struct suite_run *run)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 48], err[1024];
	json_object *metrics, *res;
	int rc = 0, t = run->b.timeout_s;

	if (run->r->s->image && check_packages(run))
		return -1;
	if (prepare_scratch(run))
		return -1;
	if (run->b.setup && exec_script(run, "setup", run->b.setup, t, NULL))
		return -1;
	rc = exec_script(run, "command", run->b.command, t, &run->output);
	snprintf(path, sizeof(path), "%s/rep-%d.out", run->dir, run->it->rep);
	if (run->output && write_file(path, run->output) && !rc) {
		snprintf(run->reason, sizeof(run->reason), "cannot write %.900s: %s", path,
			 strerror(errno));
		rc = -1;
	}
	/* teardown even after a failed command: the next run needs a clean guest */
	if (run->b.teardown && !run->agent_failed) {
		char keep[sizeof(run->reason)];

		snprintf(keep, sizeof(keep), "%s", run->reason);
		if (exec_script(run, "teardown", run->b.teardown, t, NULL) || rc)
			rc = -1;
		if (keep[0])
			snprintf(run->reason, sizeof(run->reason), "%s", keep);
	}
	if (rc)
		return -1;
	metrics = suite_extract(&run->b, run->output ? run->output : "", err, sizeof(err));
	if (!metrics) {
		snprintf(run->reason, sizeof(run->reason), "output of %s: %s (raw output in rep-%d.out)",
			 run->b.name, err, run->it->rep);
		return -1;
	}
	res = result_object(run, metrics);
	snprintf(tmp, sizeof(tmp), "%s/.rep-%d.json.tmp", run->dir, run->it->rep);
	snprintf(path, sizeof(path), "%s/rep-%d.json", run->dir, run->it->rep);
	if (json_object_to_file_ext(tmp, res, JSON_C_TO_STRING_PRETTY) ||
	    link(tmp, path)) {
		snprintf(run->reason, sizeof(run->reason), "cannot store %.900s: %s (not overwritten)",
			 path, strerror(errno));
		rc = -1;
	}
	unlink(tmp);
	json_object_put(res);
	return rc;
}

int run_suite_one(struct runner *r, struct condition *c, const struct run_item *it)
{
	const struct study *s = r->s;
	struct suite_run run = { .r = r, .c = c, .it = it };
	char suite_dir[4096], err[1024], failed[PATH_MAX + 32];
	enum fio_outcome out = FIO_FAILED;

	plan_run_dir(s, r->outdir, it, run.dir, sizeof(run.dir));
	plan_run_relpath(s, it, ".json", run.rel, sizeof(run.rel));
	plan_run_path(s, r->outdir, it, ".failed", failed, sizeof(failed));
	if (suite_dir_find(NULL, suite_dir, sizeof(suite_dir), err, sizeof(err)) ||
	    suite_load(suite_dir, s->suite.v[it->bench], s->suite_scale, &run.b, err, sizeof(err))) {
		snprintf(run.reason, sizeof(run.reason), "%s", err);
	} else if (cvmio_mkdir_p(run.dir)) {
		snprintf(run.reason, sizeof(run.reason), "cannot create %.900s: %s", run.dir,
			 strerror(errno));
	} else if (!c->usable) {
		snprintf(run.reason, sizeof(run.reason), "no guest: %.1000s", c->why);
		out = *r->stop ? FIO_INTERRUPTED : FIO_FAILED;
	} else if (qmp_open_agent(&run.q, c->guests[0].agent, AGENT_CONNECT_MS, guest_up,
				  &c->guests[0], err, sizeof(err))) {
		snprintf(run.reason, sizeof(run.reason), "guest agent: %s", err);
		run.agent_failed = 1;
	} else {
		out = run_benchmark(&run) ? FIO_FAILED : FIO_OK;
		qmp_close(&run.q);
	}
	r->suite_seconds += run.seconds;
	if (out == FIO_OK) {
		unlink(failed);
	} else if (out != FIO_INTERRUPTED) {
		char *text = NULL;

		if (asprintf(&text, "%s%s%s", run.reason, run.output ? "\n--- raw output ---\n" : "",
			     run.output ? run.output : "") < 0)
			abort();
		snprintf(r->last_reason, sizeof(r->last_reason), "%.299s", run.reason);
		if (run_write_failed(failed, text))
			run_record_failed(r, "failure record", failed);
		free(text);
		/* an agent that does not answer: stop the guest; the next run boots it again */
		if (run.agent_failed && c->n_guests) {
			cond_stop(c);
			snprintf(c->why, sizeof(c->why), "%.590s", run.reason);
			out = FIO_TIMEOUT;
		}
	}
	free(run.output);
	suite_free(&run.b);
	if (out == FIO_INTERRUPTED)
		return out;
	manifest_add_run(c->manifest, run.rel, out == FIO_OK, out == FIO_OK ? NULL : run.reason,
			 run.seconds);
	manifest_write(c->manifest, c->manifest_path);
	return out;
}
