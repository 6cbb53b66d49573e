/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The composer's resolved plan: request + profiles + defaults, shared by the
 * argv composer, the libvirt XML writer and --check.
 */
#ifndef CVMIO_COMPOSE_INT_H
#define CVMIO_COMPOSE_INT_H

#include <limits.h>
#include <stdio.h>
#include <stdbool.h>

#include "compose.h"
#include "host_probe.h"
#include "profile.h"

struct qemu_plan {
	const struct qemu_request *req;
	char profiles_dir[PATH_MAX];
	struct profile mode, backend;
	const char *qemu;          /* binary */
	char qemu_chosen[PATH_MAX];/* a private QEMU chosen for the mode's min_qemu (qemu_select.c) */
	const char *accel;         /* kvm or tcg */
	char accel_reason[256];    /* why accel was chosen when it was not given */
	char cpu[64];
	char mem[32];
	int smp, queues;
	const char *aio;           /* file/device/blkdebug backing */
	const char *backing;       /* file, device, null or blkdebug */
	const char *blkdebug_config;
	const char *null_size;
	const char *firmware;      /* NULL = QEMU's default BIOS */
	int cbitpos, reduced_phys_bits;
	bool uses_sev;             /* the mode is a confidential one (has cbitpos) */
	char append[4096];         /* user append + mode's extras */
	char virtio_props[256];    /* ",iommu_platform=on,..." or "" */
	struct qemu_version qemu_version;
	bool kernel_hashes;        /* measured direct boot: kernel-hashes=on */
	char launch_opts[8192];    /* ${launch_options}: ",kernel-hashes=on,id-block=..." or "" */
	char launch_note[1024];    /* for the caller to say (qemu_argv.note; e.g. firmware cannot measure) */
};

int qemu_plan_make(const struct qemu_request *req, struct qemu_plan *plan, char *err, size_t errlen);
void qemu_plan_free(struct qemu_plan *plan);

/* Dynamic argv helpers. */
int qemu_argv_add(struct qemu_argv *av, const char *s);
int qemu_argv_addf(struct qemu_argv *av, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The domain XML equivalent of plan (cvmio qemu --libvirt). */
int qemu_libvirt_write(const struct qemu_plan *plan, FILE *out, char *err, size_t errlen);

/* Validate argv with QEMU under --preconfig + QMP introspection (cvmio qemu --check). */
int qemu_check_argv(const struct qemu_plan *plan, const struct qemu_argv *av, FILE *report,
		    char *err, size_t errlen);

#endif
