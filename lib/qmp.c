// SPDX-License-Identifier: GPL-2.0-only
/* The QMP client (see qmp.h): newline-delimited JSON over a unix socket. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "proc.h"
#include "qmp.h"

int qmp_feed(struct qmp *q, const char *data, size_t n)
{
	if (n > QMP_MAX_LINE - q->len)
		return -1;
	if (q->len + n > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		char *b;

		while (cap < q->len + n)
			cap *= 2;
		b = realloc(q->buf, cap);
		if (!b)
			return -1;
		q->buf = b;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, data, n);
	q->len += n;
	return 0;
}

static int blank(const char *s)
{
	return !s[strspn(s, " \t\r")];
}

/* What one line of QMP says (the line is NUL-terminated, without its newline). */
static enum qmp_msg classify(const char *line, size_t len, json_object **out, char *err, size_t errlen)
{
	json_object *msg, *v = NULL, *desc;
	enum qmp_msg kind;

	if (strlen(line) != len) {
		snprintf(err, errlen, "QMP sent a line with a NUL byte");
		return QMP_MSG_BAD;
	}
	msg = json_tokener_parse(line);
	if (!msg || !json_object_is_type(msg, json_type_object)) {
		json_object_put(msg);
		snprintf(err, errlen, "QMP sent a line that is not a JSON object");
		return QMP_MSG_BAD;
	}
	if (json_object_object_get_ex(msg, "event", NULL)) {
		kind = QMP_MSG_NONE;        /* the caller skips it */
	} else if (json_object_object_get_ex(msg, "return", &v)) {
		kind = QMP_MSG_RETURN;
	} else if (json_object_object_get_ex(msg, "error", &v)) {
		kind = QMP_MSG_ERROR;
		snprintf(err, errlen, "%s", json_object_object_get_ex(v, "desc", &desc) &&
			 json_object_is_type(desc, json_type_string) ? json_object_get_string(desc) : "QMP error");
		v = NULL;
	} else if (json_object_object_get_ex(msg, "QMP", &v)) {
		kind = QMP_MSG_GREETING;
	} else {
		snprintf(err, errlen, "QMP sent an object with none of return, error, event");
		json_object_put(msg);
		return QMP_MSG_BAD;
	}
	if (out && v)
		*out = json_object_get(v);
	json_object_put(msg);
	return kind;
}

enum qmp_msg qmp_next(struct qmp *q, json_object **out, char *err, size_t errlen)
{
	char *nl;

	if (out)
		*out = NULL;
	while (q->len && (nl = memchr(q->buf, '\n', q->len))) {
		size_t used = (size_t)(nl + 1 - q->buf);
		enum qmp_msg kind = QMP_MSG_NONE;

		*nl = '\0';
		if (!blank(q->buf))
			kind = classify(q->buf, used - 1, out, err, errlen);
		q->len -= used;
		memmove(q->buf, nl + 1, q->len);
		if (kind != QMP_MSG_NONE)
			return kind;
	}
	return QMP_MSG_NONE;
}

/* The next message that is not an event, waiting at most q->timeout_ms for it. */
static enum qmp_msg read_msg(struct qmp *q, json_object **out, char *err, size_t errlen)
{
	long long deadline = now_ms() + q->timeout_ms;
	char chunk[65536];

	for (;;) {
		enum qmp_msg kind = qmp_next(q, out, err, errlen);
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (kind != QMP_MSG_NONE)
			return kind;
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			snprintf(err, errlen, "no QMP reply within %d ms", q->timeout_ms);
			return QMP_MSG_BAD;
		}
		n = read(q->fd, chunk, sizeof(chunk));
		if (n <= 0) {
			snprintf(err, errlen, "QEMU closed the QMP socket%s%s", n ? ": " : "", n ? strerror(errno) : "");
			return QMP_MSG_BAD;
		}
		if (qmp_feed(q, chunk, (size_t)n)) {
			snprintf(err, errlen, "QMP message longer than %u bytes", QMP_MAX_LINE);
			return QMP_MSG_BAD;
		}
	}
}

/* One command and its newline in one send: QEMU may act on "quit" before a late newline. */
static int send_cmd(struct qmp *q, const char *cmd, json_object *args, int fd)
{
	json_object *msg = json_object_new_object();
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
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
	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (off < len) {
		iov.iov_base = line + off;
		iov.iov_len = len - off;
		/* MSG_NOSIGNAL: a QEMU that died is an error to report, not a SIGPIPE */
		ssize_t n = sendmsg(q->fd, &mh, MSG_NOSIGNAL);

		if (n <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
		mh.msg_control = NULL;   /* the descriptor goes with the first bytes only */
		mh.msg_controllen = 0;
	}
	free(line);
	json_object_put(msg);
	return rc;
}

json_object *qmp_exec_fd(struct qmp *q, const char *cmd, json_object *args, int fd, char *err,
			 size_t errlen)
{
	json_object *ret = NULL;

	if (send_cmd(q, cmd, args, fd) < 0) {
		snprintf(err, errlen, "cannot send '%s' to QMP: %s", cmd, strerror(errno));
		return NULL;
	}
	for (;;) {
		enum qmp_msg kind = read_msg(q, &ret, err, errlen);

		if (kind == QMP_MSG_RETURN)
			return ret;
		json_object_put(ret);
		ret = NULL;
		if (kind != QMP_MSG_GREETING)
			return NULL;
		/* a second greeting cannot answer a command: wait for the reply */
	}
}

json_object *qmp_exec(struct qmp *q, const char *cmd, json_object *args, char *err, size_t errlen)
{
	return qmp_exec_fd(q, cmd, args, -1, err, errlen);
}

static int connect_until(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *), void *arg,
			 char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long long deadline = now_ms() + deadline_ms;

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
		int e = errno;
		close(q->fd);
		q->fd = -1;
		if (alive && !alive(arg)) {
			snprintf(err, errlen, "QEMU exited before its QMP socket came up");
			return -1;
		}
		if (now_ms() >= deadline) {
			snprintf(err, errlen, "QMP socket %s: %s%s", path, strerror(e),
				 deadline_ms ? " (waited for it)" : "");
			return -1;
		}
		sleep_ms(50);
	}
}

int qmp_open(struct qmp *q, const char *path, int deadline_ms, int (*alive)(void *), void *arg,
	     char *err, size_t errlen)
{
	json_object *v = NULL, *r;
	enum qmp_msg kind;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->timeout_ms = 30000;   /* generous: the 2-core CI box is busy */
	if (connect_until(q, path, deadline_ms, alive, arg, err, errlen))
		return -1;
	kind = read_msg(q, &v, err, errlen);
	json_object_put(v);
	if (kind != QMP_MSG_GREETING) {
		if (kind != QMP_MSG_BAD)
			snprintf(err, errlen, "%s does not greet like QMP", path);
		qmp_close(q);
		return -1;
	}
	r = qmp_exec(q, "qmp_capabilities", NULL, err, errlen);
	if (!r) {
		qmp_close(q);
		return -1;
	}
	json_object_put(r);
	return 0;
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
