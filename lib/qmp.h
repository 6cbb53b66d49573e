/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one QMP client of cvmio (the composer's QEMU check, the runner's
 * pinning, memdump's dump-guest-memory): newline-delimited JSON over a unix
 * socket (json-c), every wait bounded.  One policy for all of them:
 *  - each reply must come within q->timeout_ms (set it after qmp_open);
 *  - events (and blank lines) between a command and its reply are skipped;
 *  - a line may be as long as QMP_MAX_LINE (the buffer grows to it: the
 *    replies of qom-list-properties or query-qmp-schema exceed 64 KiB);
 *    a longer one, or one that is not a JSON object, is an error, never a
 *    silently dropped reply.
 */
#ifndef CVMIO_QMP_H
#define CVMIO_QMP_H

#include <stddef.h>

#include <json.h>

#define QMP_MAX_LINE (16u << 20)

struct qmp {
	int fd;
	char *buf;        /* received, not yet parsed bytes */
	size_t len, cap;
	int timeout_ms;   /* per reply */
};

/*
 * Connect (retrying until deadline_ms elapses, while alive(arg) says the
 * QEMU still runs; alive may be NULL), read the greeting, negotiate
 * capabilities.  0, or -1 with err.  Replies then get 30 s each.
 */
int qmp_open(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *), void *arg,
	     char *err, size_t errlen);
/*
 * Execute cmd with args (may be NULL; ownership taken).  Returns the "return"
 * member (caller puts it) or NULL with err holding QMP's error description.
 */
json_object *qmp_exec(struct qmp *q, const char *cmd, json_object *args, char *err, size_t errlen);
/* The same, passing fd along (SCM_RIGHTS) as 'getfd' and 'add-fd' expect. */
json_object *qmp_exec_fd(struct qmp *q, const char *cmd, json_object *args, int fd, char *err,
			 size_t errlen);
void qmp_close(struct qmp *q);

/* --- the reply parser, apart from the socket (unit tests and the fuzz harness use it) --- */

/* Append n received bytes: 0, or -1 when the unparsed text would pass QMP_MAX_LINE. */
int qmp_feed(struct qmp *q, const char *data, size_t n);

enum qmp_msg {
	QMP_MSG_NONE,      /* no complete line yet */
	QMP_MSG_RETURN,    /* *out: the "return" member */
	QMP_MSG_ERROR,     /* err: QMP's error description */
	QMP_MSG_GREETING,  /* *out: the "QMP" member */
	QMP_MSG_BAD,       /* err: not a JSON object, or one QMP does not send */
};
/* Take the next complete line that is not an event or blank; *out (when set) is the caller's. */
enum qmp_msg qmp_next(struct qmp *q, json_object **out, char *err, size_t errlen);

#endif
