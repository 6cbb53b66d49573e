// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sampling a QEMU process's host-side cost: CPU time per kind of thread and
 * KVM's exit counters (see host_counters.h for how threads are told apart).
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio.h"
#include "host_counters.h"
#include "qmp.h"

const char *const qemu_thread_kind_names[N_THREAD_KINDS] = { "vcpu", "iothread", "main", "other" };

const char *const kvm_stat_names[N_KVM_STATS] = {
	"exits", "io_exits", "mmio_exits", "halt_exits", "irq_exits", "irq_window_exits",
	"nmi_window_exits", "signal_exits", "request_irq_exits", "hypercalls", "insn_emulation",
};

int task_stat_parse(const char *text, int *tid, char *comm, size_t commlen, int64_t *utime,
		    int64_t *stime)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	size_t n;

	if (!open || !close || close < open || sscanf(text, "%d", tid) != 1)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= commlen)
		n = commlen - 1;
	memcpy(comm, open + 1, n);
	comm[n] = '\0';
	/* after the name: field 3 (state) ... field 14 utime, 15 stime (proc(5)) */
	if (sscanf(close + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %" SCNd64 " %" SCNd64,
		   utime, stime) != 2)
		return -1;
	return 0;
}

static void ids_of(json_object *list, int *out, int *n)
{
	*n = 0;
	for (size_t i = 0; list && json_object_is_type(list, json_type_array) &&
	     i < json_object_array_length(list) && *n < MAX_QEMU_IDS; i++) {
		json_object *tid;

		if (json_object_object_get_ex(json_object_array_get_idx(list, i), "thread-id", &tid))
			out[(*n)++] = json_object_get_int(tid);
	}
}

void qemu_thread_ids_from_qmp(json_object *cpus, json_object *iothreads, struct qemu_thread_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids_of(cpus, ids->vcpu, &ids->n_vcpu);
	ids_of(iothreads, ids->iothread, &ids->n_iothread);
	ids->known = cpus != NULL;
}

static int in_list(int v, const int *list, int n)
{
	for (int i = 0; i < n; i++)
		if (list[i] == v)
			return 1;
	return 0;
}

enum qemu_thread_kind qemu_thread_classify(int tid, int pid, const char *comm,
					   const struct qemu_thread_ids *ids)
{
	if (tid == pid)
		return THREAD_MAIN;
	if (ids && ids->known)
		return in_list(tid, ids->vcpu, ids->n_vcpu) ? THREAD_VCPU :
		       in_list(tid, ids->iothread, ids->n_iothread) ? THREAD_IOTHREAD : THREAD_OTHER;
	/* "CPU 0/KVM", "CPU 1/TCG"; single-threaded TCG runs every vCPU in "ALL CPUs/TCG" */
	if (!strncmp(comm, "CPU ", 4) || !strncmp(comm, "ALL CPUs/", 9))
		return THREAD_VCPU;
	if (!strncmp(comm, "IO ", 3))
		return THREAD_IOTHREAD;
	return THREAD_OTHER;
}

static int stat_index(const char *name)
{
	for (int i = 0; i < N_KVM_STATS; i++)
		if (!strcmp(name, kvm_stat_names[i]))
			return i;
	return -1;
}

/* One StatsResult's "stats" list into sums. */
static int add_stats(json_object *stats, uint64_t sums[N_KVM_STATS], int present[N_KVM_STATS],
		     char *err, size_t errlen)
{
	for (size_t k = 0; k < json_object_array_length(stats); k++) {
		json_object *st = json_object_array_get_idx(stats, k), *name, *value;
		int i;

		if (!json_object_object_get_ex(st, "name", &name) ||
		    !json_object_object_get_ex(st, "value", &value)) {
			snprintf(err, errlen, "query-stats: a Stats entry without name or value");
			return -1;
		}
		i = stat_index(json_object_get_string(name));
		/* histograms (StatsValue lists) are not counters */
		if (i < 0 || !json_object_is_type(value, json_type_int))
			continue;
		sums[i] += json_object_get_uint64(value);
		present[i] = 1;
	}
	return 0;
}

int kvm_stats_sum(json_object *reply, uint64_t sums[N_KVM_STATS], int present[N_KVM_STATS],
		  char *err, size_t errlen)
{
	int n = 0;

	memset(sums, 0, sizeof(uint64_t) * N_KVM_STATS);
	memset(present, 0, sizeof(int) * N_KVM_STATS);
	if (!json_object_is_type(reply, json_type_array)) {
		snprintf(err, errlen, "query-stats: the reply is not a list of StatsResult");
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(reply); i++) {
		json_object *r = json_object_array_get_idx(reply, i), *prov, *stats;

		if (!json_object_object_get_ex(r, "provider", &prov) ||
		    !json_object_object_get_ex(r, "stats", &stats) ||
		    !json_object_is_type(stats, json_type_array)) {
			snprintf(err, errlen, "query-stats: entry %zu lacks provider or stats", i);
			return -1;
		}
		if (strcmp(json_object_get_string(prov), "kvm"))
			continue;
		if (add_stats(stats, sums, present, err, errlen) < 0)
			return -1;
		n++;
	}
	return n;
}

static int qemu_alive(void *arg)
{
	return kill(*(pid_t *)arg, 0) == 0;
}

static json_object *vcpu_stats_args(void)
{
	json_object *a = json_object_new_object(), *provs = json_object_new_array(),
		    *kvm = json_object_new_object();

	json_object_object_add(kvm, "provider", json_object_new_string("kvm"));
	json_object_array_add(provs, kvm);
	json_object_object_add(a, "target", json_object_new_string("vcpu"));
	json_object_object_add(a, "providers", provs);
	return a;
}

/* KVM's statistics, or why there are none. */
static void sample_kvm(struct qmp *q, struct host_sample *s)
{
	char err[256];
	json_object *kvm = qmp_exec(q, "query-kvm", NULL, err, sizeof(err)), *en, *reply;

	s->kvm_enabled = kvm && json_object_object_get_ex(kvm, "enabled", &en) ?
		json_object_get_boolean(en) : -1;
	json_object_put(kvm);
	if (s->kvm_enabled == 0) {
		snprintf(s->kvm_why, sizeof(s->kvm_why),
			 "QEMU does not use KVM (query-kvm: enabled false; TCG): no KVM exits to count");
		return;
	}
	reply = qmp_exec(q, "query-stats", vcpu_stats_args(), err, sizeof(err));
	if (!reply) {
		snprintf(s->kvm_why, sizeof(s->kvm_why), "query-stats failed: %.200s", err);
		return;
	}
	s->kvm_vcpus = kvm_stats_sum(reply, s->kvm, s->kvm_present, err, sizeof(err));
	json_object_put(reply);
	if (s->kvm_vcpus <= 0)
		snprintf(s->kvm_why, sizeof(s->kvm_why), "%s", s->kvm_vcpus < 0 ? err :
			 "query-stats returned no kvm vCPU statistics (kernel without binary stats?)");
	else
		s->kvm_known = 1;
}

static void sample_qmp(pid_t pid, const char *qmp_path, struct host_sample *s,
		       struct qemu_thread_ids *ids)
{
	struct qmp *q = malloc(sizeof(*q));
	char err[256];
	json_object *cpus, *iothreads;

	memset(ids, 0, sizeof(*ids));
	if (!q || qmp_open(q, qmp_path, 5000, qemu_alive, &pid, err, sizeof(err)) < 0) {
		snprintf(s->kvm_why, sizeof(s->kvm_why), "no QMP: %.200s", q ? err : "out of memory");
		free(q);
		return;
	}
	cpus = qmp_exec(q, "query-cpus-fast", NULL, err, sizeof(err));
	iothreads = qmp_exec(q, "query-iothreads", NULL, err, sizeof(err));
	qemu_thread_ids_from_qmp(cpus, iothreads, ids);
	s->ids_from_qmp = ids->known;
	json_object_put(cpus);
	json_object_put(iothreads);
	sample_kvm(q, s);
	qmp_close(q);
	free(q);
}

/* The first field of schedstat: nanoseconds on a CPU (exact, where stat has 10 ms ticks). */
static int64_t read_run_ns(const char *task_dir)
{
	char path[PATH_MAX + 300], *text;
	long long ns;
	int ok;

	snprintf(path, sizeof(path), "%s/schedstat", task_dir);
	text = cvmio_read_file(path);
	ok = text && sscanf(text, "%lld", &ns) == 1;
	free(text);
	return ok ? ns : -1;
}

static int read_task(const char *path, int *tid, char *comm, size_t len, int64_t *u, int64_t *sys)
{
	char *text = cvmio_read_file(path);
	int rc = text ? task_stat_parse(text, tid, comm, len, u, sys) : -1;

	free(text);
	return rc;
}

int host_sample_take(pid_t pid, const char *qmp_path, const char *proc_root, struct host_sample *s,
		     char *err, size_t errlen)
{
	struct qemu_thread_ids ids;
	char path[PATH_MAX], comm[64];
	struct dirent *de;
	DIR *d;
	int tid;

	memset(s, 0, sizeof(*s));
	s->kvm_enabled = -1;
	s->clk_tck = sysconf(_SC_CLK_TCK);
	snprintf(s->kvm_why, sizeof(s->kvm_why), "QMP not asked");
	if (qmp_path)
		sample_qmp(pid, qmp_path, s, &ids);
	else
		memset(&ids, 0, sizeof(ids));
	snprintf(path, sizeof(path), "%s/proc/%d/stat", proc_root, (int)pid);
	if (read_task(path, &tid, comm, sizeof(comm), &s->proc_user, &s->proc_system) < 0) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/proc/%d/task", proc_root, (int)pid);
	d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "cannot list %s", path);
		return -1;
	}
	while ((de = readdir(d)) && s->n_tasks < MAX_QEMU_TASKS) {
		char dir[PATH_MAX + 280], task[PATH_MAX + 300];

		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", path, de->d_name);
		snprintf(task, sizeof(task), "%s/stat", dir);
		/* a thread may end between readdir and read: it is then in proc_* only */
		if (read_task(task, &s->tasks[s->n_tasks].tid, comm, sizeof(comm),
			      &s->tasks[s->n_tasks].user, &s->tasks[s->n_tasks].system) < 0)
			continue;
		s->tasks[s->n_tasks].run_ns = read_run_ns(dir);
		s->tasks[s->n_tasks].kind = qemu_thread_classify(s->tasks[s->n_tasks].tid, (int)pid,
								 comm, &ids);
		s->n_tasks++;
	}
	closedir(d);
	return 0;
}

static int task_index(const struct host_sample *s, int tid)
{
	for (int i = 0; i < s->n_tasks; i++)
		if (s->tasks[i].tid == tid)
			return i;
	return -1;
}

static double ticks_us(int64_t ticks, long clk_tck)
{
	return (double)ticks * 1e6 / (double)clk_tck;
}

static json_object *kinds_json(const int64_t v[N_THREAD_KINDS], long clk_tck)
{
	json_object *o = json_object_new_object();

	for (int k = 0; k < N_THREAD_KINDS; k++)
		json_object_object_add(o, qemu_thread_kind_names[k],
				       json_object_new_double(ticks_us(v[k], clk_tck)));
	return o;
}

static json_object *kvm_delta_json(const struct host_sample *b, const struct host_sample *a)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < N_KVM_STATS; i++)
		if (a->kvm_present[i] && b->kvm_present[i])
			json_object_object_add(o, kvm_stat_names[i],
					       json_object_new_int64((int64_t)(a->kvm[i] - b->kvm[i])));
	return o;
}

void counters_skip(json_object *skipped, const char *what, const char *why)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "what", json_object_new_string(what));
	json_object_object_add(o, "why", json_object_new_string(why));
	json_object_array_add(skipped, o);
}

/* Both samples have every live thread's schedstat. */
static int have_run_ns(const struct host_sample *b, const struct host_sample *a)
{
	for (int i = 0; i < a->n_tasks; i++) {
		int j = task_index(b, a->tasks[i].tid);

		if (a->tasks[i].run_ns < 0 || (j >= 0 && b->tasks[j].run_ns < 0))
			return 0;
	}
	return 1;
}

json_object *host_sample_delta_json(const struct host_sample *b, const struct host_sample *a,
				    json_object *skipped)
{
	int64_t user[N_THREAD_KINDS] = { 0 }, sys[N_THREAD_KINDS] = { 0 }, ticks[N_THREAD_KINDS];
	double run_us[N_THREAD_KINDS] = { 0 };
	int threads[N_THREAD_KINDS] = { 0 }, exact = have_run_ns(b, a);
	json_object *o = json_object_new_object(), *n = json_object_new_object(), *cpu;

	/* a thread born during the run spent all its time in it */
	for (int i = 0; i < a->n_tasks; i++) {
		int j = task_index(b, a->tasks[i].tid);
		enum qemu_thread_kind k = a->tasks[i].kind;

		user[k] += a->tasks[i].user - (j < 0 ? 0 : b->tasks[j].user);
		sys[k] += a->tasks[i].system - (j < 0 ? 0 : b->tasks[j].system);
		run_us[k] += (double)(a->tasks[i].run_ns - (j < 0 ? 0 : b->tasks[j].run_ns)) / 1e3;
		threads[k]++;
	}
	for (int k = 0; k < N_THREAD_KINDS; k++)
		ticks[k] = user[k] + sys[k];
	if (exact) {
		cpu = json_object_new_object();
		for (int k = 0; k < N_THREAD_KINDS; k++)
			json_object_object_add(cpu, qemu_thread_kind_names[k],
					       json_object_new_double(run_us[k]));
	} else {
		cpu = kinds_json(ticks, a->clk_tck);
	}
	json_object_object_add(o, "cpu_us", cpu);
	json_object_object_add(o, "cpu_us_from", json_object_new_string(exact ? "schedstat" : "stat ticks"));
	json_object_object_add(o, "cpu_user_us", kinds_json(user, a->clk_tck));
	json_object_object_add(o, "cpu_system_us", kinds_json(sys, a->clk_tck));
	json_object_object_add(o, "process_cpu_us", json_object_new_double(
		ticks_us(a->proc_user + a->proc_system - b->proc_user - b->proc_system, a->clk_tck)));
	json_object_object_add(o, "tick_us", json_object_new_double(1e6 / (double)a->clk_tck));
	for (int k = 0; k < N_THREAD_KINDS; k++)
		json_object_object_add(n, qemu_thread_kind_names[k], json_object_new_int(threads[k]));
	json_object_object_add(o, "threads", n);
	json_object_object_add(o, "threads_by", json_object_new_string(
		a->ids_from_qmp ? "qmp thread ids" : "thread names"));
	json_object_object_add(o, "kvm_exits", b->kvm_known && a->kvm_known ? kvm_delta_json(b, a) : NULL);
	if (!(b->kvm_known && a->kvm_known))
		counters_skip(skipped, "kvm_exits", a->kvm_known ? b->kvm_why : a->kvm_why);
	return o;
}
