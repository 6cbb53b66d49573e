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
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "cvmio.h"
#include "cvmio-config.h"
#include "run_fio.h"
#include "run_guest.h"
#include "run_manifest.h"
#include "run_plan.h"
#include "proc.h"
#include "run_study.h"

#define MAX_BOOTS 3  /* per (mode, backend) and invocation: the first boot and two after failures */

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
	/* a second Ctrl-C ends the runner at once (children die with it: PDEATHSIG) */
	signal(sig, SIG_DFL);
}

struct condition {
	size_t mode, backend;
	struct guest *guests;
	int n_guests;
	char **servers;          /* "HOST,PORT" for fio --client= */
	size_t n_servers;
	json_object *manifest;
	char dir[PATH_MAX], manifest_path[PATH_MAX + 16];
	int needed, usable, boots, ever_ready, retry_boot;
	char why[600];
};

struct runner {
	struct study *s;
	const char *outdir;
	const char *output;      /* --output as given, or NULL */
	const char *fio;
	int tty, quiet;
	char rundir[64];         /* private /tmp folder for QMP sockets */
	char *host_check;        /* JSON text of 'cvmio check --host --json', or NULL */
	long long t0;
	size_t total, index, ok, failed, interrupted;
	const struct run_item *current; /* for the status line while fio runs */
	long long current_start;
	char last_reason[300];          /* why the last run failed, for the progress line */
	double fio_seconds, run_seconds;
};

/* --- small helpers -------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static json_object *json_or_null(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

static char *first_line(char *const argv[])
{
	char *out = proc_output(argv, 10);

	if (out)
		out[strcspn(out, "\n")] = '\0';
	return out;
}

static void fmt_duration(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

/* --- progress --------------------------------------------------------------- */

static void progress(struct runner *r, const struct run_item *it, const char *status, double seconds)
{
	const struct study *s = r->s;
	double elapsed = (now_ms() - r->t0) / 1000.0;
	size_t done = r->ok + r->failed;
	char el[32], eta[32] = "?";

	if (r->quiet)
		return;
	fmt_duration(elapsed, el, sizeof(el));
	if (done) {
		double left = r->run_seconds / done * (r->total - done);
		if (r->current)
			left -= (now_ms() - r->current_start) / 1000.0;
		fmt_duration(left > 0 ? left : 0, eta, sizeof(eta));
	}
	if (!status) {
		if (r->tty)
			fprintf(stderr, "\r\033[K[run %zu/%zu] %s %s %s/%s rep %d | elapsed %s, ETA %s",
				r->index, r->total, s->modes.v[it->mode], s->backends.v[it->backend],
				s->engines.v[it->engine], s->jobfiles[it->jobfile].name, it->rep, el, eta);
		return;
	}
	if (r->tty && !strcmp(status, "ok"))
		return; /* the next status line replaces it */
	fprintf(stderr, "%s[run %zu/%zu] %s %s/%s/%s/%s/rep-%d (%.1f s) | elapsed %s, ETA %s\n",
		r->tty ? "\r\033[K" : "", r->index, r->total, status, s->modes.v[it->mode],
		s->backends.v[it->backend], s->engines.v[it->engine], s->jobfiles[it->jobfile].name,
		it->rep, seconds, el, eta);
	if (strcmp(status, "ok"))
		fprintf(stderr, "    %s\n", r->last_reason);
}

static void note(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->quiet)
		return;
	if (r->tty)
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void progress_tick(void *ctx)
{
	struct runner *r = ctx;

	if (r->tty && r->current)
		progress(r, r->current, NULL, 0);
}

/* --- guests of one (mode, backend) -------------------------------------------- */

static void cond_stop(struct condition *c)
{
	for (int i = 0; i < c->n_guests; i++)
		guest_stop(&c->guests[i]);
	c->usable = 0;
}

/* Start this condition's guests (not waiting for them). */
static int cond_start(struct runner *r, struct condition *c)
{
	const struct study *s = r->s;
	char logdir[PATH_MAX + 8], tag[64], probe[PATH_MAX + 128], err[600];
	int k = 1;

	c->boots++;
	c->usable = 0;
	snprintf(logdir, sizeof(logdir), "%s/logs", c->dir);
	if (mkdir_p(logdir)) {
		snprintf(c->why, sizeof(c->why), "cannot create %.400s: %s", logdir, strerror(errno));
		return -1;
	}
	/* never overwrite an earlier boot's console log */
	for (;; k++) {
		snprintf(probe, sizeof(probe), "%s/boot-%d-guest-1.console", logdir, k);
		if (access(probe, F_OK))
			break;
	}
	for (int i = 0; i < c->n_guests; i++) {
		snprintf(tag, sizeof(tag), "boot-%d-guest-%d", k, i + 1);
		guest_free(&c->guests[i]);
		if (guest_start(s, s->modes.v[c->mode], s->backends.v[c->backend], logdir, r->rundir, tag,
				&c->guests[i], err, sizeof(err))) {
			snprintf(c->why, sizeof(c->why), "guest %d: %.500s", i + 1, err);
			cond_stop(c);
			return -1;
		}
	}
	note(r, "booting %s/%s (%d guest%s, boot %d)", s->modes.v[c->mode], s->backends.v[c->backend],
	     c->n_guests, c->n_guests > 1 ? "s" : "", k);
	return 0;
}

static json_object *argv_json(const struct qemu_argv *av)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < av->argc; i++)
		json_object_array_add(a, json_object_new_string(av->argv[i]));
	return a;
}

static json_object *versions_json(struct runner *r, const struct guest *g)
{
	json_object *v = json_object_new_object();
	char *qemu_argv[] = { g ? g->av.argv[0] : (char *)"qemu-system-x86_64", (char *)"--version", NULL };
	char *fio_argv[] = { (char *)r->fio, (char *)"--version", NULL };
	char *q = g ? first_line(qemu_argv) : NULL, *f = first_line(fio_argv);

	json_object_object_add(v, "cvmio", json_object_new_string(CVMIO_VERSION));
	json_object_object_add(v, "qemu", q ? json_object_new_string(q) : NULL);
	json_object_object_add(v, "fio", f ? json_object_new_string(f) : NULL);
	json_object_object_add(v, "guest_kernel", g && g->kernel_version ? json_object_new_string(g->kernel_version) : NULL);
	json_object_object_add(v, "firmware", r->s->firmware ? json_object_new_string(r->s->firmware) : NULL);
	free(q);
	free(f);
	return v;
}

/* Verification from the guests' checks (after I/O when we have it: bounce shows there). */
static void cond_verify(struct runner *r, struct condition *c, char **after)
{
	const char *mode = r->s->modes.v[c->mode];
	char why[300] = "", one[300];
	int ok = 1;

	if (!c->n_guests) {
		manifest_set_verified(c->manifest, 0, "servers given by hosts= were not booted by cvmio; mode not checked");
		return;
	}
	for (int i = 0; i < c->n_guests; i++) {
		const char *text = after && after[i] ? after[i] : c->guests[i].boot_check;
		if (!check_confirms(text, mode, one, sizeof(one))) {
			ok = 0;
			snprintf(why, sizeof(why), "guest %d: %.250s", i + 1, one);
			break;
		}
		snprintf(why, sizeof(why), "%.250s%s", one, after && after[i] ? " (checked after I/O)" : " (checked at boot)");
	}
	/* results of earlier boots (reboots, earlier invocations) count too */
	json_object *prev, *v, *reason;
	if (ok && json_object_object_get_ex(c->manifest, "previous_boots", &prev))
		for (size_t i = 0; i < json_object_array_length(prev); i++) {
			json_object *b = json_object_array_get_idx(prev, i);
			if (json_object_object_get_ex(b, "verified", &v) && !json_object_get_boolean(v)) {
				ok = 0;
				json_object_object_get_ex(b, "verification", &reason);
				snprintf(why, sizeof(why), "earlier boot %zu: %.250s", i + 1,
					 reason ? json_object_get_string(reason) : "not verified");
				break;
			}
		}
	manifest_set_verified(c->manifest, ok, why);
}

static void cond_record_boot(struct runner *r, struct condition *c)
{
	struct guest *g = &c->guests[0];
	json_object *pins = NULL;
	char err[300];

	if (r->s->vcpu_pin || r->s->iothread_pin) {
		json_object *all = json_object_new_object();
		for (int i = 0; i < c->n_guests; i++) {
			char *p = guest_pin(&c->guests[i], r->s->vcpu_pin, r->s->iothread_pin, err, sizeof(err));
			char key[32];
			snprintf(key, sizeof(key), "guest-%d", i + 1);
			json_object_object_add(all, key, p ? json_or_null(p) : json_object_new_string(err));
			if (!p)
				note(r, "warning: %s/%s guest %d: pinning failed: %s", r->s->modes.v[c->mode],
				     r->s->backends.v[c->backend], i + 1, err);
			free(p);
		}
		pins = all;
	}
	/* the command line as booted: the composer adds the mode's own arguments (swiotlb=force, ...) */
	const char *cmdline = g->cmdline;
	for (size_t i = 0; i + 1 < g->av.argc; i++)
		if (!strcmp(g->av.argv[i], "-append"))
			cmdline = g->av.argv[i + 1];
	manifest_boot(c->manifest, argv_json(&g->av), versions_json(r, g), json_or_null(r->host_check),
		      json_or_null(g->boot_check), cmdline, pins);
	if (c->n_guests > 1) {
		json_object *ports = json_object_new_array();
		for (int i = 0; i < c->n_guests; i++)
			json_object_array_add(ports, json_object_new_int(c->guests[i].fio_port));
		manifest_set(c->manifest, "guest_fio_ports", ports);
	}
	cond_verify(r, c, NULL);
	manifest_write(c->manifest, c->manifest_path);
}

/* Wait until the guests of all started conditions are ready (or dead, or out of time). */
static void conds_wait(struct runner *r, struct condition *conds, size_t n)
{
	long long deadline = now_ms() + r->s->boot_timeout * 1000LL, t0 = now_ms();

	for (;;) {
		int pending = 0;
		for (size_t i = 0; i < n; i++) {
			struct condition *c = &conds[i];
			if (!c->needed || c->usable || !c->guests[0].pid)
				continue;
			int ready = 1;
			for (int g = 0; g < c->n_guests; g++) {
				int st = guest_poll_ready(&c->guests[g]);
				if (st < 0) {
					snprintf(c->why, sizeof(c->why), "guest %d did not boot: %s", g + 1, c->guests[g].why);
					c->retry_boot = guest_boot_retryable(&c->guests[g]);
					cond_stop(c);
					ready = 0;
					break;
				}
				ready &= st;
			}
			if (!c->guests[0].pid && !ready)
				continue;
			if (ready) {
				c->usable = c->ever_ready = 1;
				note(r, "%s/%s ready after %.1f s", r->s->modes.v[c->mode], r->s->backends.v[c->backend],
				     (now_ms() - t0) / 1000.0);
				cond_record_boot(r, c);
			} else {
				pending = 1;
			}
		}
		if (!pending)
			return;
		if (stop_requested || now_ms() > deadline) {
			for (size_t i = 0; i < n; i++) {
				struct condition *c = &conds[i];
				if (c->needed && !c->usable && c->guests[0].pid) {
					snprintf(c->why, sizeof(c->why), stop_requested ? "interrupted while booting"
						 : "no CVMIO-FIO-SERVER-READY on the console within %d s (boot_timeout)",
						 r->s->boot_timeout);
					c->retry_boot = 1;
					cond_stop(c);
				}
			}
			return;
		}
		sleep_ms(50);
	}
}

static int cond_alive(void *ctx, char *why, size_t len)
{
	struct condition *c = ctx;

	for (int i = 0; i < c->n_guests; i++)
		if (!guest_alive(&c->guests[i])) {
			snprintf(why, len, "guest %d died during the run: %s", i + 1, c->guests[i].why);
			return 0;
		}
	return 1;
}

/* --- one run ---------------------------------------------------------------- */

static void write_failed(const char *path, const char *reason)
{
	char tmp[PATH_MAX + 64];
	char *earlier = cvmio_read_file(path);
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%s\n", reason);
	if (earlier)
		fprintf(f, "earlier attempt: %s", earlier);
	fclose(f);
	rename(tmp, path);
	free(earlier);
}

static enum fio_outcome run_one(struct runner *r, struct condition *c, const struct run_item *it)
{
	const struct study *s = r->s;
	const char *engine = s->engines.v[it->engine], *backend = s->backends.v[it->backend];
	char dir[PATH_MAX], result[PATH_MAX + 32], failed[PATH_MAX + 32], tmp[PATH_MAX + 48],
	     log[PATH_MAX + 48], rel[1024], reason[1024], engine_value[300];
	char *env[9] = { 0 };
	double seconds = 0;
	enum fio_outcome out;

	plan_run_dir(s, r->outdir, it, dir, sizeof(dir));
	plan_run_path(s, r->outdir, it, ".json", result, sizeof(result));
	plan_run_path(s, r->outdir, it, ".failed", failed, sizeof(failed));
	plan_run_relpath(s, it, ".json", rel, sizeof(rel));
	snprintf(tmp, sizeof(tmp), "%s/.rep-%d.json.tmp", dir, it->rep);
	snprintf(log, sizeof(log), "%s/.rep-%d.log.tmp", dir, it->rep);

	if (mkdir_p(dir)) {
		snprintf(reason, sizeof(reason), "cannot create %.800s: %s", dir, strerror(errno));
		out = FIO_FAILED;
	} else if (!c->usable) {
		snprintf(reason, sizeof(reason), "no guest: %s", c->why);
		out = stop_requested ? FIO_INTERRUPTED : FIO_FAILED;
	} else {
		study_engine_value(engine, engine_value, sizeof(engine_value));
		if (asprintf(&env[0], "TARGET=%s", study_guest_target(s, backend, engine)) < 0 ||
		    asprintf(&env[1], "ENGINE=%s", engine_value) < 0 ||
		    asprintf(&env[2], "RUNTIME=%d", s->runtime) < 0 ||
		    asprintf(&env[3], "RAMP=%d", s->ramp) < 0 ||
		    asprintf(&env[4], "CVMIO_MODE=%s", s->modes.v[it->mode]) < 0 ||
		    asprintf(&env[5], "CVMIO_BACKEND=%s", backend) < 0 ||
		    asprintf(&env[6], "SIZE=%s", s->size) < 0)
			abort();
		unlink(log);
		struct fio_job j = {
			.fio = r->fio, .servers = c->servers, .n_servers = c->n_servers,
			.jobfile = s->jobfiles[it->jobfile].path, .env = env, .output = tmp, .log = log,
			.timeout_s = s->run_timeout ? s->run_timeout
				: 120 + 3 * fio_job_sections(s->jobfiles[it->jobfile].path) * (s->runtime + s->ramp),
			.stop = &stop_requested, .alive = c->n_guests ? cond_alive : NULL, .ctx = c,
			.tick = progress_tick, .tick_ctx = r,
		};
		out = fio_run(&j, reason, sizeof(reason), &seconds);
		if (out == FIO_FAILED && c->n_guests) {
			/* fio loses its server when the guest dies: say so */
			char why[600];
			if (!cond_alive(c, why, sizeof(why))) {
				size_t n = strlen(why);
				snprintf(why + n, sizeof(why) - n, " (%.300s)", reason);
				snprintf(reason, sizeof(reason), "%s", why);
				out = FIO_TARGET_DIED;
			}
		}
		for (int i = 0; env[i]; i++)
			free(env[i]);
		r->fio_seconds += seconds;
	}
	if (out == FIO_OK) {
		/* link() never replaces an existing file: a result is never overwritten */
		if (link(tmp, result)) {
			snprintf(reason, sizeof(reason), "cannot store %.800s: %s (not overwritten)", result, strerror(errno));
			out = FIO_FAILED;
		} else {
			unlink(failed);
		}
	}
	unlink(tmp);
	unlink(log);
	if (out == FIO_INTERRUPTED)
		return out;
	if (out != FIO_OK) {
		snprintf(r->last_reason, sizeof(r->last_reason), "%.299s", reason);
		write_failed(failed, reason);
		if (out == FIO_TIMEOUT || out == FIO_TARGET_DIED) {
			cond_stop(c);
			snprintf(c->why, sizeof(c->why), "%.590s", reason);
		} else if (c->n_guests && c->usable && !cond_alive(c, c->why, sizeof(c->why))) {
			cond_stop(c);
		}
	}
	manifest_add_run(c->manifest, rel, out == FIO_OK, out == FIO_OK ? NULL : reason, seconds);
	manifest_write(c->manifest, c->manifest_path);
	return out;
}

/* --- one backend: boot the modes together, run interleaved, finish manifests -- */

static void conds_finish(struct runner *r, struct condition *conds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct condition *c = &conds[i];
		if (!c->manifest)
			continue;
		if (c->usable) {
			char **after = calloc(c->n_guests + 1, sizeof(*after));
			for (int g = 0; g < c->n_guests; g++)
				after[g] = guest_fetch_check(&c->guests[g], 10000);
			if (c->n_guests)
				manifest_set(c->manifest, "guest_check_after_io", json_or_null(after[0]));
			cond_verify(r, c, after);
			for (int g = 0; g < c->n_guests; g++)
				free(after[g]);
			free(after);
		}
		char now[32];
		iso_now(now, sizeof(now));
		manifest_set(c->manifest, "finished", json_object_new_string(now));
		if (manifest_write(c->manifest, c->manifest_path))
			note(r, "warning: cannot write %s: %s", c->manifest_path, strerror(errno));
		cond_stop(c);
	}
}

static void conds_free(struct condition *conds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int g = 0; g < conds[i].n_guests; g++)
			guest_free(&conds[i].guests[g]);
		free(conds[i].guests);
		for (size_t k = 0; k < conds[i].n_servers; k++)
			free(conds[i].servers[k]);
		free(conds[i].servers);
		json_object_put(conds[i].manifest);
	}
	free(conds);
}

static void cond_init(struct runner *r, struct condition *c, size_t mode, size_t backend)
{
	const struct study *s = r->s;

	c->mode = mode;
	c->backend = backend;
	c->needed = 1;
	plan_backend_dir(s, r->outdir, mode, backend, c->dir, sizeof(c->dir));
	mkdir_p(c->dir);
	snprintf(c->manifest_path, sizeof(c->manifest_path), "%s/manifest.json", c->dir);
	c->manifest = manifest_open(c->manifest_path, s->name, s->modes.v[mode], s->backends.v[backend]);
	if (s->hosts.n) {
		c->n_servers = s->hosts.n;
		c->servers = calloc(c->n_servers, sizeof(*c->servers));
		for (size_t i = 0; i < s->hosts.n; i++) {
			c->servers[i] = strdup(s->hosts.v[i]);
			*strrchr(c->servers[i], ':') = ',';
		}
		c->usable = 1;
		json_object *hosts = json_object_new_array();
		for (size_t i = 0; i < s->hosts.n; i++)
			json_object_array_add(hosts, json_object_new_string(s->hosts.v[i]));
		manifest_boot(c->manifest, json_object_new_array(), versions_json(r, NULL),
			      json_or_null(r->host_check), NULL, NULL, NULL);
		manifest_set(c->manifest, "hosts", hosts);
		cond_verify(r, c, NULL);
		manifest_write(c->manifest, c->manifest_path);
		return;
	}
	c->n_guests = s->concurrency;
	c->guests = calloc(c->n_guests, sizeof(*c->guests));
	c->n_servers = c->n_guests;
	c->servers = calloc(c->n_servers, sizeof(*c->servers));
}

static void cond_servers(struct condition *c)
{
	for (int i = 0; i < c->n_guests; i++) {
		free(c->servers[i]);
		if (asprintf(&c->servers[i], "127.0.0.1,%d", c->guests[i].fio_port) < 0)
			abort();
	}
}

/*
 * One boot group: the modes in 'modes' (a bitmask) of one backend, booted
 * together and driven interleaved.
 */
static void run_group(struct runner *r, struct plan *p, size_t backend, unsigned long long modes)
{
	const struct study *s = r->s;
	struct condition *conds = calloc(s->modes.n, sizeof(*conds));
	int any = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct run_item *it = &p->items[i];
		if (it->backend == backend && (modes >> it->mode & 1) && it->state != RUN_DONE &&
		    !conds[it->mode].needed) {
			cond_init(r, &conds[it->mode], it->mode, backend);
			any = 1;
		}
	}
	if (!any) {
		free(conds);
		return;
	}
	if (!s->hosts.n) {
		for (size_t m = 0; m < s->modes.n; m++)
			if (conds[m].needed)
				cond_start(r, &conds[m]);
		conds_wait(r, conds, s->modes.n);
	}
	for (size_t i = 0; i < p->n && !stop_requested; i++) {
		struct run_item *it = &p->items[i];
		if (it->backend != backend || !(modes >> it->mode & 1) || it->state == RUN_DONE)
			continue;
		struct condition *c = &conds[it->mode];
		r->index++;
		/*
		 * Reboot a guest that hung or died mid-study, or whose boot failed
		 * in a way worth another try; one that QEMU refused would fail alike.
		 */
		if (c->n_guests && !c->usable && (c->ever_ready || c->retry_boot) && c->boots < MAX_BOOTS &&
		    !stop_requested) {
			note(r, "%s/%s: booting again (%s)", s->modes.v[c->mode], s->backends.v[c->backend], c->why);
			if (!cond_start(r, c))
				conds_wait(r, c, 1);
		}
		if (c->n_guests && c->usable)
			cond_servers(c);
		r->current = it;
		r->current_start = now_ms();
		progress(r, it, NULL, 0);
		long long t = now_ms();
		enum fio_outcome out = run_one(r, c, it);
		double secs = (now_ms() - t) / 1000.0;
		r->current = NULL;
		if (out == FIO_INTERRUPTED) {
			r->index--;
			break;
		}
		r->run_seconds += secs;
		if (out == FIO_OK) {
			r->ok++;
			it->state = RUN_DONE;
		} else {
			r->failed++;
		}
		progress(r, it, out == FIO_OK ? "ok" : "FAILED", secs);
	}
	conds_finish(r, conds, s->modes.n);
	conds_free(conds, s->modes.n);
}

/*
 * With null backing the guests of all modes are up together and the runs
 * alternate between them.  A file or device can be opened by one QEMU only
 * (image locking), so there each mode gets its own boot in turn.
 */
static void run_backend(struct runner *r, struct plan *p, size_t backend)
{
	const struct study *s = r->s;

	if (s->hosts.n || !strcmp(s->backing, "null")) {
		run_group(r, p, backend, ~0ULL);
		return;
	}
	for (size_t m = 0; m < s->modes.n && !stop_requested; m++)
		run_group(r, p, backend, 1ULL << m);
}

/* --- the verb --------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: cvmio run [--resume] [--output DIR] [--dry-run] [--fio BIN] [--quiet] STUDY.ini\n"
		"\n"
		"Run a study: modes x backends x engines x job files x repetitions, one boot per\n"
		"mode and backend, repetitions interleaved across modes.  Results go to\n"
		"DIR/<mode>/<backend>/<engine>/<jobfile>/rep-N.json (default DIR: results/<study name>).\n"
		"\n"
		"  --resume      complete a study: run only what has no rep-N.json yet (failed runs are retried)\n"
		"  --output DIR  results folder (default results/<name>)\n"
		"  --dry-run     print the plan (with what is done) and exit\n"
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

static int preflight(struct runner *r, char *err, size_t len)
{
	const struct study *s = r->s;
	char *fio_argv[] = { (char *)r->fio, (char *)"--version", NULL };
	char *v = first_line(fio_argv);
	char k[4096], i[4096];

	if (!v) {
		snprintf(err, len, "cannot run '%s --version' (install fio, or --fio BIN)", r->fio);
		return -1;
	}
	free(v);
	if (s->hosts.n || s->image)
		return 0;
	for (size_t m = 0; m < s->modes.n; m++)
		if (guest_find_appliance(s, s->modes.v[m], k, i, sizeof(k), err, len))
			return -1;
	/* every guest must compose before anything boots: a profile or QEMU problem is found now */
	for (size_t m = 0; m < s->modes.n; m++)
		for (size_t b = 0; b < s->backends.n; b++) {
			char why[900];
			if (guest_compose_check(s, s->modes.v[m], s->backends.v[b], why, sizeof(why))) {
				snprintf(err, len, "%s/%s: %s", s->modes.v[m], s->backends.v[b], why);
				return -1;
			}
		}
	return 0;
}

static int lock_outdir(const char *outdir, char *err, size_t len)
{
	char path[PATH_MAX + 8];
	int fd;

	if (mkdir_p(outdir)) {
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

static int summary(struct runner *r, size_t todo_before)
{
	double wall = (now_ms() - r->t0) / 1000.0;
	size_t missing = todo_before - r->ok - r->failed;

	if (r->tty && !r->quiet)
		fputs("\r\033[K", stderr);
	printf("cvmio run: %s: %zu ok, %zu failed, %zu not run, in %.1f s; results in %s\n", r->s->name, r->ok,
	       r->failed, missing, wall, r->outdir);
	if (r->fio_seconds > 0)
		printf("cvmio run: overhead %.2f (wall time %.1f s / sum of fio client times %.1f s)\n",
		       wall / r->fio_seconds, wall, r->fio_seconds);
	if (stop_requested || missing)
		printf("cvmio run: incomplete; 'cvmio run --resume%s%s %s' completes it\n",
		       r->output ? " --output " : "", r->output ? r->output : "", r->s->path);
	return r->failed || missing ? CVMIO_EXIT_NEGATIVE : CVMIO_EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "resume", no_argument, NULL, 'r' }, { "output", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' }, { "fio", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct runner r = { .fio = "fio" };
	struct study s;
	struct plan p;
	const char *output = NULL;
	char outdir[PATH_MAX], err[1200];
	int resume = 0, dry = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': resume = 1; break;
		case 'o': output = optarg; break;
		case 'n': dry = 1; break;
		case 'f': r.fio = optarg; break;
		case 'q': r.quiet = 1; break;
		case 'h': usage(stdout); return CVMIO_EXIT_OK;
		default: usage(stderr); return CVMIO_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
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
	if (todo < p.n && !resume) {
		rc = cvmio_error(CVMIO_EXIT_USAGE, "run", "%s already holds %zu of the %zu results of %s: use --resume to complete it, or another --output",
				 outdir, p.n - todo, p.n, s.path);
		goto out;
	}
	r.tty = isatty(STDERR_FILENO);
	if (preflight(&r, err, sizeof(err))) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "%s", err);
		goto out;
	}
	int lock = lock_outdir(outdir, err, sizeof(err));
	if (lock < 0) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "%s", err);
		goto out;
	}
	snprintf(r.rundir, sizeof(r.rundir), "/tmp/cvmio-run-XXXXXX");
	if (!mkdtemp(r.rundir)) {
		rc = cvmio_error(CVMIO_EXIT_ENV, "run", "cannot create a folder in /tmp: %s", strerror(errno));
		close(lock);
		goto out;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	char *check_argv[] = { self, (char *)"check", (char *)"--host", (char *)"--json", NULL };
	r.host_check = n > 0 ? proc_output(check_argv, 30) : NULL;

	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	r.t0 = now_ms();
	r.total = todo;
	for (size_t e = 0; e < s.engines.n && !r.quiet; e++)
		for (size_t b = 0; b < s.backends.n; b++)
			if (!study_engine_fits(s.engines.v[e], s.backends.v[b]))
				fprintf(stderr, "cvmio run: note: %s cannot drive %s; left out of the plan\n",
					s.engines.v[e], s.backends.v[b]);
	if (!r.quiet)
		fprintf(stderr, "cvmio run: %s: %zu runs to do (%zu done before), results in %s\n", s.name, todo,
			p.n - todo, outdir);
	for (size_t b = 0; b < s.backends.n && !stop_requested; b++)
		run_backend(&r, &p, b);
	rc = summary(&r, todo);
	rmdir(r.rundir);
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
