// SPDX-License-Identifier: GPL-2.0-only
/* Which QEMU is this binary?  'BIN --version', bounded by a timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "host_probe.h"
#include "proc.h"

const char *qemu_default_binary(void)
{
	const char *env = getenv("CVMIO_QEMU");

	return env && *env ? env : "qemu-system-x86_64";
}

int qemu_version_parse(const char *s, struct qemu_version *v)
{
	char *end;

	memset(v, 0, sizeof(*v));
	v->major = (int)strtol(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	s = end + 1;
	v->minor = (int)strtol(s, &end, 10);
	if (end == s)
		return -1;
	if (*end == '.') {
		s = end + 1;
		v->micro = (int)strtol(s, &end, 10);
		if (end == s)
			return -1;
	}
	return 0;
}

int qemu_version_cmp(const struct qemu_version *a, const struct qemu_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->micro != b->micro)
		return a->micro < b->micro ? -1 : 1;
	return 0;
}

int qemu_version_of(const char *bin, struct qemu_version *v, char *err, size_t errlen)
{
	char *const argv[] = { (char *)bin, "--version", NULL };
	int status;
	char *out = proc_run(argv, 10, &status);
	const char *p = out ? strstr(out, "version ") : NULL;
	int rc = out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	if (rc == 127) {
		free(out);
		snprintf(err, errlen, "cannot run QEMU '%s' (not found; use --qemu BIN)", bin);
		return -1;
	}
	rc = rc != 0 || !p || qemu_version_parse(p + 8, v) < 0 ? -1 : 0;
	if (rc)
		snprintf(err, errlen, "'%s --version' did not report a QEMU version", bin);
	free(out);
	return rc;
}
