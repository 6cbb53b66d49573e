// SPDX-License-Identifier: GPL-2.0-only
/* manifest.json of one (mode, backend) folder (see run_manifest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cvmio.h"
#include "run_manifest.h"

void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

json_object *manifest_open(const char *path, const char *study, const char *mode, const char *backend)
{
	json_object *old = json_object_from_file(path), *m = json_object_new_object(), *v;
	char now[32];

	iso_now(now, sizeof(now));
	json_object_object_add(m, "cvmio_manifest", json_object_new_int(1));
	add_str(m, "study", study);
	add_str(m, "mode", mode);
	add_str(m, "backend", backend);
	json_object_object_add(m, "verified", json_object_new_boolean(0));
	add_str(m, "verification", "not checked yet");
	add_str(m, "started", now);
	add_str(m, "finished", NULL);
	if (old && json_object_object_get_ex(old, "runs", &v) && json_object_is_type(v, json_type_array))
		json_object_object_add(m, "runs", json_object_get(v));
	else
		json_object_object_add(m, "runs", json_object_new_array());
	json_object *prev = json_object_new_array();
	if (old && json_object_object_get_ex(old, "previous_boots", &v) && json_object_is_type(v, json_type_array))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(prev, json_object_get(json_object_array_get_idx(v, i)));
	if (old && json_object_object_get_ex(old, "qemu_argv", NULL)) {
		/* the earlier invocation's boot, as it was */
		json_object *b = json_object_new_object();
		json_object_object_foreach(old, key, val) {
			if (strcmp(key, "runs") && strcmp(key, "previous_boots") && strcmp(key, "cvmio_manifest"))
				json_object_object_add(b, key, json_object_get(val));
		}
		json_object_array_add(prev, b);
	}
	json_object_object_add(m, "previous_boots", prev);
	json_object_put(old);
	return m;
}

void manifest_set(json_object *m, const char *key, json_object *value)
{
	json_object_object_add(m, key, value);
}

void manifest_boot(json_object *m, json_object *qemu_argv, json_object *versions, json_object *host_check,
		   json_object *guest_check, const char *kernel_cmdline, json_object *pins)
{
	json_object *prev;

	if (json_object_object_get_ex(m, "qemu_argv", NULL) && json_object_object_get_ex(m, "previous_boots", &prev)) {
		/* a reboot within this invocation (after a hung or crashed guest) */
		json_object *b = json_object_new_object();
		const char *keys[] = { "qemu_argv", "versions", "guest_check", "guest_check_after_io",
				       "kernel_cmdline", "pins", "booted", "verified", "verification" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			json_object *v;
			if (json_object_object_get_ex(m, keys[i], &v))
				json_object_object_add(b, keys[i], json_object_get(v));
		}
		json_object_array_add(prev, b);
		json_object_object_del(m, "guest_check_after_io");
	}
	char now[32];
	iso_now(now, sizeof(now));
	add_str(m, "booted", now);
	json_object_object_add(m, "qemu_argv", qemu_argv);
	json_object_object_add(m, "versions", versions);
	json_object_object_add(m, "host_check", host_check);
	json_object_object_add(m, "guest_check", guest_check);
	add_str(m, "kernel_cmdline", kernel_cmdline);
	json_object_object_add(m, "pins", pins ? pins : json_object_new_object());
}

void manifest_add_run(json_object *m, const char *relpath, int ok, const char *reason, double seconds)
{
	json_object *runs, *r = json_object_new_object();
	char now[32];

	iso_now(now, sizeof(now));
	add_str(r, "path", relpath);
	add_str(r, "status", ok ? "ok" : "failed");
	add_str(r, "reason", reason);
	add_str(r, "finished", now);
	json_object_object_add(r, "seconds", json_object_new_double(seconds));
	if (json_object_object_get_ex(m, "runs", &runs))
		json_object_array_add(runs, r);
	else
		json_object_put(r);
}

void manifest_set_verified(json_object *m, int verified, const char *why)
{
	json_object_object_add(m, "verified", json_object_new_boolean(verified));
	add_str(m, "verification", why);
}

int manifest_write(json_object *m, const char *path)
{
	char *text;
	int rc;

	if (asprintf(&text, "%s\n", json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								     JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		return -1;
	rc = cvmio_write_atomic(path, text);
	free(text);
	return rc;
}

int check_confirms(const char *check_json, const char *protection, char *why, size_t len)
{
	json_object *root, *confirms, *v;
	int ok = 0;

	if (!check_json) {
		snprintf(why, len, "the guest reported no 'cvmio check --guest --json'");
		return 0;
	}
	root = json_tokener_parse(check_json);
	if (!root)
		snprintf(why, len, "the guest's check output is not JSON");
	else if (!json_object_object_get_ex(root, "confirms", &confirms) || !json_object_is_type(confirms, json_type_object))
		snprintf(why, len, "the guest's check has no \"confirms\" object");
	else if (!json_object_object_get_ex(confirms, protection, &v) || !json_object_is_type(v, json_type_boolean))
		snprintf(why, len, "the guest's check says nothing about %s", protection);
	else if (!json_object_get_boolean(v))
		snprintf(why, len, "the guest's check does not confirm %s", protection);
	else {
		ok = 1;
		snprintf(why, len, "the guest's check confirms %s", protection);
	}
	json_object_put(root);
	return ok;
}
