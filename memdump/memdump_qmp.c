// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump-guest-memory over QMP.  The dump goes to a temporary file that is
 * unlinked at once and handed to QEMU with 'getfd' (SCM_RIGHTS), so QEMU needs
 * no path it can write to and no dump is left behind however we exit.
 * The QMP client is lib/qmp.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "memdump.h"
#include "qmp.h"

#define QMP_FDNAME "cvmio-memdump"
#define QMP_TIMEOUT_MS (10 * 60 * 1000) /* a dump of many GiB takes a while */

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
	json_object *r, *args;
	int fd;

	if (qmp_open(&q, qmp_path, 0, NULL, NULL, err, errlen))
		return -1;
	q.timeout_ms = QMP_TIMEOUT_MS;
	fd = temp_file(dir, err, errlen);
	if (fd < 0) {
		qmp_close(&q);
		return -1;
	}
	args = json_object_new_object();
	json_object_object_add(args, "fdname", json_object_new_string(QMP_FDNAME));
	r = qmp_exec_fd(&q, "getfd", args, fd, err, errlen);
	if (r) {
		json_object_put(r);
		args = json_object_new_object();
		json_object_object_add(args, "paging", json_object_new_boolean(0));
		json_object_object_add(args, "protocol", json_object_new_string("fd:" QMP_FDNAME));
		r = qmp_exec(&q, "dump-guest-memory", args, err, errlen);
	}
	qmp_close(&q);
	if (!r) {
		close(fd);
		return -1;
	}
	json_object_put(r);
	return fd;
}
