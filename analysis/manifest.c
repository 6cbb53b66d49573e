// SPDX-License-Identifier: GPL-2.0-only
/*
 * The study runner's manifest.json says whether a result was measured in
 * the guest mode it claims (doc/interfaces.md).  The nearest manifest at or
 * above a result's folder, up to the backend folder, applies; results
 * without one come from elsewhere and are analyzed but flagged.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

/* A string member at o[key] (o may be NULL) into out; -1 when present but neither string nor null. */
static int opt_string(struct json_object *o, const char *where, const char *key, char *out, size_t len,
		      const char *path, char *err, size_t errlen)
{
	struct json_object *v;
	out[0] = '\0';
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "%s: field '%s%s%s' is not a string", path, where, where[0] ? "." : "", key);
		return -1;
	}
	snprintf(out, len, "%s", json_object_get_string(v));
	return 0;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* The provenance a manifest records: QEMU argv, versions, the host and guest checks. */
static int read_provenance(struct json_object *m, const char *path, struct manifest_info *info, char *err,
			   size_t errlen)
{
	struct json_object *argv = member(m, "qemu_argv");
	if (argv && !json_object_is_type(argv, json_type_array) && !json_object_is_type(argv, json_type_null)) {
		snprintf(err, errlen, "%s: field 'qemu_argv' is not an array", path);
		return -1;
	}
	info->accel = accel_from_argv(argv);
	struct json_object *versions = member(m, "versions"), *host = member(m, "host_check");
	/* after I/O when the runner checked again (bounce buffers show there), else at boot */
	struct json_object *guest = member(m, "guest_check_after_io");
	if (!guest || json_object_is_type(guest, json_type_null))
		guest = member(m, "guest_check");
	if (opt_string(versions, "versions", "fio", info->fio, sizeof(info->fio), path, err, errlen) ||
	    opt_string(versions, "versions", "guest_kernel", info->guest_kernel, sizeof(info->guest_kernel), path,
		       err, errlen) ||
	    opt_string(host, "host_check", "cpu_model", info->host_cpu, sizeof(info->host_cpu), path, err, errlen))
		return -1;
	if (!info->host_cpu[0] &&
	    opt_string(host, "host_check", "cpu_vendor", info->host_cpu, sizeof(info->host_cpu), path, err, errlen))
		return -1;
	/* guest_check_after_io is a list, one per guest: the first says for them all here */
	if (json_object_is_type(guest, json_type_array))
		guest = json_object_array_length(guest) ? json_object_array_get_idx(guest, 0) : NULL;
	return opt_string(guest, "guest_check", "clocksource", info->clocksource, sizeof(info->clocksource), path,
			  err, errlen);
}

int manifest_from_json(struct json_object *m, const char *path, const char *backend,
		       struct manifest_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	info->state = VERIFY_NONE;
	info->accel = ACCEL_UNKNOWN;
	if (!m || !json_object_is_type(m, json_type_object)) {
		snprintf(err, errlen, "%s: not a valid JSON object", path);
		return -1;
	}
	struct json_object *v;
	if (!json_object_object_get_ex(m, "cvmio_manifest", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != 1) {
		snprintf(err, errlen, "%s: not a cvmio manifest (no \"cvmio_manifest\":1)", path);
		return -1;
	}
	if (!json_object_object_get_ex(m, "verified", &v) || !json_object_is_type(v, json_type_boolean)) {
		snprintf(err, errlen, "%s: \"verified\" missing or not a boolean", path);
		return -1;
	}
	enum verification state = json_object_get_boolean(v) ? VERIFY_YES : VERIFY_NO;
	char manifest_backend[256];
	if (opt_string(m, "", "verification", info->reason, sizeof(info->reason), path, err, errlen) ||
	    opt_string(m, "", "mode", info->mode, sizeof(info->mode), path, err, errlen) ||
	    opt_string(m, "", "backend", manifest_backend, sizeof(manifest_backend), path, err, errlen))
		return -1;
	if (manifest_backend[0] && strcmp(manifest_backend, backend)) {
		/* results filed under the wrong backend would be compared with the wrong peers */
		snprintf(err, errlen, "%s: manifest says backend '%s' but lies under backend folder '%s'",
			 path, manifest_backend, backend);
		return -1;
	}
	if (read_provenance(m, path, info, err, errlen))
		return -1;
	info->state = state;
	return 0;
}

static int read_manifest(const char *path, const char *backend, struct manifest_info *info,
			 char *err, size_t errlen)
{
	struct json_object *m = json_object_from_file(path);
	int rc = manifest_from_json(m, path, backend, info, err, errlen);
	json_object_put(m);
	return rc;
}

int manifest_for(const char *dir, const char *stop_dir, const char *condition, const char *backend,
		 char *found_path, size_t found_len, struct manifest_info *info, char *err,
		 size_t errlen)
{
	(void)condition;
	memset(info, 0, sizeof(*info));
	info->state = VERIFY_NONE;
	info->accel = ACCEL_UNKNOWN;
	found_path[0] = '\0';
	char cur[4096];
	if (snprintf(cur, sizeof(cur), "%s", dir) >= (int)sizeof(cur)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	size_t stop_len = strlen(stop_dir);
	for (;;) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/manifest.json", cur);
		if (access(path, F_OK) == 0) {
			snprintf(found_path, found_len, "%s", path);
			return read_manifest(path, backend, info, err, errlen);
		}
		if (strlen(cur) <= stop_len)
			return 0;
		char *slash = strrchr(cur, '/');
		if (!slash || (size_t)(slash - cur) < stop_len)
			return 0;
		*slash = '\0';
	}
}
