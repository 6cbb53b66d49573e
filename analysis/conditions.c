// SPDX-License-Identifier: GPL-2.0-only
/*
 * The conditions of a results folder when none are named (--table backends
 * alone): every folder of DIR that holds at least one backend folder.  A
 * figures folder kept inside DIR (--plot DIR/report) holds only files, so
 * it is not taken for a condition.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "cvmio.h"

static bool is_dir(const char *parent, const char *name)
{
	char path[4200];
	struct stat sb;
	return name[0] != '.' && snprintf(path, sizeof(path), "%s/%s", parent, name) < (int)sizeof(path) &&
	       !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

static bool holds_a_folder(const char *dir, const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	DIR *d = opendir(path);
	if (!d)
		return false;
	bool found = false;
	for (struct dirent *e; !found && (e = readdir(d));)
		found = is_dir(path, e->d_name);
	closedir(d);
	return found;
}

void free_conditions(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int list_conditions(const char *dir, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	struct dirent **ents;
	int count = scandir(dir, &ents, NULL, alphasort);
	if (count < 0)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s: cannot read the results folder: %s", dir,
				   strerror(errno));
	char **out = calloc((size_t)count + 1, sizeof(*out));
	int rc = out ? 0 : CVMIO_EXIT_ENV;
	for (int i = 0; i < count; i++) {
		const char *name = ents[i]->d_name;
		if (!rc && is_dir(dir, name) && holds_a_folder(dir, name)) {
			out[*n] = strdup(name);
			if (!out[(*n)++])
				rc = CVMIO_EXIT_ENV;
		}
		free(ents[i]);
	}
	free(ents);
	if (rc) {
		free_conditions(out, *n);
		*n = 0;
		return cvmio_error(rc, "analyze", "out of memory");
	}
	if (!*n) {
		free(out);
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
				   "%s: no condition folder (expected %s/<condition>/<backend>/)", dir, dir);
	}
	*names = out;
	return 0;
}
