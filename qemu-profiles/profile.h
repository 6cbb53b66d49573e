/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mode and backend profiles: INI files (parsed with inih) under
 * <profiles>/modes/NAME.ini and <profiles>/backends/NAME.ini.  Entries keep
 * their file order, so repeated 'arg =' lines in [args] form an ordered
 * argument list.
 */
#ifndef CVMIO_PROFILE_H
#define CVMIO_PROFILE_H

#include <stddef.h>

struct profile_entry {
	char *section, *key, *value;
	int line;
};

struct profile {
	char path[4096];
	struct profile_entry *entries;
	size_t n, cap;
};

/*
 * Find the profiles folder: explicit (--profiles), else $CVMIO_PROFILES, else
 * the source tree above the running binary, else PREFIX/share/cvmio/qemu-profiles.
 */
int profiles_dir_find(const char *explicit_dir, char *out, size_t outlen, char *err, size_t errlen);

/* Load <dir>/<kind>/<name>.ini; kind is "modes" or "backends".  Unknown keys are errors. */
int profile_load(const char *dir, const char *kind, const char *name, struct profile *p,
		 char *err, size_t errlen);
const char *profile_get(const struct profile *p, const char *section, const char *key);
int profile_get_bool(const struct profile *p, const char *section, const char *key);
void profile_free(struct profile *p);

/* Names (without .ini) in <dir>/<kind>/, sorted, joined by ", " into out. */
void profile_names(const char *dir, const char *kind, char *out, size_t outlen);

#endif
