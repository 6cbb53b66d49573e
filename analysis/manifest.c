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

#include "analysis.h"

static int read_manifest(const char *path, const char *backend, struct manifest_info *info,
			 char *err, size_t errlen)
{
	struct json_object *m = json_object_from_file(path);
	if (!m || !json_object_is_type(m, json_type_object)) {
		snprintf(err, errlen, "%s: not a valid JSON object", path);
		json_object_put(m);
		return -1;
	}
	int rc = -1;
	struct json_object *v;
	if (!json_object_object_get_ex(m, "cvmio_manifest", &v) || json_object_get_int(v) != 1) {
		snprintf(err, errlen, "%s: not a cvmio manifest (no \"cvmio_manifest\":1)", path);
		goto out;
	}
	if (!json_object_object_get_ex(m, "verified", &v) || !json_object_is_type(v, json_type_boolean)) {
		snprintf(err, errlen, "%s: \"verified\" missing or not a boolean", path);
		goto out;
	}
	info->state = json_object_get_boolean(v) ? VERIFY_YES : VERIFY_NO;
	info->reason[0] = '\0';
	if (json_object_object_get_ex(m, "verification", &v) && json_object_is_type(v, json_type_string))
		snprintf(info->reason, sizeof(info->reason), "%s", json_object_get_string(v));
	info->mode[0] = '\0';
	if (json_object_object_get_ex(m, "mode", &v) && json_object_is_type(v, json_type_string))
		snprintf(info->mode, sizeof(info->mode), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(m, "backend", &v) && json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), backend)) {
		/* results filed under the wrong backend would be compared with the wrong peers */
		snprintf(err, errlen, "%s: manifest says backend '%s' but lies under backend folder '%s'",
			 path, json_object_get_string(v), backend);
		goto out;
	}
	rc = 0;
out:
	json_object_put(m);
	return rc;
}

int manifest_for(const char *dir, const char *stop_dir, const char *condition, const char *backend,
		 char *found_path, size_t found_len, struct manifest_info *info, char *err,
		 size_t errlen)
{
	(void)condition;
	info->state = VERIFY_NONE;
	info->reason[0] = '\0';
	info->mode[0] = '\0';
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
