/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cost counters of one fio run: the guests' (`counters` of their check,
 * from the check service) and QEMU's on the host (host_counters.h), sampled
 * before and after the run and written as rep-N.counters beside rep-N.json:
 *
 *   {"cvmio_counters":1,"disk":"/dev/vda","ios":N,"seconds":S,
 *    "vms":[{"guest":{..deltas..}|null,"host":{..deltas..}|null}, ...],
 *    "skipped":[{"what":..,"why":..}, ...]}
 *
 * (doc/interfaces.md has every field.)  Counters never fail a run: what
 * cannot be sampled is listed in "skipped" with the reason.
 */
#ifndef CVMIO_RUN_COUNTERS_H
#define CVMIO_RUN_COUNTERS_H

#include <json.h>

#include "host_counters.h"
#include "run_guest.h"

struct run_counters {
	int n;                          /* guests sampled (0: hosts= servers, nothing to sample) */
	char **guest_before;            /* check JSON text per guest, or NULL */
	struct host_sample *host_before;
	int *host_ok;
	char (*host_why)[256];
	long long t0_ms;
};

/* Before fio starts: sample each guest and its QEMU. */
void run_counters_begin(struct run_counters *rc, struct guest *guests, int n);

/*
 * After a successful run: sample again and write path (never replacing a file
 * that exists; returns -1 with err then, or when it cannot be written).
 * disk is the target in the guest (/dev/vda, /dev/ng0n1); result the run's fio JSON.
 */
int run_counters_finish(struct run_counters *rc, struct guest *guests, const char *disk,
			const char *result, const char *path, char *err, size_t errlen);
void run_counters_free(struct run_counters *rc);

/*
 * The guest's part from two check JSONs: deltas of the disk's controller's
 * interrupts, the CPU split (us), context switches; swiotlb slots before and
 * after.  What is missing goes to skipped.  Returns NULL when neither check has counters.
 */
json_object *guest_counters_delta(json_object *before, json_object *after, const char *disk,
				  json_object *skipped);

/* I/Os of a fio JSON result (read+write+trim total_ios of its jobs, "All clients" skipped), or -1. */
long long fio_result_ios(const char *path);

#endif
