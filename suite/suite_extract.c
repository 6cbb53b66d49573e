// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metrics from a benchmark's raw output.  A [metric] pattern must match
 * exactly one line (two matches would make the number ambiguous) and its
 * first group must be a whole finite number.  A [csv] table (libcsv) is found
 * by its header line, whose first field is the key column; every listed row
 * must be present once, with a number in every listed column.  Anything else
 * fails the whole run: no partial or guessed value.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "cvmio.h"
#include "suite.h"

const char *suite_better_name(enum suite_better b)
{
	return b == SUITE_HIGHER ? "higher" : "lower";
}

/* text must be a whole finite decimal number. */
static int parse_number(const char *text, size_t len, double *out)
{
	char buf[64], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return end == buf || *end || !isfinite(*out) ? -1 : 0;
}

static int add_metric(json_object *arr, const char *name, const char *unit,
		      enum suite_better better, double value)
{
	json_object *m = json_object_new_object();

	if (!m)
		return -1;
	json_object_object_add(m, "name", json_object_new_string(name));
	json_object_object_add(m, "unit", json_object_new_string(unit));
	json_object_object_add(m, "better", json_object_new_string(suite_better_name(better)));
	json_object_object_add(m, "value", json_object_new_double(value));
	return json_object_array_add(arr, m);
}

static int extract_pattern(const struct suite_metric *m, const char *output, json_object *arr,
			   char *err, size_t errlen)
{
	const char *s = output, *hit = NULL;
	regmatch_t g[2], first[2];
	int count = 0;
	double v;

	while (*s && regexec(&m->re, s, 2, g, s == output ? 0 : REG_NOTBOL) == 0) {
		const char *eol;

		if (++count == 1) {
			hit = s;
			memcpy(first, g, sizeof(first));
		}
		/* go on after the matching line: one match per line */
		eol = strchr(s + g[0].rm_eo, '\n');
		if (!eol)
			break;
		s = eol + 1;
	}
	if (count != 1) {
		snprintf(err, errlen, "metric '%s': pattern matched %d lines of the output, not one "
			 "(pattern %s)", m->name, count, m->pattern);
		return -1;
	}
	if (first[1].rm_so < 0 ||
	    parse_number(hit + first[1].rm_so, (size_t)(first[1].rm_eo - first[1].rm_so), &v)) {
		snprintf(err, errlen, "metric '%s': '%.*s' is not a number", m->name,
			 first[1].rm_so < 0 ? 0 : (int)(first[1].rm_eo - first[1].rm_so),
			 first[1].rm_so < 0 ? "" : hit + first[1].rm_so);
		return -1;
	}
	return add_metric(arr, m->name, m->unit, m->better, v);
}

struct csv_row {
	char **field;
	size_t n, cap;
};

struct csv_table {
	struct csv_row *row;
	size_t n, cap;
	struct csv_row cur;
	bool oom;
};

static void on_field(void *data, size_t len, void *user)
{
	struct csv_table *t = user;
	char **grown = cvmio_grow(t->cur.field, t->cur.n, &t->cur.cap, sizeof(*grown));

	if (!grown) {
		t->oom = true;
		return;
	}
	t->cur.field = grown;
	t->cur.field[t->cur.n++] = strndup(data ? data : "", len);
}

static void on_row(int term, void *user)
{
	struct csv_table *t = user;
	struct csv_row *grown = cvmio_grow(t->row, t->n, &t->cap, sizeof(*grown));

	(void)term;
	if (!grown) {
		t->oom = true;
		return;
	}
	t->row = grown;
	t->row[t->n++] = t->cur;
	memset(&t->cur, 0, sizeof(t->cur));
}

static void free_table(struct csv_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->row[i].n; j++)
			free(t->row[i].field[j]);
		free(t->row[i].field);
	}
	for (size_t j = 0; j < t->cur.n; j++)
		free(t->cur.field[j]);
	free(t->cur.field);
	free(t->row);
}

static long column_index(const struct csv_row *header, const char *name)
{
	for (size_t i = 0; i < header->n; i++)
		if (!strcmp(header->field[i], name))
			return (long)i;
	return -1;
}

/* The row keyed name after the header (index h); NULL with err when absent or repeated. */
static const struct csv_row *find_row(const struct csv_table *t, size_t h, const char *name,
				      char *err, size_t errlen)
{
	const struct csv_row *found = NULL;

	for (size_t i = h + 1; i < t->n; i++)
		if (t->row[i].n && !strcmp(t->row[i].field[0], name)) {
			if (found) {
				snprintf(err, errlen, "csv: row '%s' appears twice", name);
				return NULL;
			}
			found = &t->row[i];
		}
	if (!found)
		snprintf(err, errlen, "csv: no row '%s' in the output", name);
	return found;
}

static int read_csv_rows(const struct suite_bench *b, const struct csv_table *t, size_t h,
			 json_object *arr, char *err, size_t errlen)
{
	const struct csv_row *header = &t->row[h];

	for (size_t r = 0; r < b->n_csv_rows; r++) {
		const struct csv_row *row = find_row(t, h, b->csv_rows[r], err, errlen);

		if (!row)
			return -1;
		for (size_t c = 0; c < b->n_csv_cols; c++) {
			const struct suite_csv_column *col = &b->csv_cols[c];
			long i = column_index(header, col->name);
			char name[2 * SUITE_NAME_MAX + 2];
			double v;

			if (i < 0) {
				snprintf(err, errlen, "csv: no column '%s' in the header", col->name);
				return -1;
			}
			if ((size_t)i >= row->n ||
			    parse_number(row->field[i], strlen(row->field[i]), &v)) {
				snprintf(err, errlen, "csv: row '%s' column '%s': '%s' is not a number",
					 b->csv_rows[r], col->name,
					 (size_t)i < row->n ? row->field[i] : "(missing)");
				return -1;
			}
			snprintf(name, sizeof(name), "%s %s", b->csv_rows[r], col->name);
			if (add_metric(arr, name, col->unit, col->better, v))
				return -1;
		}
	}
	return 0;
}

static int extract_csv(const struct suite_bench *b, const char *output, json_object *arr,
		       char *err, size_t errlen)
{
	struct csv_table t = { 0 };
	struct csv_parser p;
	long header = -1;
	int rc = -1;

	if (csv_init(&p, CSV_APPEND_NULL)) {
		snprintf(err, errlen, "csv: out of memory");
		return -1;
	}
	csv_parse(&p, output, strlen(output), on_field, on_row, &t);
	csv_fini(&p, on_field, on_row, &t);
	csv_free(&p);
	for (size_t i = 0; i < t.n && header < 0; i++)
		if (t.row[i].n > 1 && !strcmp(t.row[i].field[0], b->csv_key))
			header = (long)i;
	if (t.oom)
		snprintf(err, errlen, "csv: out of memory");
	else if (header < 0)
		snprintf(err, errlen, "csv: no header line starting with '%s' in the output",
			 b->csv_key);
	else
		rc = read_csv_rows(b, &t, (size_t)header, arr, err, errlen);
	free_table(&t);
	return rc;
}

json_object *suite_extract(const struct suite_bench *b, const char *output, char *err,
			   size_t errlen)
{
	json_object *arr = json_object_new_array();

	if (!arr) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < b->n_metrics; i++)
		if (extract_pattern(&b->metrics[i], output, arr, err, errlen))
			goto fail;
	if (b->n_csv_cols && extract_csv(b, output, arr, err, errlen))
		goto fail;
	return arr;
fail:
	json_object_put(arr);
	return NULL;
}
