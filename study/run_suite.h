/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark suite in the runner: the study keys (suite=, suite_scale=),
 * the guest's extra devices (the suite image, read-only, and the guest
 * agent's virtio-serial port) and one suite run through the agent.
 */
#ifndef CVMIO_RUN_SUITE_H
#define CVMIO_RUN_SUITE_H

#include <stddef.h>

struct study;
struct qemu_argv;
struct runner;
struct condition;
struct run_item;

/* suite = NAMES (each must be a benchmark file) or suite_scale = smoke|full.  0, or -1 with why. */
int suite_study_key(struct study *s, const char *name, const char *value, char *why, size_t len);

/*
 * What the suite adds to a study's checks (one line in err, or 0): no
 * hosts=, no concurrency > 1, an image to boot from.
 */
int suite_study_check(const struct study *s, char *err, size_t errlen);

/*
 * Append to a composed guest line the suite image (kernel_dir/suite.img or
 * [guest] suite_image=; not with image=, whose own userland runs the agent)
 * and the guest agent's port on agent_sock, with the mode's virtio_props.
 */
int suite_guest_args(const struct study *s, const char *mode, const char *kernel_dir,
		     const char *agent_sock, struct qemu_argv *av, char *err, size_t errlen);

/* One suite run (an enum fio_outcome, as run_one()). */
int run_suite_one(struct runner *r, struct condition *c, const struct run_item *it);

#endif
