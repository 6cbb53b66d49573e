// SPDX-License-Identifier: GPL-2.0-only
/* Splits the fio client's output into the result and its records; see run_records.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "cvmio.h"
#include "run_records.h"

#define RECORD_PREFIX "cvmio-stats: "

/* [*start, *end) of the first '{' starting a line that parses as a JSON object. */
static int find_object(const char *text, size_t *start, size_t *end)
{
	struct json_tokener *tok = json_tokener_new();
	int rc = -1;

	if (!tok)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p != '{' || (p > text && p[-1] != '\n'))
			continue;
		json_tokener_reset(tok);
		struct json_object *o = json_tokener_parse_ex(tok, p, (int)strlen(p));
		bool object = o && json_object_is_type(o, json_type_object);
		json_object_put(o);
		if (object) {
			*start = (size_t)(p - text);
			*end = *start + (size_t)json_tokener_get_parse_end(tok);
			rc = 0;
			break;
		}
	}
	json_tokener_free(tok);
	return rc;
}

/* The "cvmio-stats: " lines outside [skip_from, skip_to), prefix removed; malloc'd. */
static char *collect_records(const char *text, size_t skip_from, size_t skip_to)
{
	const size_t plen = strlen(RECORD_PREFIX);
	size_t n = 0, total = strlen(text);
	char *out = malloc(total + 1);

	if (!out)
		return NULL;
	for (const char *line = text; *line;) {
		const char *eol = strchr(line, '\n');
		size_t off = (size_t)(line - text), l = eol ? (size_t)(eol - line) : strlen(line);

		if ((off < skip_from || off >= skip_to) && l > plen &&
		    !strncmp(line, RECORD_PREFIX, plen)) {
			memcpy(out + n, line + plen, l - plen);
			n += l - plen;
			out[n++] = '\n';
		}
		line += l + (eol != NULL);
	}
	out[n] = '\0';
	return out;
}

int run_split_records(const char *output, const char *records, char *reason, size_t len)
{
	char *text = cvmio_read_file(output), *recs = NULL, *json = NULL;
	size_t start, end;
	int rc = -1;

	if (unlink(records) && errno != ENOENT) {
		snprintf(reason, len, "cannot remove the stale %.600s: %s", records, strerror(errno));
		goto out;
	}
	if (!text || find_object(text, &start, &end)) {
		snprintf(reason, len, "fio's output %.600s holds no JSON object", output);
		goto out;
	}
	recs = collect_records(text, start, end);
	json = malloc(end - start + 2);
	if (!recs || !json) {
		snprintf(reason, len, "out of memory");
		goto out;
	}
	memcpy(json, text + start, end - start);
	json[end - start] = '\n';
	json[end - start + 1] = '\0';
	if (*recs && cvmio_write_atomic(records, recs)) {
		snprintf(reason, len, "cannot write %.600s: %s", records, strerror(errno));
		goto out;
	}
	if (cvmio_write_atomic(output, json)) {
		snprintf(reason, len, "cannot rewrite %.600s: %s", output, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(text);
	free(recs);
	free(json);
	return rc;
}
