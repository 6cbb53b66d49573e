/* SPDX-License-Identifier: GPL-2.0-only */
/* A minimal QMP client over a unix socket (json-c), every wait bounded. */
#ifndef CVMIO_QMP_H
#define CVMIO_QMP_H

#include <stddef.h>

#include <json.h>

/* The longest message read: a guest agent's guest-exec-status carries up to
 * 16 MiB of output per stream, base64-encoded. */
#define QMP_MAX_MSG (48u << 20)

struct qmp {
	int fd;
	char *buf;        /* grows up to QMP_MAX_MSG */
	size_t len, cap;
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

/*
 * QEMU's guest agent (qemu-ga) on the host side of its virtio-serial port
 * (a -chardev socket): the same JSON protocol without greeting or
 * capabilities.  Connects, then resynchronises with guest-sync-delimited
 * (the channel may hold a stale reply of an earlier client); the agent must
 * answer within deadline_ms.  Then qmp_exec() runs guest-* commands.
 */
int qmp_open_agent(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *),
		   void *arg, char *err, size_t errlen);

#endif
