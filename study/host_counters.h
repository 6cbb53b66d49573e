/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-side cost counters of one QEMU process: CPU time per kind of thread
 * (vCPU threads, iothreads, the main loop, the rest) from /proc/PID/task/TID/stat,
 * and KVM's exit counters from QMP query-stats.  The runner samples them
 * before and after each fio run (study/run_counters.c).
 *
 * Which thread is which: QEMU names its threads ("CPU 0/KVM", "CPU 0/TCG",
 * "IO iothread0", "call_rcu"; QEMU 7.2 and 10 alike) only with
 * `-name ...,debug-threads=on`; without it every thread is "qemu-system-x86".
 * So the thread ids QMP reports (query-cpus-fast, query-iothreads) decide,
 * the process id is the main loop, and the names are only the fallback when
 * QMP cannot be asked.
 */
#ifndef CVMIO_HOST_COUNTERS_H
#define CVMIO_HOST_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json.h>

enum qemu_thread_kind { THREAD_VCPU, THREAD_IOTHREAD, THREAD_MAIN, THREAD_OTHER, N_THREAD_KINDS };
extern const char *const qemu_thread_kind_names[N_THREAD_KINDS];   /* vcpu iothread main other */

/*
 * One /proc/PID/task/TID/stat (or /proc/PID/stat) line: the id, the name
 * between the first '(' and the last ')' (it may hold spaces and parentheses),
 * utime and stime (fields 14 and 15, in clock ticks).  0, or -1 when malformed.
 */
int task_stat_parse(const char *text, int *tid, char *comm, size_t commlen, int64_t *utime,
		    int64_t *stime);

#define MAX_QEMU_IDS 256
struct qemu_thread_ids {
	int known;                      /* from QMP */
	int vcpu[MAX_QEMU_IDS], n_vcpu;
	int iothread[MAX_QEMU_IDS], n_iothread;
};

/* The "thread-id"s of query-cpus-fast's and query-iothreads' replies (either may be NULL). */
void qemu_thread_ids_from_qmp(json_object *cpus, json_object *iothreads, struct qemu_thread_ids *ids);

/* By QMP's ids when known, else by the names QEMU gives with debug-threads=on. */
enum qemu_thread_kind qemu_thread_classify(int tid, int pid, const char *comm,
					   const struct qemu_thread_ids *ids);

/* KVM's per-vCPU statistics summed over the vCPUs (names as KVM's binary stats give them). */
enum kvm_stat {
	KVM_EXITS, KVM_IO_EXITS, KVM_MMIO_EXITS, KVM_HALT_EXITS, KVM_IRQ_EXITS,
	KVM_IRQ_WINDOW_EXITS, KVM_NMI_WINDOW_EXITS, KVM_SIGNAL_EXITS, KVM_REQUEST_IRQ_EXITS,
	KVM_HYPERCALLS, KVM_INSN_EMULATION, N_KVM_STATS
};
extern const char *const kvm_stat_names[N_KVM_STATS];

/*
 * Sum a query-stats reply (a list of StatsResult: provider, qom-path, stats of
 * {name, value}; qapi/stats.json) over its provider-"kvm" entries: scalar
 * values of the names above; present[] says which appeared.  Returns the
 * number of vCPU entries summed, or -1 with err when the reply does not
 * follow the schema.
 */
int kvm_stats_sum(json_object *reply, uint64_t sums[N_KVM_STATS], int present[N_KVM_STATS],
		  char *err, size_t errlen);

#define MAX_QEMU_TASKS 512
struct host_sample {
	long clk_tck;
	int64_t proc_user, proc_system;          /* the whole process, exited threads included */
	int n_tasks;
	struct {
		int tid;
		enum qemu_thread_kind kind;
		int64_t user, system;            /* clock ticks, /proc/.../stat */
		int64_t run_ns;                  /* on-CPU ns, /proc/.../schedstat; -1 unknown */
	} tasks[MAX_QEMU_TASKS];
	int ids_from_qmp;                        /* the classification used QMP's ids */
	int kvm_enabled;                         /* query-kvm: 1, 0, -1 unknown */
	int kvm_known;                           /* sums below valid */
	uint64_t kvm[N_KVM_STATS];
	int kvm_present[N_KVM_STATS];
	int kvm_vcpus;
	char kvm_why[256];                       /* why kvm_known is 0 */
};

/*
 * Sample QEMU process pid: its threads' CPU times from proc_root ("" = /proc of
 * this system) and, through the QMP socket qmp_path (NULL = not asked), the
 * thread ids and KVM's statistics.  0, or -1 with err when /proc/PID is unreadable.
 */
int host_sample_take(pid_t pid, const char *qmp_path, const char *proc_root, struct host_sample *s,
		     char *err, size_t errlen);

/*
 * What happened between two samples of one process: {"cpu_us":{kind:us},
 * "cpu_us_from":"schedstat"|"stat ticks","cpu_user_us":{..},"cpu_system_us":{..},
 * "process_cpu_us":us,"threads":{kind:n},"threads_by":..,"kvm_exits":{name:delta}|null};
 * a KVM skip adds {"what":"kvm_exits","why":..} to skipped.  Per kind, only
 * threads alive at the second sample count (one that ended took its time
 * along; process_cpu_us, the whole process's, still has it).
 */
json_object *host_sample_delta_json(const struct host_sample *before, const struct host_sample *after,
				    json_object *skipped);

/* Adds {"what":what,"why":why} to a counters file's "skipped" list. */
void counters_skip(json_object *skipped, const char *what, const char *why);

#endif
