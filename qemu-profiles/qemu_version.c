// SPDX-License-Identifier: GPL-2.0-only
/* Which QEMU is this binary?  'BIN --version', bounded by a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_probe.h"

const char *qemu_default_binary(void)
{
	const char *env = getenv("CVMIO_QEMU");

	return env && *env ? env : "qemu-system-x86_64";
}

int qemu_version_parse(const char *s, struct qemu_version *v)
{
	char *end;

	memset(v, 0, sizeof(*v));
	v->major = (int)strtol(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	s = end + 1;
	v->minor = (int)strtol(s, &end, 10);
	if (end == s)
		return -1;
	if (*end == '.') {
		s = end + 1;
		v->micro = (int)strtol(s, &end, 10);
		if (end == s)
			return -1;
	}
	return 0;
}

int qemu_version_cmp(const struct qemu_version *a, const struct qemu_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->micro != b->micro)
		return a->micro < b->micro ? -1 : 1;
	return 0;
}

/* Run argv, collect up to outlen-1 bytes of stdout within timeout_ms; exit status or -1. */
static int capture(char *const argv[], char *out, size_t outlen, int timeout_ms)
{
	int pipefd[2], status = -1;
	size_t used = 0;
	pid_t pid;
	struct timespec start, now;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		n = read(pipefd[0], out + used, outlen - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == outlen - 1)
			break;
	}
	out[used] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int qemu_version_of(const char *bin, struct qemu_version *v, char *err, size_t errlen)
{
	char out[1024];
	char *const argv[] = { (char *)bin, "--version", NULL };
	const char *p;
	int rc = capture(argv, out, sizeof(out), 10000);

	if (rc == 127) {
		snprintf(err, errlen, "cannot run QEMU '%s' (not found; use --qemu BIN)", bin);
		return -1;
	}
	p = strstr(out, "version ");
	if (rc != 0 || !p || qemu_version_parse(p + 8, v) < 0) {
		snprintf(err, errlen, "'%s --version' did not report a QEMU version", bin);
		return -1;
	}
	return 0;
}
