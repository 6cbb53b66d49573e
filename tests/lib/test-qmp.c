// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/qmp.c against a peer on the other end of a socketpair, playing QEMU:
 * the reply after events, an error's description, a reply longer than the
 * old 64 KiB buffer, a line longer than QMP_MAX_LINE, a line that is not
 * JSON, a peer that closes or stays silent, and a descriptor passed along.
 * The peer writes its whole script before the client reads (the socket
 * buffer is enlarged for that), so no thread or timing is involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "qmp.h"

struct pair {
	struct qmp q;
	int peer;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];

	assert_non_null(p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	p->q.fd = sv[0];
	p->q.timeout_ms = 2000;
	p->peer = sv[1];
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	qmp_close(&p->q);
	if (p->peer >= 0)
		close(p->peer);
	free(p);
	return 0;
}

static void peer_says(struct pair *p, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = write(p->peer, text + off, len - off);
		assert_true(n > 0);
		off += (size_t)n;
	}
}

/* What the client sent, one line. */
static void peer_heard(struct pair *p, const char *want)
{
	char line[512];
	ssize_t n = read(p->peer, line, sizeof(line) - 1);

	assert_true(n > 0);
	line[n] = '\0';
	assert_string_equal(line, want);
}

static void test_reply_after_events(void **state)
{
	struct pair *p = *state;
	char err[200] = "";

	peer_says(p, "{\"event\":\"RESUME\",\"timestamp\":{}}\r\n\r\n"
		     "{\"event\":\"STOP\"}\n{\"return\":{\"status\":\"running\"}}\n");
	json_object *r = qmp_exec(&p->q, "query-status", NULL, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(json_object_get_string(json_object_object_get(r, "status")), "running");
	json_object_put(r);
	peer_heard(p, "{\"execute\":\"query-status\"}\n");
}

static void test_error_description(void **state)
{
	struct pair *p = *state;
	char err[200] = "";
	json_object *args = json_object_new_object();

	json_object_object_add(args, "path", json_object_new_string("/machine"));
	peer_says(p, "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Property 'x' not found\"}}\n");
	assert_null(qmp_exec(&p->q, "qom-get", args, err, sizeof(err)));
	assert_string_equal(err, "Property 'x' not found");
	peer_heard(p, "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"\\/machine\"}}\n");
}

/* A reply of 300,000 bytes (qom-list-properties of a big device is that long). */
static void test_long_reply(void **state)
{
	struct pair *p = *state;
	size_t n = 300000;
	char *line = malloc(n + 64), err[200] = "";
	int sndbuf = 1 << 20;

	assert_non_null(line);
	assert_int_equal(setsockopt(p->peer, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	strcpy(line, "{\"return\":\"");
	memset(line + 11, 'a', n);
	strcpy(line + 11 + n, "\"}\n");
	peer_says(p, line);
	json_object *r = qmp_exec(&p->q, "query-qmp-schema", NULL, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(json_object_get_string_len(r), n);
	json_object_put(r);
	free(line);
}

static void test_line_too_long(void **state)
{
	struct pair *p = *state;
	char chunk[4096], err[200] = "";

	memset(chunk, 'x', sizeof(chunk));
	for (size_t fed = 0; fed <= QMP_MAX_LINE; fed += sizeof(chunk))
		if (qmp_feed(&p->q, chunk, sizeof(chunk))) {
			assert_true(fed + sizeof(chunk) > QMP_MAX_LINE);
			assert_int_equal(qmp_next(&p->q, NULL, err, sizeof(err)), QMP_MSG_NONE);
			return;
		}
	fail_msg("a line longer than QMP_MAX_LINE was accepted");
}

static void test_not_json(void **state)
{
	struct pair *p = *state;
	char err[200] = "";

	peer_says(p, "{\"return\": {}\n");
	assert_null(qmp_exec(&p->q, "stop", NULL, err, sizeof(err)));
	assert_string_equal(err, "QMP sent a line that is not a JSON object");
	peer_says(p, "[1,2]\n");
	assert_null(qmp_exec(&p->q, "stop", NULL, err, sizeof(err)));
	assert_string_equal(err, "QMP sent a line that is not a JSON object");
	peer_says(p, "{\"neither\":1}\n");
	assert_null(qmp_exec(&p->q, "stop", NULL, err, sizeof(err)));
	assert_string_equal(err, "QMP sent an object with none of return, error, event");
}

static void test_peer_closes(void **state)
{
	struct pair *p = *state;
	char err[200] = "";

	peer_says(p, "{\"event\":\"SHUTDOWN\"}\n");
	shutdown(p->peer, SHUT_WR);   /* what a QEMU that exits looks like to the reader */
	assert_null(qmp_exec(&p->q, "quit", NULL, err, sizeof(err)));
	assert_string_equal(err, "QEMU closed the QMP socket");
}

static void test_silence_times_out(void **state)
{
	struct pair *p = *state;
	char err[200] = "";

	p->q.timeout_ms = 100;
	peer_says(p, "{\"return\"");    /* half a reply, then nothing */
	assert_null(qmp_exec(&p->q, "stop", NULL, err, sizeof(err)));
	assert_string_equal(err, "no QMP reply within 100 ms");
}

static void test_fd_passed(void **state)
{
	struct pair *p = *state;
	char err[200] = "", data[256], ctl[CMSG_SPACE(sizeof(int))];
	int fds[2], got;
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };

	assert_int_equal(pipe(fds), 0);
	peer_says(p, "{\"return\":{}}\n");
	json_object *r = qmp_exec_fd(&p->q, "getfd", NULL, fds[1], err, sizeof(err));
	assert_non_null(r);
	json_object_put(r);
	assert_true(recvmsg(p->peer, &mh, 0) > 0);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	assert_non_null(c);
	assert_int_equal(c->cmsg_type, SCM_RIGHTS);
	memcpy(&got, CMSG_DATA(c), sizeof(got));
	/* the descriptor the peer got is the pipe's write end: what it writes arrives */
	assert_int_equal(write(got, "ok", 2), 2);
	assert_int_equal(read(fds[0], data, 2), 2);
	assert_memory_equal(data, "ok", 2);
	close(got);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reply_after_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_description, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silence_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_passed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
