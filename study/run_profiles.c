// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the runner takes from the QEMU profiles instead of knowing it: which
 * modes and backends exist (a profile file each), the protection a mode's
 * guest must show (confirms=), the kernel it boots (guest_kernel=), the
 * device a backend's guest sees (guest_disk=) and whether it has an NVMe
 * char device for cvmio-nvme (nvme_char_disk=).  A profiles folder a user
 * copied and extended therefore works in 'cvmio run' as in 'cvmio qemu'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_decode.h"
#include "cvmio.h"
#include "profile.h"
#include "run_study.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? cvmio_strdup(s) : NULL;
}

static int load(const struct study *s, const char *kind, const char *what, const char *name, int line,
		struct profile *p, char *err, size_t errlen)
{
	char why[1200], known[600];

	if (!profile_load(s->profiles, kind, name, p, why, sizeof(why)))
		return 0;
	profile_names(s->profiles, kind, known, sizeof(known));
	snprintf(err, errlen, "%s:%d: %ss: unknown %s '%s' (%.700s; known in %s: %s)", s->path, line, what, what,
		 name, why, s->profiles, known);
	return -1;
}

static int read_mode(struct study *s, size_t i, int line, char *err, size_t errlen)
{
	struct profile p;
	const char *confirms, *kernel;
	int rc = -1;

	if (load(s, "modes", "mode", s->modes.v[i], line, &p, err, errlen))
		return -1;
	confirms = profile_get(&p, "mode", "confirms");
	kernel = profile_get(&p, "mode", "guest_kernel");
	if (!confirms || check_mode_index(confirms) < 0)
		snprintf(err, errlen, "%s: confirms=%s: expected the protection 'cvmio check --guest' must confirm "
			 "for this mode (plain, bounce, sev, sev-es, sev-snp)", p.path, confirms ? confirms : "(missing)");
	else if (kernel && strcmp(kernel, "vmlinux") && strcmp(kernel, "vmlinuz"))
		snprintf(err, errlen, "%s: guest_kernel=%s: expected vmlinux or vmlinuz", p.path, kernel);
	else {
		s->mode_info[i].confirms = dup_or_null(confirms);
		s->mode_info[i].guest_kernel = dup_or_null(kernel ? kernel : "vmlinux");
		rc = 0;
	}
	profile_free(&p);
	return rc;
}

static int read_backend(struct study *s, size_t i, int line, char *err, size_t errlen)
{
	struct profile p;
	const char *disk;
	int rc = -1;

	if (load(s, "backends", "backend", s->backends.v[i], line, &p, err, errlen))
		return -1;
	disk = profile_get(&p, "backend", "guest_disk");
	if (!disk || !*disk) {
		snprintf(err, errlen, "%s: needs guest_disk= (the device the guest sees, e.g. /dev/vda)", p.path);
	} else {
		s->backend_info[i].disk = dup_or_null(disk);
		s->backend_info[i].char_disk = dup_or_null(profile_get(&p, "backend", "nvme_char_disk"));
		rc = 0;
	}
	profile_free(&p);
	return rc;
}

int study_read_profiles(struct study *s, int modes_line, int backends_line, char *err, size_t errlen)
{
	char dir[4096], why[1000];

	if (profiles_dir_find(s->profiles, dir, sizeof(dir), why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", s->path, why);
		return CVMIO_EXIT_INPUT;
	}
	free(s->profiles);
	s->profiles = dup_or_null(dir);
	s->mode_info = cvmio_calloc(s->modes.n + 1, sizeof(*s->mode_info));
	s->backend_info = cvmio_calloc(s->backends.n + 1, sizeof(*s->backend_info));
	for (size_t i = 0; i < s->modes.n; i++)
		if (read_mode(s, i, modes_line, err, errlen))
			return CVMIO_EXIT_INPUT;
	for (size_t i = 0; i < s->backends.n; i++)
		if (read_backend(s, i, backends_line, err, errlen))
			return CVMIO_EXIT_INPUT;
	return 0;
}

void study_free_profiles(struct study *s)
{
	for (size_t i = 0; s->mode_info && i < s->modes.n; i++) {
		free(s->mode_info[i].confirms);
		free(s->mode_info[i].guest_kernel);
	}
	for (size_t i = 0; s->backend_info && i < s->backends.n; i++) {
		free(s->backend_info[i].disk);
		free(s->backend_info[i].char_disk);
	}
	free(s->mode_info);
	free(s->backend_info);
	s->mode_info = NULL;
	s->backend_info = NULL;
}

int study_engine_fits(const struct study *s, const char *engine, size_t backend)
{
	if (!strcmp(engine, "cvmio-nvme"))
		return s->backend_info[backend].char_disk != NULL;
	return 1;
}

const char *study_guest_target(const struct study *s, size_t backend, const char *engine)
{
	if (s->target)
		return s->target;
	if (!strcmp(engine, "cvmio-nvme"))
		return s->backend_info[backend].char_disk;
	return s->backend_info[backend].disk;
}

const struct study_mode *study_mode_info(const struct study *s, const char *mode)
{
	for (size_t i = 0; i < s->modes.n; i++)
		if (!strcmp(s->modes.v[i], mode))
			return &s->mode_info[i];
	return NULL;
}
