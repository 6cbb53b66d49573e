// SPDX-License-Identifier: GPL-2.0-only
/*
 * inih as packaged by Debian is built without INI_HANDLER_LINENO, so the
 * lines are counted here, in the reader inih calls for each line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "ini_file.h"

struct ini_ctx {
	FILE *f;
	int lineno;         /* lines read so far */
	bool mid_line;      /* the last chunk ended without a newline */
	int long_line;      /* first line longer than inih takes, or 0 */
	ini_line_handler on_entry;
	void *user;
	bool stopped;       /* on_entry returned 0: its message stands */
};

static char *read_counted_line(char *str, int num, void *stream)
{
	struct ini_ctx *c = stream;
	char *r = fgets(str, num, c->f);

	if (!r)
		return r;
	if (!c->mid_line)
		c->lineno++;
	c->mid_line = !strchr(r, '\n') && !feof(c->f);
	if (c->mid_line && !c->long_line)
		c->long_line = c->lineno;
	return r;
}

static int dispatch(void *user, const char *section, const char *key, const char *value)
{
	struct ini_ctx *c = user;

	if (c->stopped)
		return 0;
	if (!c->on_entry(c->user, section, key, value, c->lineno)) {
		c->stopped = true;
		return 0;
	}
	return 1;
}

int ini_file_parse(const char *path, const char *what, ini_line_handler on_entry, void *user,
		   char *err, size_t errlen)
{
	struct ini_ctx c = { .on_entry = on_entry, .user = user };
	int rc;

	c.f = fopen(path, "r");
	if (!c.f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(read_counted_line, &c, dispatch, &c);
	fclose(c.f);
	if (c.long_line) {
		snprintf(err, errlen, "%s:%d: line longer than %d characters (split it into several "
			 "lines of the same key)", path, c.long_line, INI_MAX_LINE - 2);
		return -1;
	}
	if (c.stopped)
		return -1;
	if (rc != 0) {
		snprintf(err, errlen, "%s:%d: not a valid %s line (expected [section] or key = value)",
			 path, rc, what);
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ini_file_names(const char *dir, const char *sep, char *out, size_t outlen)
{
	char *names[256];
	size_t n = 0, used = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	out[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".ini") && de->d_name[0] != '.')
			names[n++] = strndup(de->d_name, len - 4);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + used, outlen - used, "%s%s", i ? sep : "", names[i]);

		if (w > 0 && (size_t)w < outlen - used)
			used += (size_t)w;
		free(names[i]);
	}
}
