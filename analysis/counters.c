// SPDX-License-Identifier: GPL-2.0-only
/*
 * rep-N.counters (written by 'cvmio run' beside rep-N.json, format in
 * doc/interfaces.md) -> per-I/O cost metrics of the run: the guest's
 * interrupts, CPU time and context switches, QEMU's CPU time per kind of
 * thread on the host, KVM's exits.  The counters cover the whole fio run, so
 * they belong to a workload only when the run holds exactly one, without
 * ramp_time (the counters see the ramp's I/O, fio's count does not); their
 * "ios" must be the I/Os fio counted, or the ratios would mix two runs.
 * The guests of one run (concurrency=N) are summed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "cvmio.h"

#define COUNTER(m) ((m) - M_COUNTERS_FIRST)

static const char *const counter_names[N_COUNTER_METRICS] = {
	[COUNTER(M_GUEST_IRQS_PER_IO)] = "guest_irqs_per_io",
	[COUNTER(M_GUEST_CPU_US_PER_IO)] = "guest_cpu_us_per_io",
	[COUNTER(M_GUEST_USER_US_PER_IO)] = "guest_user_us_per_io",
	[COUNTER(M_GUEST_SYSTEM_US_PER_IO)] = "guest_system_us_per_io",
	[COUNTER(M_GUEST_IRQ_US_PER_IO)] = "guest_irq_us_per_io",
	[COUNTER(M_GUEST_SOFTIRQ_US_PER_IO)] = "guest_softirq_us_per_io",
	[COUNTER(M_GUEST_CTXSW_PER_IO)] = "guest_ctxsw_per_io",
	[COUNTER(M_HOST_CPU_US_PER_IO)] = "host_cpu_us_per_io",
	[COUNTER(M_HOST_VCPU_US_PER_IO)] = "host_vcpu_us_per_io",
	[COUNTER(M_HOST_IOTHREAD_US_PER_IO)] = "host_iothread_us_per_io",
	[COUNTER(M_HOST_MAIN_US_PER_IO)] = "host_main_us_per_io",
	[COUNTER(M_HOST_OTHER_US_PER_IO)] = "host_other_us_per_io",
	[COUNTER(M_KVM_EXITS_PER_IO)] = "kvm_exits_per_io",
	[COUNTER(M_KVM_IO_EXITS_PER_IO)] = "kvm_io_exits_per_io",
	[COUNTER(M_KVM_MMIO_EXITS_PER_IO)] = "kvm_mmio_exits_per_io",
	[COUNTER(M_KVM_HALT_EXITS_PER_IO)] = "kvm_halt_exits_per_io",
	[COUNTER(M_KVM_IRQ_EXITS_PER_IO)] = "kvm_irq_exits_per_io",
};

const char *counters_metric_name(enum metric m)
{
	return m >= M_COUNTERS_FIRST && m < M_COUNT ? counter_names[COUNTER(m)] : "?";
}

/* Where each metric's count lives in a vms[] entry, summed over the parts listed. */
struct source {
	enum metric m;
	const char *side;          /* "guest" | "host" */
	const char *group;         /* object under side, or NULL for a direct member */
	const char *fields[5];
};

static const struct source sources[] = {
	{ M_GUEST_IRQS_PER_IO, "guest", NULL, { "irqs" } },
	{ M_GUEST_CPU_US_PER_IO, "guest", "cpu_us", { "user", "nice", "system", "irq", "softirq" } },
	{ M_GUEST_USER_US_PER_IO, "guest", "cpu_us", { "user", "nice" } },
	{ M_GUEST_SYSTEM_US_PER_IO, "guest", "cpu_us", { "system" } },
	{ M_GUEST_IRQ_US_PER_IO, "guest", "cpu_us", { "irq" } },
	{ M_GUEST_SOFTIRQ_US_PER_IO, "guest", "cpu_us", { "softirq" } },
	{ M_GUEST_CTXSW_PER_IO, "guest", NULL, { "ctxt" } },
	{ M_HOST_CPU_US_PER_IO, "host", "cpu_us", { "vcpu", "iothread", "main", "other" } },
	{ M_HOST_VCPU_US_PER_IO, "host", "cpu_us", { "vcpu" } },
	{ M_HOST_IOTHREAD_US_PER_IO, "host", "cpu_us", { "iothread" } },
	{ M_HOST_MAIN_US_PER_IO, "host", "cpu_us", { "main" } },
	{ M_HOST_OTHER_US_PER_IO, "host", "cpu_us", { "other" } },
	{ M_KVM_EXITS_PER_IO, "host", "kvm_exits", { "exits" } },
	{ M_KVM_IO_EXITS_PER_IO, "host", "kvm_exits", { "io_exits" } },
	{ M_KVM_MMIO_EXITS_PER_IO, "host", "kvm_exits", { "mmio_exits" } },
	{ M_KVM_HALT_EXITS_PER_IO, "host", "kvm_exits", { "halt_exits" } },
	{ M_KVM_IRQ_EXITS_PER_IO, "host", "kvm_exits", { "irq_exits" } },
};

static bool is_number(json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/*
 * One source over one VM: *sum += its fields.  0 when present, 1 when the VM
 * has no such part (a skipped counter), -1 with err for a value that is not a
 * count >= 0.  Guest CPU is its busy time: not idle, iowait or steal.
 */
static int add_vm(json_object *vm, size_t k, const struct source *src, double *sum, char *err,
		  size_t errlen)
{
	json_object *side, *group, *v;

	if (!json_object_object_get_ex(vm, src->side, &side) || !side)
		return 1;
	group = side;
	if (src->group && (!json_object_object_get_ex(side, src->group, &group) || !group))
		return 1;
	for (int f = 0; f < 5 && src->fields[f]; f++) {
		if (!json_object_object_get_ex(group, src->fields[f], &v))
			return 1;
		if (!is_number(v) || json_object_get_double(v) < 0) {
			snprintf(err, errlen, "field vms[%zu].%s.%s%s%s is not a count >= 0", k, src->side,
				 src->group ? src->group : "", src->group ? "." : "", src->fields[f]);
			return -1;
		}
		*sum += json_object_get_double(v);
	}
	return 0;
}

struct counts {
	double ios;
	double v[N_COUNTER_METRICS];   /* NAN: not in every VM */
};

static int parse_counts(json_object *root, struct counts *c, char *err, size_t errlen)
{
	json_object *v, *vms;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "cvmio_counters", &v) || json_object_get_int(v) != 1) {
		snprintf(err, errlen, "not a cvmio counters file (field cvmio_counters is not 1)");
		return -1;
	}
	if (!json_object_object_get_ex(root, "ios", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) <= 0) {
		snprintf(err, errlen, "field ios is not a count > 0");
		return -1;
	}
	c->ios = (double)json_object_get_int64(v);
	if (!json_object_object_get_ex(root, "vms", &vms) || !json_object_is_type(vms, json_type_array) ||
	    !json_object_array_length(vms)) {
		snprintf(err, errlen, "field vms is not a non-empty list");
		return -1;
	}
	for (size_t s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
		double sum = 0;
		int missing = 0;

		for (size_t k = 0; k < json_object_array_length(vms); k++) {
			int rc = add_vm(json_object_array_get_idx(vms, k), k, &sources[s], &sum, err, errlen);

			if (rc < 0)
				return -1;
			missing |= rc;
		}
		c->v[COUNTER(sources[s].m)] = missing ? NAN : sum / c->ios;
	}
	return 0;
}

bool counters_job_ramped(struct json_object *job_opts, struct json_object *global_opts)
{
	json_object *v = NULL;

	if (!(job_opts && json_object_object_get_ex(job_opts, "ramp_time", &v)) &&
	    !(global_opts && json_object_object_get_ex(global_opts, "ramp_time", &v)))
		return false;
	/* "2", "2s", "500ms": any number above 0 is a ramp, whatever its unit */
	return strtod(json_object_get_string(v), NULL) > 0;
}

static uint64_t job_ios(const struct job_measure *jm)
{
	return jm->dir[DIR_READ].ios + jm->dir[DIR_WRITE].ios;
}

int counters_join(const char *result_path, struct file_result *fr, struct diag *d, char *err,
		  size_t errlen)
{
	char path[4200];
	size_t n = strlen(result_path);
	struct counts c;
	json_object *root;
	char *text;
	int rc;

	if (n < 5 || strcmp(result_path + n - 5, ".json") ||
	    snprintf(path, sizeof(path), "%.*s.counters", (int)(n - 5), result_path) >= (int)sizeof(path))
		return 0;
	text = cvmio_read_file(path);
	if (!text) {
		if (errno == ENOENT)
			return 0;   /* runs from before the counters, or not from 'cvmio run' */
		snprintf(err, errlen, "%s: cannot be read: %s", path, strerror(errno));
		return -1;
	}
	root = json_tokener_parse(text);
	free(text);
	if (!root) {
		snprintf(err, errlen, "%s: not JSON", path);
		return -1;
	}
	char why[300];
	rc = parse_counts(root, &c, why, sizeof(why));
	json_object_put(root);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if (fr->njobs != 1) {
		diag_tally(&d->counters_multi_workload, path);
		return 0;
	}
	if (fr->jobs[0].ramped) {
		diag_tally(&d->counters_ramped, path);
		return 0;
	}
	if ((double)job_ios(&fr->jobs[0]) != c.ios) {
		diag_warn(d, "%s: counts %.0f I/Os, its result %llu; counter metrics left out", path, c.ios,
			  (unsigned long long)job_ios(&fr->jobs[0]));
		return 0;
	}
	fr->jobs[0].has_counters = true;
	memcpy(fr->jobs[0].counters, c.v, sizeof(c.v));
	return 0;
}

bool counters_job_metric(const struct job_measure *jm, enum direction d, enum metric m, double *out)
{
	if (m < M_COUNTERS_FIRST || m >= M_COUNT || !jm->has_counters)
		return false;
	/* per I/O of both directions: on the job's first direction, as the engine metrics */
	if (d == DIR_READ ? !jm->dir[DIR_READ].present : jm->dir[DIR_READ].present)
		return false;
	*out = jm->counters[COUNTER(m)];
	return isfinite(*out);
}
