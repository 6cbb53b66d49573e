// SPDX-License-Identifier: GPL-2.0-only
/* A minimal QMP client: newline-delimited JSON over a unix socket. */
#include <errno.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qmp.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Room for more input: 64 KiB at first, doubling up to QMP_MAX_MSG.  0 or -1. */
static int grow_buf(struct qmp *q)
{
	size_t cap = q->cap ? 2 * q->cap : 1u << 16;
	char *grown;

	if (q->cap >= QMP_MAX_MSG)
		return -1;
	if (cap > QMP_MAX_MSG)
		cap = QMP_MAX_MSG;
	grown = realloc(q->buf, cap);
	if (!grown)
		return -1;
	q->buf = grown;
	q->cap = cap;
	return 0;
}

/* Next complete JSON message, or NULL on timeout/EOF/garbage. */
static json_object *read_msg(struct qmp *q, char *err, size_t errlen)
{
	long deadline = now_ms() + q->timeout_ms;

	for (;;) {
		char *nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		ssize_t n;
		long left;

		if (nl) {
			json_object *msg;

			*nl = '\0';
			msg = json_tokener_parse(q->buf);
			q->len -= (size_t)(nl + 1 - q->buf);
			memmove(q->buf, nl + 1, q->len);
			if (!msg) {
				snprintf(err, errlen, "QMP sent a line that is not JSON");
				return NULL;
			}
			return msg;
		}
		if (q->len == q->cap && grow_buf(q)) {
			snprintf(err, errlen, "QMP message longer than %u bytes", QMP_MAX_MSG);
			return NULL;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			snprintf(err, errlen, "no QMP reply within %d ms", q->timeout_ms);
			return NULL;
		}
		n = read(q->fd, q->buf + q->len, q->cap - q->len);
		if (n <= 0) {
			snprintf(err, errlen, "QEMU closed the QMP socket");
			return NULL;
		}
		q->len += (size_t)n;
	}
}

/* One command and its newline in one send: QEMU may act on "quit" before a late newline. */
static int send_cmd(struct qmp *q, const char *cmd, json_object *args)
{
	json_object *msg = json_object_new_object();
	char *line;
	size_t len, off = 0;
	int rc = 0;

	json_object_object_add(msg, "execute", json_object_new_string(cmd));
	if (args)
		json_object_object_add(msg, "arguments", args);
	if (asprintf(&line, "%s\n", json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN)) < 0) {
		json_object_put(msg);
		return -1;
	}
	len = strlen(line);
	while (off < len) {
		/* MSG_NOSIGNAL: a QEMU that died is an error to report, not a SIGPIPE */
		ssize_t n = send(q->fd, line + off, len - off, MSG_NOSIGNAL);

		if (n <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	free(line);
	json_object_put(msg);
	return rc;
}

json_object *qmp_exec(struct qmp *q, const char *cmd, json_object *args, char *err, size_t errlen)
{
	if (send_cmd(q, cmd, args) < 0) {
		snprintf(err, errlen, "cannot send '%s' to QMP", cmd);
		return NULL;
	}
	for (;;) {
		json_object *msg = read_msg(q, err, errlen), *v, *desc;

		if (!msg)
			return NULL;
		if (json_object_object_get_ex(msg, "return", &v)) {
			json_object_get(v);
			json_object_put(msg);
			return v;
		}
		if (json_object_object_get_ex(msg, "error", &v)) {
			snprintf(err, errlen, "%s",
				 json_object_object_get_ex(v, "desc", &desc) ?
				 json_object_get_string(desc) : "QMP error");
			json_object_put(msg);
			return NULL;
		}
		json_object_put(msg);    /* an event: skip */
	}
}

/* Connect to path, retrying until deadline_ms elapses or alive() says QEMU is gone. */
static int connect_retry(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *),
			 void *arg, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long deadline = now_ms() + deadline_ms;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->timeout_ms = 30000;   /* generous: the 2-core CI box is busy */
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "QMP socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (q->fd < 0) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			return -1;
		}
		if (connect(q->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		close(q->fd);
		q->fd = -1;
		if (!alive(arg)) {
			snprintf(err, errlen, "QEMU exited before its socket %s came up", path);
			return -1;
		}
		if (now_ms() > deadline) {
			snprintf(err, errlen, "socket %s did not come up within %d ms", path,
				 deadline_ms);
			return -1;
		}
		usleep(50 * 1000);
	}
}

int qmp_open(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *), void *arg,
	     char *err, size_t errlen)
{
	json_object *greeting, *r;

	if (connect_retry(q, path, deadline_ms, alive, arg, err, errlen))
		return -1;
	greeting = read_msg(q, err, errlen);
	if (!greeting || !json_object_object_get_ex(greeting, "QMP", NULL)) {
		json_object_put(greeting);
		snprintf(err, errlen, "no QMP greeting on %s", path);
		qmp_close(q);
		return -1;
	}
	json_object_put(greeting);
	r = qmp_exec(q, "qmp_capabilities", NULL, err, errlen);
	if (!r) {
		qmp_close(q);
		return -1;
	}
	json_object_put(r);
	return 0;
}

/*
 * Drop what the channel holds up to the agent's 0xFF sentinel (guest-sync-
 * delimited puts it before its reply), waiting at most deadline.  0 or -1.
 */
static int skip_to_sentinel(struct qmp *q, long deadline, char *err, size_t errlen)
{
	for (;;) {
		char *ff = q->len ? memchr(q->buf, 0xff, q->len) : NULL;
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (ff) {
			q->len -= (size_t)(ff + 1 - q->buf);
			memmove(q->buf, ff + 1, q->len);
			return 0;
		}
		q->len = 0;   /* stale bytes before the sentinel */
		if (!q->cap && grow_buf(q)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			snprintf(err, errlen, "the guest agent did not answer guest-sync within the "
				 "deadline (is qemu-ga running in the guest, on the "
				 "org.qemu.guest_agent.0 port?)");
			return -1;
		}
		n = read(q->fd, q->buf, q->cap);
		if (n <= 0) {
			snprintf(err, errlen, "QEMU closed the guest agent's socket");
			return -1;
		}
		q->len = (size_t)n;
	}
}

int qmp_open_agent(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *),
		   void *arg, char *err, size_t errlen)
{
	long deadline = now_ms() + deadline_ms;
	/* an id this client has not used before: a stale reply cannot match it */
	int64_t id = (int64_t)getpid() << 20 ^ (int64_t)(now_ms() & 0xfffff);
	json_object *args, *r;

	if (connect_retry(q, path, deadline_ms, alive, arg, err, errlen))
		return -1;
	args = json_object_new_object();
	json_object_object_add(args, "id", json_object_new_int64(id));
	if (send_cmd(q, "guest-sync-delimited", args) < 0) {
		snprintf(err, errlen, "cannot send guest-sync-delimited to the guest agent");
		qmp_close(q);
		return -1;
	}
	for (;;) {
		if (skip_to_sentinel(q, deadline, err, errlen))
			break;
		q->timeout_ms = (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 1);
		r = read_msg(q, err, errlen);
		if (!r)
			break;
		if (json_object_object_get_ex(r, "return", &args) &&
		    json_object_get_int64(args) == id) {
			json_object_put(r);
			q->timeout_ms = 30000;
			return 0;
		}
		json_object_put(r);   /* an earlier client's reply */
	}
	qmp_close(q);
	return -1;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	free(q->buf);
	q->buf = NULL;
	q->len = q->cap = 0;
}
