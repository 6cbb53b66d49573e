// SPDX-License-Identifier: GPL-2.0-only
/* Child processes (see proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void redirect(int fd, const char *path, int flags)
{
	int f = open(path ? path : "/dev/null", flags, 0644);

	if (f < 0)
		_exit(127);
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
}

pid_t proc_spawn(char *const argv[], char *const env[], const char *out_path, const char *err_path)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid)
		return pid;
	/* child: own process group, die with the runner */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	redirect(0, NULL, O_RDONLY);
	redirect(1, out_path, O_WRONLY | O_CREAT | O_APPEND);
	redirect(2, err_path, O_WRONLY | O_CREAT | O_APPEND);
	for (; env && *env; env++)
		putenv(*env);
	execvp(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int proc_exited(pid_t pid, int *status)
{
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);

	if (r == pid || (r < 0 && errno == ECHILD)) {
		if (status)
			*status = r == pid ? st : 0;
		return 1;
	}
	return 0;
}

void proc_stop(pid_t pid, int grace_ms)
{
	long long deadline = now_ms() + grace_ms;

	if (pid <= 0 || proc_exited(pid, NULL))
		return;
	kill(pid, SIGTERM);
	while (now_ms() < deadline) {
		if (proc_exited(pid, NULL))
			return;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int proc_wait(pid_t pid, int timeout_ms, int *status)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		if (proc_exited(pid, status))
			return 1;
		if (now_ms() >= deadline)
			break;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

/* The whole of a (small) file, "" for an empty one; NULL when it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0, len = 0, n;
	char chunk[4096], *buf = NULL;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf ? buf : strdup("");
}

char *proc_run(char *const argv[], int timeout_s, int *status)
{
	char path[] = "/tmp/cvmio-out-XXXXXX";
	int fd = mkstemp(path);
	char *buf = NULL;

	*status = -1;
	if (fd < 0)
		return NULL;
	close(fd);
	pid_t pid = proc_spawn(argv, NULL, path, NULL);
	if (pid > 0 && proc_wait(pid, timeout_s * 1000, status))
		buf = slurp(path);
	else
		*status = -1;
	unlink(path);
	return buf;
}

char *proc_output(char *const argv[], int timeout_s)
{
	int status;
	char *out = proc_run(argv, timeout_s, &status);

	if (out && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		free(out);
		out = NULL;
	}
	return out;
}

char *proc_output_line(char *const argv[], int timeout_s)
{
	char *out = proc_output(argv, timeout_s);

	if (out)
		out[strcspn(out, "\n")] = '\0';
	return out;
}

void proc_describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "wait status %d", status);
}
