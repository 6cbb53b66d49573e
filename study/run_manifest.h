/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * manifest.json of one (mode, backend) folder: what was booted, how, what the
 * host and guest checks said, whether the mode was verified, and every run
 * with its status (doc/interfaces.md).  Written to a temporary name and
 * renamed, after every run, so an interrupted study leaves a valid manifest.
 */
#ifndef CVMIO_RUN_MANIFEST_H
#define CVMIO_RUN_MANIFEST_H

#include <json.h>

/* A new manifest, carrying over runs and earlier boots from an existing file (resume). */
json_object *manifest_open(const char *path, const char *study, const char *mode, const char *backend);

/* Record a (new) boot: earlier boot facts move to "previous_boots". */
void manifest_boot(json_object *m, json_object *qemu_argv, json_object *versions, json_object *host_check,
		   json_object *guest_check, const char *kernel_cmdline, json_object *pins);

void manifest_add_run(json_object *m, const char *relpath, int ok, const char *reason, double seconds);
void manifest_set_verified(json_object *m, int verified, const char *why);
void manifest_set(json_object *m, const char *key, json_object *value);

/* Write atomically (temporary file + rename).  0 or -1 with errno. */
int manifest_write(json_object *m, const char *path);

/*
 * Does a guest check JSON text confirm mode?  1 yes, 0 no, with a reason
 * naming what was missing.
 */
int check_confirms(const char *check_json, const char *protection, char *why, size_t len);

/* ISO-8601 UTC timestamp of now. */
void iso_now(char *buf, size_t len);

#endif
