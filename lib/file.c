// SPDX-License-Identifier: GPL-2.0-only
/* Small file helpers the verbs share. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cvmio.h"

char *cvmio_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	/* A text file read up to its end (or a NUL): the whole file. */
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int cvmio_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

int cvmio_write_atomic(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	FILE *f;
	int bad, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	/* a full disk shows in fputs, fflush or fclose: each is checked */
	bad = fputs(text, f) < 0 || fflush(f) != 0;
	e = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad && rename(tmp, path) == 0)
		return 0;
	if (!bad)
		e = errno;
	unlink(tmp);
	errno = e;
	return -1;
}

int cvmio_find_above_exe(int (*accept)(const char *dir, void *ctx), void *ctx)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	/* build/bin/cvmio, build/asan/bin/cvmio, build/X/asan/bin/cvmio: up to 6 levels */
	for (int up = 0; up < 6; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			break;
		*slash = '\0';
		if (accept(*exe ? exe : "/", ctx))
			return 1;
	}
	return 0;
}
