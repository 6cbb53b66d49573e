/* SPDX-License-Identifier: GPL-2.0-only */
/* A minimal QMP client over a unix socket (json-c), every wait bounded. */
#ifndef CVMIO_QMP_H
#define CVMIO_QMP_H

#include <stddef.h>

#include <json.h>

struct qmp {
	int fd;
	char buf[1 << 16];
	size_t len;
	int timeout_ms;   /* per reply */
};

/* Connect (retrying until deadline_ms elapses or alive() returns 0), read the greeting,
 * negotiate capabilities.  0 or -1 with err. */
int qmp_open(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *), void *arg,
	     char *err, size_t errlen);
/*
 * Execute cmd with args (may be NULL; ownership taken).  Returns the "return"
 * member (caller puts it) or NULL with err holding QMP's error description.
 */
json_object *qmp_exec(struct qmp *q, const char *cmd, json_object *args, char *err, size_t errlen);
void qmp_close(struct qmp *q);

#endif
