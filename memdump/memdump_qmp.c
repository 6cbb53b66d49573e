// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump-guest-memory over QMP.  The dump goes to a temporary file that is
 * unlinked at once and handed to QEMU with 'getfd' (SCM_RIGHTS), so QEMU needs
 * no path it can write to and no dump is left behind however we exit.
 * QMP speaks one JSON object per line; events may arrive between a command
 * and its reply and are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json.h>

#include "memdump.h"

#define QMP_FDNAME "cvmio-memdump"
#define QMP_TIMEOUT_MS (10 * 60 * 1000) /* a dump of many GiB takes a while */

struct qmp {
	int fd;
	char buf[65536];
	size_t len;
};

static int qmp_connect(struct qmp *q, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "QMP socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	q->len = 0;
	q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (q->fd < 0 || connect(q->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "QMP socket %s: %s", path, strerror(errno));
		if (q->fd >= 0)
			close(q->fd);
		return -1;
	}
	return 0;
}

/* Next JSON object from the socket (caller puts it); NULL + err on failure. */
static json_object *qmp_read(struct qmp *q, char *err, size_t errlen)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);

		if (nl) {
			json_object *o;

			*nl = 0;
			o = json_tokener_parse(q->buf);
			q->len -= (size_t)(nl + 1 - q->buf);
			memmove(q->buf, nl + 1, q->len);
			if (o)
				return o;
			continue; /* blank or partial line: ignore */
		}
		if (q->len == sizeof(q->buf)) {
			snprintf(err, errlen, "QMP: a reply line longer than %zu bytes", sizeof(q->buf));
			return NULL;
		}
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		int r = poll(&p, 1, QMP_TIMEOUT_MS);

		if (r == 0) {
			snprintf(err, errlen, "QMP: no reply within %d s", QMP_TIMEOUT_MS / 1000);
			return NULL;
		}
		ssize_t n = r < 0 ? -1 : read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);

		if (n <= 0) {
			snprintf(err, errlen, "QMP: connection %s",
				 n == 0 ? "closed by QEMU" : strerror(errno));
			return NULL;
		}
		q->len += (size_t)n;
	}
}

/* Send cmd (with fd as SCM_RIGHTS when >= 0) and wait for its reply. */
static int qmp_call(struct qmp *q, const char *cmd, int fd, char *err, size_t errlen)
{
	struct iovec iov = { .iov_base = (void *)cmd, .iov_len = strlen(cmd) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(q->fd, &msg, MSG_NOSIGNAL) != (ssize_t)iov.iov_len) {
		snprintf(err, errlen, "QMP: sending a command: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		json_object *o = qmp_read(q, err, errlen), *v;

		if (!o)
			return -1;
		if (json_object_object_get_ex(o, "return", &v)) {
			json_object_put(o);
			return 0;
		}
		if (json_object_object_get_ex(o, "error", &v)) {
			json_object *desc;
			const char *d = json_object_object_get_ex(v, "desc", &desc) ?
				json_object_get_string(desc) : json_object_to_json_string(v);

			snprintf(err, errlen, "QMP: %s", d);
			json_object_put(o);
			return -1;
		}
		json_object_put(o); /* an event or the greeting */
	}
}

static int temp_file(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	int fd;

	if (!dir)
		dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(path, sizeof(path), "%s/cvmio-memdump-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	unlink(path);
	return fd;
}

int memdump_qmp_dump(const char *qmp_path, const char *dir, char *err, size_t errlen)
{
	struct qmp q;
	json_object *greeting;
	int fd;

	if (qmp_connect(&q, qmp_path, err, errlen))
		return -1;
	greeting = qmp_read(&q, err, errlen);
	if (!greeting || !json_object_object_get_ex(greeting, "QMP", NULL)) {
		if (greeting)
			snprintf(err, errlen, "%s does not greet like QMP", qmp_path);
		json_object_put(greeting);
		close(q.fd);
		return -1;
	}
	json_object_put(greeting);
	fd = temp_file(dir, err, errlen);
	if (fd < 0) {
		close(q.fd);
		return -1;
	}
	if (qmp_call(&q, "{\"execute\":\"qmp_capabilities\"}\n", -1, err, errlen) ||
	    qmp_call(&q, "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"" QMP_FDNAME "\"}}\n",
		     fd, err, errlen) ||
	    qmp_call(&q, "{\"execute\":\"dump-guest-memory\",\"arguments\":"
		     "{\"paging\":false,\"protocol\":\"fd:" QMP_FDNAME "\"}}\n",
		     -1, err, errlen)) {
		close(fd);
		close(q.fd);
		return -1;
	}
	close(q.fd);
	return fd;
}
