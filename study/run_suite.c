// SPDX-License-Identifier: GPL-2.0-only
/*
 * The suite's part of a study file and of a guest's QEMU line (see
 * run_suite.h).  The benchmarks are checked when the study is read, so an
 * unknown one is named with the study file's line before anything boots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "profile.h"
#include "run_suite.h"
#include "run_study.h"
#include "suite.h"

static int add_name(struct strlist *l, const char *name)
{
	char **grown = realloc(l->v, (l->n + 1) * sizeof(*l->v));

	if (!grown)
		return -1;
	l->v = grown;
	l->v[l->n] = strdup(name);
	return l->v[l->n++] ? 0 : -1;
}

static int set_suite(struct study *s, const char *value, char *why, size_t len)
{
	char dir[4096], err[1024], *copy = strdup(value), *save = NULL;
	int rc = 0;

	if (!copy || suite_dir_find(NULL, dir, sizeof(dir), err, sizeof(err))) {
		snprintf(why, len, "suite=: %s", copy ? err : "out of memory");
		free(copy);
		return -1;
	}
	for (char *n = strtok_r(copy, " \t,", &save); n && !rc; n = strtok_r(NULL, " \t,", &save)) {
		struct suite_bench b;

		for (size_t i = 0; i < s->suite.n; i++)
			if (!strcmp(s->suite.v[i], n)) {
				snprintf(why, len, "suite=: '%s' named twice", n);
				rc = -1;
			}
		if (rc)
			break;
		/* every scale's file errors count: a broken file is found now */
		if (suite_load(dir, n, "smoke", &b, err, sizeof(err))) {
			snprintf(why, len, "suite=: %s", err);
			rc = -1;
			break;
		}
		suite_free(&b);
		if (suite_load(dir, n, "full", &b, err, sizeof(err))) {
			snprintf(why, len, "suite=: %s", err);
			rc = -1;
			break;
		}
		suite_free(&b);
		if (add_name(&s->suite, n)) {
			snprintf(why, len, "out of memory");
			rc = -1;
		}
	}
	if (!rc && !s->suite.n) {
		snprintf(why, len, "suite=: no benchmark named");
		rc = -1;
	}
	free(copy);
	return rc;
}

int suite_study_key(struct study *s, const char *name, const char *value, char *why, size_t len)
{
	if (!strcmp(name, "suite"))
		return set_suite(s, value, why, len);
	if (strcmp(value, "smoke") && strcmp(value, "full")) {
		snprintf(why, len, "suite_scale=%s: expected smoke or full", value);
		return -1;
	}
	free(s->suite_scale);
	s->suite_scale = strdup(value);
	return s->suite_scale ? 0 : -1;
}

int suite_study_check(const struct study *s, char *err, size_t errlen)
{
	if (!s->suite.n)
		return 0;
	if (s->hosts.n) {
		snprintf(err, errlen, "suite= runs through the guests' agent: not with hosts=");
		return -1;
	}
	if (s->concurrency > 1) {
		snprintf(err, errlen, "suite= with concurrency=%d: the suite runs in one guest per "
			 "condition", s->concurrency);
		return -1;
	}
	return 0;
}

/* Append one argument (the argv stays NULL-terminated). */
static int push_arg(struct qemu_argv *av, const char *arg)
{
	char **grown = realloc(av->argv, (av->argc + 2) * sizeof(*av->argv));

	if (!grown)
		return -1;
	av->argv = grown;
	av->argv[av->argc] = strdup(arg);
	if (!av->argv[av->argc])
		return -1;
	av->argv[++av->argc] = NULL;
	return 0;
}

/* The mode profile's virtio_props ("" when it has none), for the suite's devices too. */
static int mode_virtio_props(const struct study *s, const char *mode, char *out, size_t len,
			     char *err, size_t errlen)
{
	char dir[4096];
	struct profile p;
	const char *v;

	(void)s;
	if (profiles_dir_find(NULL, dir, sizeof(dir), err, errlen) ||
	    profile_load(dir, "modes", mode, &p, err, errlen))
		return -1;
	v = profile_get(&p, "mode", "virtio_props");
	snprintf(out, len, "%s%s", v && *v ? "," : "", v ? v : "");
	profile_free(&p);
	return 0;
}

int suite_guest_args(const struct study *s, const char *mode, const char *kernel_dir,
		     const char *agent_sock, struct qemu_argv *av, char *err, size_t errlen)
{
	char props[512], image[4096], arg[8192];
	int bad = 0;

	if (mode_virtio_props(s, mode, props, sizeof(props), err, errlen))
		return -1;
	/* After every other device: the disk under test keeps its name (/dev/vda). */
	if (!s->image) {
		if (s->suite_image)
			snprintf(image, sizeof(image), "%s", s->suite_image);
		else
			snprintf(image, sizeof(image), "%s/suite.img", kernel_dir);
		if (access(image, R_OK)) {
			snprintf(err, errlen, "suite image %s missing (make suite-image builds it; or "
				 "[guest] suite_image=)", image);
			return -1;
		}
		if (strchr(image, ',')) {
			snprintf(err, errlen, "suite image path %s: QEMU options cannot take a ','", image);
			return -1;
		}
		snprintf(arg, sizeof(arg), "driver=raw,node-name=cvmio-suite,read-only=on,"
			 "file.driver=file,file.filename=%s", image);
		bad |= push_arg(av, "-blockdev") | push_arg(av, arg) | push_arg(av, "-device");
		snprintf(arg, sizeof(arg), "virtio-blk-pci,drive=cvmio-suite,serial=cvmio-suite%s",
			 props);
		bad |= push_arg(av, arg);
	}
	snprintf(arg, sizeof(arg), "socket,id=cvmio-qga,path=%s,server=on,wait=off", agent_sock);
	bad |= push_arg(av, "-chardev") | push_arg(av, arg) | push_arg(av, "-device");
	snprintf(arg, sizeof(arg), "virtio-serial-pci,id=cvmio-vser%s", props);
	bad |= push_arg(av, arg) | push_arg(av, "-device");
	bad |= push_arg(av, "virtserialport,bus=cvmio-vser.0,chardev=cvmio-qga,"
			"name=org.qemu.guest_agent.0");
	if (bad) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
