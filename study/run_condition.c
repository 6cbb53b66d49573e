// SPDX-License-Identifier: GPL-2.0-only
/*
 * One condition of a study, a (mode, backend): its manifest, its guests
 * (started, waited for, recorded, verified, stopped; booted again after a
 * failure by run_backend.c) or the fio servers hosts= names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio.h"
#include "cvmio-config.h"
#include "proc.h"
#include "run_manifest.h"
#include "run_runner.h"

void run_record_failed(struct runner *r, const char *what, const char *path)
{
	if (!r->record_failed)
		snprintf(r->record_error, sizeof(r->record_error), "cannot write the %s %.500s: %s", what, path,
			 strerror(errno));
	r->record_failed = 1;
	fprintf(stderr, "%scvmio run: error: cannot write the %s %s: %s\n", r->tty ? "\r\033[K" : "", what, path,
		strerror(errno));
}

int cond_save(struct runner *r, struct condition *c)
{
	if (!manifest_write(c->manifest, c->manifest_path))
		return 0;
	run_record_failed(r, "manifest", c->manifest_path);
	return -1;
}

json_object *json_or_null(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

void cond_stop(struct condition *c)
{
	for (int i = 0; i < c->n_guests; i++)
		guest_stop(&c->guests[i]);
	c->usable = 0;
}

/* Start this condition's guests (not waiting for them). */
int cond_start(struct runner *r, struct condition *c)
{
	const struct study *s = r->s;
	char logdir[PATH_MAX + 8], tag[64], probe[PATH_MAX + 128], err[600];
	int k = 1;

	c->boots++;
	c->usable = 0;
	snprintf(logdir, sizeof(logdir), "%s/logs", c->dir);
	if (cvmio_mkdir_p(logdir)) {
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
		if (guest_start(s, s->modes.v[c->mode], s->backends.v[c->backend], logdir, r->rundir, tag, &r->ports,
				&c->guests[i], err, sizeof(err))) {
			snprintf(c->why, sizeof(c->why), "guest %d: %.500s", i + 1, err);
			cond_stop(c);
			return -1;
		}
	}
	run_note(r, "booting %s/%s (%d guest%s, boot %d)", s->modes.v[c->mode], s->backends.v[c->backend],
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
	char *q = g ? proc_output_line(qemu_argv, 10) : NULL, *f = proc_output_line(fio_argv, 10);

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
	const char *protection = r->s->mode_info[c->mode].confirms;  /* the mode profile's confirms= */
	char why[300] = "", one[300];
	int ok = 1;

	if (!c->n_guests) {
		manifest_set_verified(c->manifest, 0, "servers given by hosts= were not booted by cvmio; mode not checked");
		return;
	}
	for (int i = 0; i < c->n_guests; i++) {
		const char *text = after && after[i] ? after[i] : c->guests[i].boot_check;
		if (!check_confirms(text, protection, one, sizeof(one))) {
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
				run_note(r, "warning: %s/%s guest %d: pinning failed: %s", r->s->modes.v[c->mode],
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
	cond_save(r, c);
}

/* Wait until the guests of all started conditions are ready (or dead, or out of time). */
void conds_wait(struct runner *r, struct condition *conds, size_t n)
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
				run_note(r, "%s/%s ready after %.1f s", r->s->modes.v[c->mode], r->s->backends.v[c->backend],
				     (now_ms() - t0) / 1000.0);
				cond_record_boot(r, c);
			} else {
				pending = 1;
			}
		}
		if (!pending)
			return;
		if (*r->stop || now_ms() > deadline) {
			for (size_t i = 0; i < n; i++) {
				struct condition *c = &conds[i];
				if (c->needed && !c->usable && c->guests[0].pid) {
					snprintf(c->why, sizeof(c->why), *r->stop ? "interrupted while booting"
						 : c->guests[0].agent_ready
						 ? "the guest agent did not answer within %d s (boot_timeout; does the "
						   "image start qemu-guest-agent?)"
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

/*
 * After a failed run: does every guest still answer?  A QEMU that was
 * stopped, or a guest whose kernel hangs, is alive as a process, and fio's
 * client may have given up on it quickly ("timeout on cmd PROBE") rather
 * than hitting the runner's timeout; the next run must not be sent to it.
 * The check service answers in a few seconds even under TCG.
 */
#define RESPONSIVE_TIMEOUT_MS 30000
int cond_responsive(struct condition *c, char *why, size_t len)
{
	for (int i = 0; i < c->n_guests; i++) {
		char *check = guest_fetch_check(&c->guests[i], RESPONSIVE_TIMEOUT_MS);

		if (!check) {
			snprintf(why, len, "guest %d did not answer on its check port within %d s after the failed run (hung?)",
				 i + 1, RESPONSIVE_TIMEOUT_MS / 1000);
			return 0;
		}
		free(check);
	}
	return 1;
}

int cond_alive(void *ctx, char *why, size_t len)
{
	struct condition *c = ctx;

	for (int i = 0; i < c->n_guests; i++)
		if (!guest_alive(&c->guests[i])) {
			snprintf(why, len, "guest %d died during the run: %s", i + 1, c->guests[i].why);
			return 0;
		}
	return 1;
}

void conds_finish(struct runner *r, struct condition *conds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct condition *c = &conds[i];
		if (!c->manifest)
			continue;
		if (c->usable) {
			char **after = cvmio_calloc(c->n_guests + 1, sizeof(*after));
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
		cond_save(r, c);
		cond_stop(c);
	}
}

void conds_free(struct condition *conds, size_t n)
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

void cond_init(struct runner *r, struct condition *c, size_t mode, size_t backend)
{
	const struct study *s = r->s;

	c->mode = mode;
	c->backend = backend;
	c->needed = 1;
	plan_backend_dir(s, r->outdir, mode, backend, c->dir, sizeof(c->dir));
	cvmio_mkdir_p(c->dir);
	snprintf(c->manifest_path, sizeof(c->manifest_path), "%s/manifest.json", c->dir);
	c->manifest = manifest_open(c->manifest_path, s->name, s->modes.v[mode], s->backends.v[backend]);
	if (s->hosts.n) {
		c->n_servers = s->hosts.n;
		c->servers = cvmio_calloc(c->n_servers, sizeof(*c->servers));
		for (size_t i = 0; i < s->hosts.n; i++) {
			c->servers[i] = cvmio_strdup(s->hosts.v[i]);
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
		cond_save(r, c);
		return;
	}
	c->n_guests = s->concurrency;
	c->guests = cvmio_calloc(c->n_guests, sizeof(*c->guests));
	c->n_servers = c->n_guests;
	c->servers = cvmio_calloc(c->n_servers, sizeof(*c->servers));
}

void cond_servers(struct condition *c)
{
	for (int i = 0; i < c->n_guests; i++) {
		free(c->servers[i]);
		if (asprintf(&c->servers[i], "127.0.0.1,%d", c->guests[i].fio_port) < 0)
			abort();
	}
}
