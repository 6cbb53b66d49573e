/* SPDX-License-Identifier: GPL-2.0-only */
/* QEMU's option syntax, as cvmio qemu --check reads a composed line (qemu_opts.c). */
#ifndef CVMIO_QEMU_OPTS_H
#define CVMIO_QEMU_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct qemu_opt {
	const char *name, *value;   /* value NULL for a flag such as -nodefaults */
};

/*
 * argv[1..argc-1] into options (argv[0] is the binary): the count, or -1 with
 * err when there are more than max or an option lacks its value.
 */
int qemu_opts_split(char *const *argv, size_t argc, struct qemu_opt *opts, int max, char *err, size_t errlen);

/*
 * The next item of a key=value list s (',,' a literal comma) into key and val
 * (truncated to their sizes); a bare word is the implied first option: key ""
 * and val the word.  Returns where the next item starts, or NULL at the end.
 */
const char *qemu_opts_next(const char *s, char *key, size_t klen, char *val, size_t vlen);

/* The value of key want in the list, into val: true when present. */
bool qemu_opts_get(const char *list, const char *want, char *val, size_t vlen);

#endif
