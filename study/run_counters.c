// SPDX-License-Identifier: GPL-2.0-only
/*
 * rep-N.counters: the guest and host cost counters of one fio run, as
 * differences between a sample taken just before fio's client starts and one
 * just after it ends (so fio's job set-up and ramp_time are inside the
 * interval; the I/O count is fio's, which leaves the ramp out).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio.h"
#include "proc.h"
#include "run_counters.h"
#include "run_fio.h"

static json_object *path_get(json_object *o, const char *a, const char *b, const char *c)
{
	json_object *v = o;

	if (v && a && !json_object_object_get_ex(v, a, &v))
		return NULL;
	if (v && b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	if (v && c && !json_object_object_get_ex(v, c, &v))
		return NULL;
	return v;
}

/* after - before of a counter both have, as a number; 0 and *ok = 0 when either lacks it */
static long long delta(json_object *before, json_object *after, int *ok)
{
	if (!before || !after || !json_object_is_type(before, json_type_int) ||
	    !json_object_is_type(after, json_type_int)) {
		*ok = 0;
		return 0;
	}
	return (long long)(json_object_get_int64(after) - json_object_get_int64(before));
}

/* The name /sys/block knows the target by: /dev/vda -> vda, /dev/ng0n1 -> nvme0n1. */
static void block_name(const char *disk, char *out, size_t len)
{
	const char *base = strrchr(disk, '/') ? strrchr(disk, '/') + 1 : disk;

	if (!strncmp(base, "ng", 2))
		snprintf(out, len, "nvme%s", base + 2);
	else
		snprintf(out, len, "%s", base);
}

static void add_irqs(json_object *g, json_object *cb, json_object *ca, const char *disk,
		     json_object *skipped)
{
	char name[64], why[300];
	json_object *ctrl = path_get(ca, "disks", NULL, NULL);
	const char *controller;
	int ok = 1;
	long long irqs;

	block_name(disk, name, sizeof(name));
	if (!ctrl || !json_object_object_get_ex(ctrl, name, &ctrl)) {
		snprintf(why, sizeof(why), "the guest's /sys/block has no %s on a virtio or NVMe controller",
			 name);
		counters_skip(skipped, "guest_irqs", why);
		return;
	}
	controller = json_object_get_string(ctrl);
	irqs = delta(path_get(cb, "interrupts", controller, "irqs"),
		     path_get(ca, "interrupts", controller, "irqs"), &ok);
	json_object_object_add(g, "controller", json_object_new_string(controller));
	if (!ok) {
		snprintf(why, sizeof(why), "/proc/interrupts names no vector of %s", controller);
		counters_skip(skipped, "guest_irqs", why);
		return;
	}
	json_object_object_add(g, "irqs", json_object_new_int64(irqs));
	json_object_object_add(g, "irq_shared_lines",
			       json_object_get(path_get(ca, "interrupts", controller, "shared_lines")));
}

static void add_cpu(json_object *g, json_object *cb, json_object *ca, json_object *skipped)
{
	static const char *const kinds[] = { "user", "nice", "system", "irq", "softirq", "steal",
					     "idle", "iowait" };
	json_object *cpu = json_object_new_object(), *tck = path_get(ca, "clk_tck", NULL, NULL);
	int ok = tck && json_object_get_int64(tck) > 0;
	long long ctxt;

	for (size_t i = 0; ok && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		long long d = delta(path_get(cb, "cpu_ticks", kinds[i], NULL),
				    path_get(ca, "cpu_ticks", kinds[i], NULL), &ok);

		json_object_object_add(cpu, kinds[i], json_object_new_double(
			(double)d * 1e6 / (double)json_object_get_int64(tck)));
	}
	if (ok) {
		json_object_object_add(g, "cpu_us", cpu);
		json_object_object_add(g, "tick_us", json_object_new_double(
			1e6 / (double)json_object_get_int64(tck)));
	} else {
		json_object_put(cpu);
		counters_skip(skipped, "guest_cpu", "the guest's check has no /proc/stat CPU ticks");
	}
	ok = 1;
	ctxt = delta(path_get(cb, "ctxt", NULL, NULL), path_get(ca, "ctxt", NULL, NULL), &ok);
	if (ok)
		json_object_object_add(g, "ctxt", json_object_new_int64(ctxt));
	else
		counters_skip(skipped, "guest_ctxt", "the guest's check has no /proc/stat ctxt");
}

static void add_swiotlb(json_object *g, json_object *cb, json_object *ca)
{
	json_object *sw = json_object_new_object(), *note;

	json_object_object_add(sw, "used_slots_before",
			       json_object_get(path_get(cb, "swiotlb", "used_slots", NULL)));
	json_object_object_add(sw, "used_slots_after",
			       json_object_get(path_get(ca, "swiotlb", "used_slots", NULL)));
	json_object_object_add(sw, "hiwater_slots_after",
			       json_object_get(path_get(ca, "swiotlb", "hiwater_slots", NULL)));
	json_object_object_add(sw, "slot_bytes",
			       json_object_get(path_get(ca, "swiotlb", "slot_bytes", NULL)));
	json_object_object_add(sw, "bounced_bytes", NULL);
	note = path_get(ca, "swiotlb", "bounced_bytes_note", NULL);
	json_object_object_add(sw, "bounced_bytes_note", json_object_get(note));
	json_object_object_add(g, "swiotlb", sw);
}

json_object *guest_counters_delta(json_object *before, json_object *after, const char *disk,
				  json_object *skipped)
{
	json_object *cb = path_get(before, "counters", NULL, NULL),
		    *ca = path_get(after, "counters", NULL, NULL), *g;

	if (!cb || !ca) {
		counters_skip(skipped, "guest", "the guest's check has no counters (appliance older than cvmio's?)");
		return NULL;
	}
	g = json_object_new_object();
	add_irqs(g, cb, ca, disk, skipped);
	add_cpu(g, cb, ca, skipped);
	add_swiotlb(g, cb, ca);
	return g;
}

static long long job_ios(json_object *job)
{
	static const char *const dirs[] = { "read", "write", "trim" };
	long long n = 0;

	for (int d = 0; d < 3; d++) {
		json_object *v = path_get(job, dirs[d], "total_ios", NULL);

		n += v ? json_object_get_int64(v) : 0;
	}
	return n;
}

long long fio_result_ios(const char *path)
{
	json_object *root = fio_output_parse(path), *jobs;
	long long n = -1;

	if (root && (json_object_object_get_ex(root, "client_stats", &jobs) ||
		     json_object_object_get_ex(root, "jobs", &jobs))) {
		n = 0;
		for (size_t i = 0; i < json_object_array_length(jobs); i++) {
			json_object *job = json_object_array_get_idx(jobs, i), *name;

			/* fio --client adds the sum of several servers as one more entry */
			if (json_object_object_get_ex(job, "jobname", &name) &&
			    !strcmp(json_object_get_string(name), "All clients"))
				continue;
			n += job_ios(job);
		}
	}
	json_object_put(root);
	return n;
}

void run_counters_begin(struct run_counters *rc, struct guest *guests, int n)
{
	memset(rc, 0, sizeof(*rc));
	rc->n = n;
	if (!n)
		return;
	rc->guest_before = calloc((size_t)n, sizeof(*rc->guest_before));
	rc->host_before = calloc((size_t)n, sizeof(*rc->host_before));
	rc->host_ok = calloc((size_t)n, sizeof(*rc->host_ok));
	rc->host_why = calloc((size_t)n, sizeof(*rc->host_why));
	if (!rc->guest_before || !rc->host_before || !rc->host_ok || !rc->host_why)
		abort();
	/* the guest first: its check's own vCPU time then falls outside the host's interval */
	for (int i = 0; i < n; i++) {
		rc->guest_before[i] = guest_fetch_check(&guests[i], 10000);
		rc->host_ok[i] = host_sample_take(guests[i].pid, guests[i].qmp, "", &rc->host_before[i],
						  rc->host_why[i], sizeof(rc->host_why[i])) == 0;
	}
	rc->t0_ms = now_ms();
}

static json_object *one_vm(struct run_counters *rc, struct guest *g, int i, const char *disk,
			   json_object *skipped)
{
	json_object *vm = json_object_new_object(), *b = NULL, *a = NULL, *gd = NULL, *hd = NULL;
	struct host_sample *hs = malloc(sizeof(*hs));
	char *after, err[256];
	int host_rc;

	if (!hs)
		abort();
	/* the host first: the guest's check (its vCPU time) then falls outside the interval */
	host_rc = rc->host_ok[i] ? host_sample_take(g->pid, g->qmp, "", hs, err, sizeof(err)) : -1;
	after = guest_fetch_check(g, 10000);
	if (rc->guest_before[i])
		b = json_tokener_parse(rc->guest_before[i]);
	if (after)
		a = json_tokener_parse(after);
	if (b && a)
		gd = guest_counters_delta(b, a, disk, skipped);
	else
		counters_skip(skipped, "guest", "the guest's check service did not answer (port 8766)");
	if (!rc->host_ok[i])
		counters_skip(skipped, "host", rc->host_why[i]);
	else if (host_rc < 0)
		counters_skip(skipped, "host", err);
	else
		hd = host_sample_delta_json(&rc->host_before[i], hs, skipped);
	json_object_object_add(vm, "guest", gd);
	json_object_object_add(vm, "host", hd);
	json_object_put(b);
	json_object_put(a);
	free(after);
	free(hs);
	return vm;
}

/* Write text to path through a temporary file and link(): an existing file stays. */
static int write_new(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 32];
	const char *slash = strrchr(path, '/');
	FILE *f;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp", slash ? (int)(slash - path) : 1, slash ? path : ".",
		 slash ? slash + 1 : path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fputc('\n', f) < 0 || fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (link(tmp, path)) {
		snprintf(err, errlen, "cannot store %s: %s (not overwritten)", path, strerror(errno));
		rc = -1;
	}
	unlink(tmp);
	return rc;
}

int run_counters_finish(struct run_counters *rc, struct guest *guests, const char *disk,
			const char *result, const char *path, char *err, size_t errlen)
{
	json_object *o, *vms, *skipped;
	long long ios;
	int ret;

	if (!rc->n)
		return 0;   /* hosts= servers: no QEMU and no check service of ours */
	o = json_object_new_object();
	vms = json_object_new_array();
	skipped = json_object_new_array();
	json_object_object_add(o, "cvmio_counters", json_object_new_int(1));
	json_object_object_add(o, "disk", json_object_new_string(disk));
	json_object_object_add(o, "seconds", json_object_new_double((now_ms() - rc->t0_ms) / 1000.0));
	for (int i = 0; i < rc->n; i++)
		json_object_array_add(vms, one_vm(rc, &guests[i], i, disk, skipped));
	ios = fio_result_ios(result);
	json_object_object_add(o, "ios", ios < 0 ? NULL : json_object_new_int64(ios));
	if (ios < 0)
		counters_skip(skipped, "ios", "the fio result has no jobs to count I/Os in");
	json_object_object_add(o, "vms", vms);
	json_object_object_add(o, "skipped", skipped);
	ret = write_new(path, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), err, errlen);
	json_object_put(o);
	return ret;
}

void run_counters_free(struct run_counters *rc)
{
	for (int i = 0; rc->guest_before && i < rc->n; i++)
		free(rc->guest_before[i]);
	free(rc->guest_before);
	free(rc->host_before);
	free(rc->host_ok);
	free(rc->host_why);
	memset(rc, 0, sizeof(*rc));
}
