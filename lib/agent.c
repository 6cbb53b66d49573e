// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest-exec starts a process in the guest and returns its pid at once;
 * guest-exec-status is the only way to learn that it ended, so it is asked
 * again and again (every 50 ms at first, backing off to 1 s: short commands
 * return fast, long ones cost one agent round-trip a second).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "base64.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start(struct qmp *q, const char *const *argv, int64_t *pid, char *err, size_t errlen)
{
	json_object *args = json_object_new_object(), *arg = json_object_new_array(), *r, *v;
	char why[512];

	json_object_object_add(args, "path", json_object_new_string(argv[0]));
	for (size_t i = 1; argv[i]; i++)
		json_object_array_add(arg, json_object_new_string(argv[i]));
	json_object_object_add(args, "arg", arg);
	json_object_object_add(args, "capture-output", json_object_new_boolean(1));
	r = qmp_exec(q, "guest-exec", args, why, sizeof(why));
	if (!r) {
		snprintf(err, errlen, "guest agent: guest-exec %s: %s", argv[0], why);
		return -1;
	}
	if (!json_object_object_get_ex(r, "pid", &v)) {
		json_object_put(r);
		snprintf(err, errlen, "guest agent: guest-exec returned no pid");
		return -1;
	}
	*pid = json_object_get_int64(v);
	json_object_put(r);
	return 0;
}

/* One base64 stream of a status reply (absent = empty). */
static int take_stream(json_object *st, const char *key, char **out, size_t *len)
{
	json_object *v;

	if (!json_object_object_get_ex(st, key, &v)) {
		*out = strdup("");
		*len = 0;
		return *out ? 0 : -1;
	}
	*out = base64_decode(json_object_get_string(v), len);
	return *out ? 0 : -1;
}

static int fill_result(json_object *st, struct agent_result *r, char *err, size_t errlen)
{
	json_object *v;

	r->exitcode = json_object_object_get_ex(st, "exitcode", &v) ? json_object_get_int(v) : -1;
	r->signal = json_object_object_get_ex(st, "signal", &v) ? json_object_get_int(v) : 0;
	r->truncated = (json_object_object_get_ex(st, "out-truncated", &v) &&
			json_object_get_boolean(v)) ||
		       (json_object_object_get_ex(st, "err-truncated", &v) &&
			json_object_get_boolean(v));
	if (take_stream(st, "out-data", &r->out, &r->out_len) ||
	    take_stream(st, "err-data", &r->err_out, &r->err_len)) {
		agent_result_free(r);
		snprintf(err, errlen, "guest agent: guest-exec-status output is not base64");
		return -1;
	}
	return 0;
}

int agent_exec(struct qmp *q, const char *const *argv, int wait_s, struct agent_result *r,
	       char *err, size_t errlen)
{
	double t0 = now_s();
	useconds_t pause = 50 * 1000;
	char why[512];
	int64_t pid;

	memset(r, 0, sizeof(*r));
	if (start(q, argv, &pid, err, errlen))
		return -1;
	for (;;) {
		json_object *args = json_object_new_object(), *st, *v;

		json_object_object_add(args, "pid", json_object_new_int64(pid));
		st = qmp_exec(q, "guest-exec-status", args, why, sizeof(why));
		if (!st) {
			snprintf(err, errlen, "guest agent: guest-exec-status: %s", why);
			return -1;
		}
		if (json_object_object_get_ex(st, "exited", &v) && json_object_get_boolean(v)) {
			int rc;

			r->seconds = now_s() - t0;
			rc = fill_result(st, r, err, errlen);
			json_object_put(st);
			return rc;
		}
		json_object_put(st);
		if (now_s() - t0 > wait_s) {
			snprintf(err, errlen, "guest agent: %s (pid %lld in the guest) still running "
				 "after %d s", argv[0], (long long)pid, wait_s);
			return -1;
		}
		usleep(pause);
		if (pause < 1000 * 1000)
			pause *= 2;
	}
}

void agent_result_free(struct agent_result *r)
{
	free(r->out);
	free(r->err_out);
	r->out = r->err_out = NULL;
}
