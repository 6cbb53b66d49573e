// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which QEMU a mode gets when none is named (--qemu, $CVMIO_QEMU): the
 * system's qemu-system-x86_64 when it is new enough for the mode's
 * min_qemu, else the lowest-versioned private QEMU that is -- 'make deps'
 * unpacks them as build/deps/qemu-N/usr/bin/qemu-system-x86_64 (found above
 * the running binary, as the profiles are), installed ones live in
 * PREFIX/lib/cvmio/qemu-N/usr/bin/.  So composing a sev-snp line works
 * on Debian 12, whose own QEMU is 7.2.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio-config.h"
#include "cvmio.h"
#include "host_probe.h"

#define PRIVATE_QEMU "qemu-*/usr/bin/qemu-system-x86_64"

/* Keep path as the choice when it runs, is new enough and lower than the choice so far. */
static void consider(const char *path, const struct qemu_version *need, char *best, size_t len,
		     struct qemu_version *best_v)
{
	struct qemu_version v;
	char why[300];

	if (access(path, X_OK) || qemu_version_of(path, &v, why, sizeof(why)) < 0)
		return;
	if (qemu_version_cmp(&v, need) < 0)
		return;
	if (*best && qemu_version_cmp(&v, best_v) >= 0)
		return;
	snprintf(best, len, "%s", path);
	*best_v = v;
}

static void consider_glob(const char *dir, const struct qemu_version *need, char *best, size_t len,
			  struct qemu_version *best_v)
{
	char pattern[PATH_MAX + 64];
	glob_t g;

	if (snprintf(pattern, sizeof(pattern), "%s/" PRIVATE_QEMU, dir) >= (int)sizeof(pattern))
		return;
	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			consider(g.gl_pathv[i], need, best, len, best_v);
	globfree(&g);
}

struct search {
	const struct qemu_version *need;
	char *best;
	size_t len;
	struct qemu_version best_v;
};

/* DIR/build/deps/qemu-N/ of a source tree above the binary */
static int deps_below(const char *dir, void *ctx)
{
	struct search *s = ctx;
	char deps[PATH_MAX + 16];

	snprintf(deps, sizeof(deps), "%s/build/deps", dir);
	consider_glob(deps, s->need, s->best, s->len, &s->best_v);
	return s->best[0] != '\0';
}

int qemu_select(const char *system_qemu, const struct qemu_version *need, char *out, size_t outlen)
{
	struct search s = { need, out, outlen, { 0 } };
	struct qemu_version v;
	char dir[PATH_MAX + 16], why[300];

	if (qemu_version_of(system_qemu, &v, why, sizeof(why)) == 0 && qemu_version_cmp(&v, need) >= 0)
		return 0;
	*out = '\0';
	if (cvmio_find_above_exe(deps_below, &s))
		return 1;
	snprintf(dir, sizeof(dir), "%s/lib/cvmio", CVMIO_PREFIX);
	consider_glob(dir, need, out, outlen, &s.best_v);
	return 1;
}

int qemu_absolute_path(const char *bin, char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	char cand[PATH_MAX];

	if (strchr(bin, '/')) {
		char *real = realpath(bin, NULL);

		if (!real)
			return -1;
		snprintf(out, outlen, "%s", real);
		free(real);
		return 0;
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		if (len && snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, p, bin) < (int)sizeof(cand) &&
		    access(cand, X_OK) == 0)
			return qemu_absolute_path(cand, out, outlen);
		p += len + (p[len] == ':');
	}
	return -1;
}
