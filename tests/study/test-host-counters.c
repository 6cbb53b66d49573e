// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host counters of a QEMU process: /proc task lines recorded from QEMU 10
 * (tests/study/recorded/qemu10-tcg-task-stat.txt: `-name x,debug-threads=on
 * -accel tcg -smp 2 -object iothread,id=iothread0`, one line per thread),
 * thread classification, and query-stats replies written from QEMU's QAPI
 * schema (qapi/stats.json, "Since: 7.1": query-stats returns a list of
 * StatsResult {provider, ?qom-path, stats: [Stats {name, value}]}, a value
 * being a StatsValue alternate of a uint64 scalar or a uint64 list for
 * histograms; QEMU 8 added the "cryptodev" provider) with KVM's x86 vCPU
 * statistic names (exits, io_exits, mmio_exits, halt_exits, irq_exits, ...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host_counters.h"

static char *recorded_line(int n)
{
	static char line[1024];
	FILE *f = fopen("tests/study/recorded/qemu10-tcg-task-stat.txt", "r");

	assert_non_null(f);
	for (int i = 0; i <= n; i++)
		assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	return line;
}

static void task_lines(void **state)
{
	char comm[64];
	int64_t u, s;
	int tid;

	(void)state;
	assert_int_equal(task_stat_parse(recorded_line(0), &tid, comm, sizeof(comm), &u, &s), 0);
	assert_int_equal(tid, 29647);
	assert_string_equal(comm, "qemu-system-x86");
	assert_int_equal(u, 2);
	assert_int_equal(s, 0);
	/* a name with a space and a slash */
	assert_int_equal(task_stat_parse(recorded_line(3), &tid, comm, sizeof(comm), &u, &s), 0);
	assert_int_equal(tid, 29650);
	assert_string_equal(comm, "CPU 0/TCG");
	assert_int_equal(u, 8);
	assert_int_equal(s, 1);
	assert_int_equal(task_stat_parse(recorded_line(2), &tid, comm, sizeof(comm), &u, &s), 0);
	assert_string_equal(comm, "IO iothread0");
	/* a name holding ") S 1" cannot fool the parser: the last ')' ends it */
	assert_int_equal(task_stat_parse("7 (a) S 1 (b)) R 1 1 1 0 -1 0 0 0 0 0 40 50 0 0", &tid, comm,
					 sizeof(comm), &u, &s), 0);
	assert_string_equal(comm, "a) S 1 (b)");
	assert_int_equal(u, 40);
	assert_int_equal(s, 50);
	assert_int_equal(task_stat_parse("garbage", &tid, comm, sizeof(comm), &u, &s), -1);
	assert_int_equal(task_stat_parse("7 (x) S 1 2", &tid, comm, sizeof(comm), &u, &s), -1);
}

static void classify(void **state)
{
	struct qemu_thread_ids ids;
	json_object *cpus = json_tokener_parse(
		"[{\"thread-id\":29650,\"cpu-index\":0,\"target\":\"x86_64\"},"
		"{\"thread-id\":29651,\"cpu-index\":1,\"target\":\"x86_64\"}]");
	json_object *io = json_tokener_parse("[{\"id\":\"iothread0\",\"thread-id\":29649}]");

	(void)state;
	/* by name (debug-threads=on), QMP not asked */
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(qemu_thread_classify(29647, 29647, "qemu-system-x86", &ids), THREAD_MAIN);
	assert_int_equal(qemu_thread_classify(29650, 29647, "CPU 0/TCG", &ids), THREAD_VCPU);
	assert_int_equal(qemu_thread_classify(29650, 29647, "CPU 0/KVM", &ids), THREAD_VCPU);
	assert_int_equal(qemu_thread_classify(9, 29647, "ALL CPUs/TCG", &ids), THREAD_VCPU);
	assert_int_equal(qemu_thread_classify(29649, 29647, "IO iothread0", &ids), THREAD_IOTHREAD);
	assert_int_equal(qemu_thread_classify(29648, 29647, "call_rcu", &ids), THREAD_OTHER);
	/* by QMP's ids: names are all the process's own without debug-threads */
	qemu_thread_ids_from_qmp(cpus, io, &ids);
	assert_int_equal(ids.n_vcpu, 2);
	assert_int_equal(ids.n_iothread, 1);
	assert_int_equal(qemu_thread_classify(29651, 29647, "qemu-system-x86", &ids), THREAD_VCPU);
	assert_int_equal(qemu_thread_classify(29649, 29647, "qemu-system-x86", &ids), THREAD_IOTHREAD);
	assert_int_equal(qemu_thread_classify(29648, 29647, "qemu-system-x86", &ids), THREAD_OTHER);
	assert_int_equal(qemu_thread_classify(29647, 29647, "qemu-system-x86", &ids), THREAD_MAIN);
	/* QMP's lists win over a misleading name */
	assert_int_equal(qemu_thread_classify(29648, 29647, "CPU 7/KVM", &ids), THREAD_OTHER);
	json_object_put(cpus);
	json_object_put(io);
}

/* Two vCPUs of a KVM guest, plus a histogram and a provider we do not read. */
static const char *const kvm_reply =
	"[{\"provider\":\"kvm\",\"qom-path\":\"/machine/unattached/device[0]\",\"stats\":["
	"{\"name\":\"exits\",\"value\":18446744073709550000},"
	"{\"name\":\"io_exits\",\"value\":300},{\"name\":\"mmio_exits\",\"value\":1200},"
	"{\"name\":\"halt_exits\",\"value\":77},{\"name\":\"irq_exits\",\"value\":5},"
	"{\"name\":\"halt_poll_success_hist\",\"value\":[0,3,9,1]},"
	"{\"name\":\"halt_wait_ns\",\"value\":123456789}]},"
	"{\"provider\":\"kvm\",\"qom-path\":\"/machine/unattached/device[2]\",\"stats\":["
	"{\"name\":\"exits\",\"value\":500},{\"name\":\"io_exits\",\"value\":20},"
	"{\"name\":\"mmio_exits\",\"value\":0},{\"name\":\"halt_exits\",\"value\":3},"
	"{\"name\":\"irq_exits\",\"value\":1}]},"
	"{\"provider\":\"cryptodev\",\"qom-path\":\"/objects/cryptodev0\",\"stats\":["
	"{\"name\":\"exits\",\"value\":999}]}]";

static void query_stats(void **state)
{
	uint64_t sums[N_KVM_STATS];
	int present[N_KVM_STATS];
	char err[200];
	json_object *r = json_tokener_parse(kvm_reply);

	(void)state;
	assert_non_null(r);
	assert_int_equal(kvm_stats_sum(r, sums, present, err, sizeof(err)), 2);
	/* uint64 values beyond INT64_MAX stay exact */
	assert_true(sums[KVM_EXITS] == 18446744073709550500ull);
	assert_int_equal(sums[KVM_IO_EXITS], 320);
	assert_int_equal(sums[KVM_MMIO_EXITS], 1200);
	assert_int_equal(sums[KVM_HALT_EXITS], 80);
	assert_int_equal(sums[KVM_IRQ_EXITS], 6);
	assert_int_equal(present[KVM_EXITS], 1);
	assert_int_equal(present[KVM_HYPERCALLS], 0);
	json_object_put(r);
	/* TCG: QEMU 10 answers an empty list (observed) */
	r = json_tokener_parse("[]");
	assert_int_equal(kvm_stats_sum(r, sums, present, err, sizeof(err)), 0);
	json_object_put(r);
	/* not the schema: a clear error */
	r = json_tokener_parse("{\"exits\":1}");
	assert_int_equal(kvm_stats_sum(r, sums, present, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "StatsResult"));
	json_object_put(r);
	r = json_tokener_parse("[{\"provider\":\"kvm\",\"stats\":[{\"value\":3}]}]");
	assert_int_equal(kvm_stats_sum(r, sums, present, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "name"));
	json_object_put(r);
	r = json_tokener_parse("[{\"qom-path\":\"x\",\"stats\":[]}]");
	assert_int_equal(kvm_stats_sum(r, sums, present, err, sizeof(err)), -1);
	json_object_put(r);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A proc tree of one process, its times set per phase: the main thread,
 * call_rcu, and three vCPU threads (29650 29651 29652; the iothread 29649 of
 * the recording has ended).  run_ns < 0: no schedstat files.
 */
static void lay_out(const char *root, int64_t vcpu0_u, int64_t main_u, int64_t proc_u, int64_t proc_s,
		    long long vcpu0_ns)
{
	static const int tids[] = { 29647, 29648, 29650, 29651, 29652 };
	char path[512], line[600];

	mkdir(root, 0700);
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/proc/29647", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/proc/29647/task", root);
	mkdir(path, 0700);
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/proc/29647/task/%d", root, tids[i]);
		mkdir(path, 0700);
		snprintf(line, sizeof(line), "%d (%s) S 1 2 3 0 -1 0 0 0 0 0 %lld 1 0 0", tids[i],
			 i == 0 ? "qemu-system-x86" : i == 1 ? "call_rcu" : "CPU 0/TCG",
			 (long long)(i == 0 ? main_u : i == 2 ? vcpu0_u : 0));
		snprintf(path, sizeof(path), "%s/proc/29647/task/%d/stat", root, tids[i]);
		put(path, line);
		if (vcpu0_ns < 0)
			continue;
		/* schedstat: on-CPU ns, wait ns, timeslices */
		snprintf(line, sizeof(line), "%lld 999 7\n", i == 2 ? vcpu0_ns : 1000LL * i);
		snprintf(path, sizeof(path), "%s/proc/29647/task/%d/schedstat", root, tids[i]);
		put(path, line);
	}
	snprintf(line, sizeof(line), "29647 (qemu-system-x86) S 1 2 3 0 -1 0 0 0 0 0 %lld %lld 0 0",
		 (long long)proc_u, (long long)proc_s);
	snprintf(path, sizeof(path), "%s/proc/29647/stat", root);
	put(path, line);
}

static double kind_us(json_object *d, const char *group, const char *kind)
{
	json_object *g, *v;

	assert_true(json_object_object_get_ex(d, group, &g));
	assert_true(json_object_object_get_ex(g, kind, &v));
	return json_object_get_double(v);
}

static void deltas(void **state)
{
	char root[] = "/tmp/cvmio-host-XXXXXX", err[200], cmd[600];
	struct host_sample *a = calloc(2, sizeof(*a)), *b = a + 1;
	json_object *skipped = json_object_new_array(), *d, *v;
	double tick;

	(void)state;
	assert_non_null(mkdtemp(root));
	lay_out(root, 100, 10, 500, 40, -1);
	assert_int_equal(host_sample_take(29647, NULL, root, b, err, sizeof(err)), 0);
	assert_int_equal(b->n_tasks, 5);
	lay_out(root, 160, 13, 600, 45, -1);
	assert_int_equal(host_sample_take(29647, NULL, root, a, err, sizeof(err)), 0);
	tick = 1e6 / (double)b->clk_tck;
	d = host_sample_delta_json(b, a, skipped);
	/* no schedstat: clock ticks; each task's stime stays 1 */
	json_object_object_get_ex(d, "cpu_us_from", &v);
	assert_string_equal(json_object_get_string(v), "stat ticks");
	assert_int_equal((long long)kind_us(d, "cpu_us", "vcpu"), (long long)(60 * tick));
	assert_int_equal((long long)kind_us(d, "cpu_us", "main"), (long long)(3 * tick));
	assert_int_equal((long long)kind_us(d, "cpu_us", "iothread"), 0);
	assert_int_equal((long long)kind_us(d, "cpu_us", "other"), 0);
	assert_int_equal((long long)kind_us(d, "cpu_user_us", "vcpu"), (long long)(60 * tick));
	assert_int_equal((long long)kind_us(d, "cpu_system_us", "vcpu"), 0);
	/* the whole process: 100 user + 5 system ticks more */
	json_object_object_get_ex(d, "process_cpu_us", &v);
	assert_int_equal((long long)json_object_get_double(v), (long long)(105 * tick));
	json_object_object_get_ex(d, "threads", &v);
	assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			    "{\"vcpu\":3,\"iothread\":0,\"main\":1,\"other\":1}");
	json_object_object_get_ex(d, "threads_by", &v);
	assert_string_equal(json_object_get_string(v), "thread names");
	/* QMP not asked: the KVM exits are skipped with the reason */
	json_object_object_get_ex(d, "kvm_exits", &v);
	assert_null(v);
	assert_int_equal(json_object_array_length(skipped), 1);
	assert_non_null(strstr(json_object_to_json_string(skipped), "QMP not asked"));
	json_object_put(d);

	/* with schedstat: exact nanoseconds (vCPU 0 ran 2.5 ms more) */
	lay_out(root, 100, 10, 500, 40, 1000000);
	assert_int_equal(host_sample_take(29647, NULL, root, b, err, sizeof(err)), 0);
	lay_out(root, 160, 13, 600, 45, 3500000);
	assert_int_equal(host_sample_take(29647, NULL, root, a, err, sizeof(err)), 0);
	d = host_sample_delta_json(b, a, skipped);
	json_object_object_get_ex(d, "cpu_us_from", &v);
	assert_string_equal(json_object_get_string(v), "schedstat");
	assert_int_equal((long long)kind_us(d, "cpu_us", "vcpu"), 2500);
	assert_int_equal((long long)kind_us(d, "cpu_us", "main"), 0);
	json_object_put(d);

	assert_int_equal(host_sample_take(1, NULL, "/nonexistent", a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/proc/1/stat"));
	json_object_put(skipped);
	free(a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(task_lines), cmocka_unit_test(classify),
		cmocka_unit_test(query_stats), cmocka_unit_test(deltas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
