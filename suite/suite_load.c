// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading one benchmark file (suite/benchmarks/NAME.ini) for one scale.
 * Sections: [benchmark] (what to run), [smoke] and [full] (the scale's
 * variables, extra packages and sources, timeout), [metric NAME] (one value
 * read by a pattern) and [csv] (values read from a CSV table).  Scripts may be
 * split over several 'setup =' / 'command =' / 'teardown =' lines (inih takes
 * at most 200 characters a line); they join with newlines.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvmio-config.h"
#include "cvmio.h"
#include "ini_file.h"
#include "suite.h"

static const char *const scales[] = { "smoke", "full" };
enum { N_SCALES = 2 };

/* Placeholders cvmio itself fills in (the guest's layout). */
static const char *const builtins[][2] = {
	{ "scratch", SUITE_GUEST_SCRATCH }, { "src", SUITE_GUEST_SRC }, { "nproc", "$(nproc)" },
};

struct raw_line {
	char *key;      /* setup, command, teardown */
	char *value;
	int line;
};

struct scale_var {
	int scale;
	char *key, *value;
	int line;
};

struct load_ctx {
	struct suite_bench *b;
	int scale;                 /* index in scales[] */
	struct raw_line *script;
	size_t n_script, cap_script;
	struct scale_var *vars;
	size_t n_vars, cap_vars;
	bool seen_scale[N_SCALES], seen_benchmark;
	struct suite_metric *cur_metric;
	char *err;
	size_t errlen;
};

static int fail(struct load_ctx *c, int line, const char *fmt, const char *a, const char *b2)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b2);
	snprintf(c->err, c->errlen, "%s:%d: %s", c->b->path, line, msg);
	return 0;
}

/* Append text to *list, after sep when *list is not empty. */
static int text_add(char **list, const char *text, char sep)
{
	size_t old = *list ? strlen(*list) : 0;
	char *grown = realloc(*list, old + strlen(text) + 2);

	if (!grown)
		return -1;
	if (old)
		grown[old++] = sep;
	memcpy(grown + old, text, strlen(text) + 1);
	*list = grown;
	return 0;
}

static int list_add(char **list, const char *words)
{
	return text_add(list, words, ' ');
}

static int parse_better(const char *v, enum suite_better *out)
{
	if (!strcmp(v, "higher"))
		*out = SUITE_HIGHER;
	else if (!strcmp(v, "lower"))
		*out = SUITE_LOWER;
	else
		return -1;
	return 0;
}

static bool valid_var_name(const char *k)
{
	if (!*k)
		return false;
	for (const char *s = k; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int on_benchmark(struct load_ctx *c, const char *key, const char *value, int line)
{
	struct suite_bench *b = c->b;

	if (!strcmp(key, "setup") || !strcmp(key, "command") || !strcmp(key, "teardown")) {
		struct raw_line *grown = cvmio_grow(c->script, c->n_script, &c->cap_script,
						     sizeof(*grown));

		if (!grown)
			return fail(c, line, "out of memory%s%s", "", "");
		c->script = grown;
		c->script[c->n_script++] = (struct raw_line){ strdup(key), strdup(value), line };
	} else if (!strcmp(key, "description")) {
		free(b->description);
		b->description = strdup(value);
	} else if (!strcmp(key, "packages")) {
		if (list_add(&b->packages, value))
			return fail(c, line, "out of memory%s%s", "", "");
	} else if (!strcmp(key, "timeout")) {
		char *end;
		long t = strtol(value, &end, 10);

		if (end == value || *end || t <= 0 || t > 7 * 24 * 3600)
			return fail(c, line, "timeout '%s' is not a number of seconds%s", value, "");
		b->timeout_s = (int)t;
	} else {
		return fail(c, line, "unknown key '%s' in [benchmark]%s", key, "");
	}
	return 1;
}

static int on_scale(struct load_ctx *c, int scale, const char *key, const char *value, int line)
{
	struct suite_bench *b = c->b;
	struct scale_var *grown;

	if (scale == c->scale && !strcmp(key, "packages"))
		return list_add(&b->packages, value) ? fail(c, line, "out of memory%s%s", "", "") : 1;
	if (scale == c->scale && !strcmp(key, "sources"))
		return list_add(&b->sources, value) ? fail(c, line, "out of memory%s%s", "", "") : 1;
	if (!strcmp(key, "packages") || !strcmp(key, "sources"))
		return 1;
	if (!strcmp(key, "timeout")) {
		if (scale == c->scale)
			return on_benchmark(c, key, value, line);
		return 1;
	}
	if (!valid_var_name(key))
		return fail(c, line, "variable name '%s' in [%s] is not [a-z0-9_]+", key,
			    scales[scale]);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(key, builtins[i][0]))
			return fail(c, line, "'%s' is set by cvmio (the guest's %s); pick another name",
				    key, builtins[i][1]);
	grown = cvmio_grow(c->vars, c->n_vars, &c->cap_vars, sizeof(*grown));
	if (!grown)
		return fail(c, line, "out of memory%s%s", "", "");
	c->vars = grown;
	c->vars[c->n_vars++] = (struct scale_var){ scale, strdup(key), strdup(value), line };
	return 1;
}

static int on_metric_start(struct load_ctx *c, const char *name, int line)
{
	struct suite_bench *b = c->b;
	struct suite_metric *grown;

	for (size_t i = 0; i < b->n_metrics; i++)
		if (!strcmp(b->metrics[i].name, name))
			return fail(c, line, "metric '%s' defined twice%s", name, "");
	if (!*name || strlen(name) >= SUITE_NAME_MAX)
		return fail(c, line, "bad metric name '%s'%s", name, "");
	grown = cvmio_grow(b->metrics, b->n_metrics, &b->cap_metrics, sizeof(*grown));
	if (!grown)
		return fail(c, line, "out of memory%s%s", "", "");
	b->metrics = grown;
	c->cur_metric = &b->metrics[b->n_metrics++];
	memset(c->cur_metric, 0, sizeof(*c->cur_metric));
	snprintf(c->cur_metric->name, sizeof(c->cur_metric->name), "%s", name);
	c->cur_metric->line = line;
	return 1;
}

static int on_metric(struct load_ctx *c, const char *key, const char *value, int line)
{
	struct suite_metric *m = c->cur_metric;

	if (!strcmp(key, "unit")) {
		snprintf(m->unit, sizeof(m->unit), "%s", value);
	} else if (!strcmp(key, "better")) {
		if (parse_better(value, &m->better))
			return fail(c, line, "better = '%s': expected higher or lower%s", value, "");
	} else if (!strcmp(key, "pattern")) {
		char why[256];
		int rc;

		if (m->pattern)
			return fail(c, line, "a second pattern for metric '%s'%s", m->name, "");
		m->pattern = strdup(value);
		rc = regcomp(&m->re, value, REG_EXTENDED | REG_NEWLINE);
		if (rc) {
			regerror(rc, &m->re, why, sizeof(why));
			free(m->pattern);
			m->pattern = NULL;
			return fail(c, line, "pattern: %s%s", why, "");
		}
		if (m->re.re_nsub < 1) {
			regfree(&m->re);
			free(m->pattern);
			m->pattern = NULL;
			return fail(c, line, "pattern has no (group) around the number%s%s", "", "");
		}
	} else {
		return fail(c, line, "unknown key '%s' in [metric %s]", key, m->name);
	}
	return 1;
}

/* column = NAME UNIT higher|lower */
static int on_csv_column(struct load_ctx *c, const char *value, int line)
{
	struct suite_bench *b = c->b;
	struct suite_csv_column col = { 0 };
	char better[16] = "";
	struct suite_csv_column *grown;

	if (sscanf(value, "%63s %31s %15s", col.name, col.unit, better) != 3 ||
	    parse_better(better, &col.better))
		return fail(c, line, "column = '%s': expected NAME UNIT higher|lower%s", value, "");
	grown = cvmio_grow(b->csv_cols, b->n_csv_cols, &b->cap_csv_cols, sizeof(*grown));
	if (!grown)
		return fail(c, line, "out of memory%s%s", "", "");
	b->csv_cols = grown;
	b->csv_cols[b->n_csv_cols++] = col;
	return 1;
}

static int on_csv(struct load_ctx *c, const char *key, const char *value, int line)
{
	struct suite_bench *b = c->b;

	if (!strcmp(key, "key")) {
		snprintf(b->csv_key, sizeof(b->csv_key), "%s", value);
	} else if (!strcmp(key, "row")) {
		char **grown = cvmio_grow(b->csv_rows, b->n_csv_rows, &b->cap_csv_rows,
					  sizeof(*grown));

		if (!grown)
			return fail(c, line, "out of memory%s%s", "", "");
		b->csv_rows = grown;
		b->csv_rows[b->n_csv_rows++] = strdup(value);
	} else if (!strcmp(key, "column")) {
		return on_csv_column(c, value, line);
	} else {
		return fail(c, line, "unknown key '%s' in [csv]%s", key, "");
	}
	return 1;
}

static int on_entry(void *user, const char *section, const char *key, const char *value,
		    int line)
{
	struct load_ctx *c = user;

	if (!strcmp(section, "benchmark")) {
		c->seen_benchmark = true;
		return on_benchmark(c, key, value, line);
	}
	for (int s = 0; s < N_SCALES; s++)
		if (!strcmp(section, scales[s])) {
			c->seen_scale[s] = true;
			return on_scale(c, s, key, value, line);
		}
	if (!strncmp(section, "metric ", 7)) {
		if (!c->cur_metric || strcmp(c->cur_metric->name, section + 7))
			if (!on_metric_start(c, section + 7, line))
				return 0;
		return on_metric(c, key, value, line);
	}
	if (!strcmp(section, "csv"))
		return on_csv(c, key, value, line);
	return fail(c, line, "unknown section [%s] (expected [benchmark], [smoke], [full], "
		    "[metric NAME] or [csv])%s", section, "");
}

static const char *var_value(const struct load_ctx *c, int scale, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(name, builtins[i][0]))
			return builtins[i][1];
	for (size_t i = 0; i < c->n_vars; i++)
		if (c->vars[i].scale == scale && !strcmp(c->vars[i].key, name))
			v = c->vars[i].value;
	return v;
}

/*
 * text with every ${name} replaced for scale (a variable's value may use
 * other placeholders, up to a few levels); NULL (err set) on an unknown name.
 */
static char *expand(struct load_ctx *c, int scale, const char *text, int line, int depth)
{
	size_t cap = strlen(text) + 1, len = 0;
	char *out = malloc(cap);

	if (depth > 4) {
		fail(c, line, "placeholders nest more than 4 deep (a loop?)%s%s", "", "");
		free(out);
		return NULL;
	}
	for (const char *s = text; out && *s;) {
		const char *close = NULL, *raw;
		char name[SUITE_NAME_MAX], *repl = NULL;
		size_t rlen = 1;

		if (s[0] == '$' && s[1] == '{' && (close = strchr(s, '}')) &&
		    (size_t)(close - s - 2) < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(close - s - 2), s + 2);
			raw = var_value(c, scale, name);
			if (!raw) {
				fail(c, line, "unknown placeholder ${%s} (not set in [%s])", name,
				     scales[scale]);
				free(out);
				return NULL;
			}
			repl = expand(c, scale, raw, line, depth + 1);
			if (!repl) {
				free(out);
				return NULL;
			}
			rlen = strlen(repl);
		}
		if (len + rlen + 1 > cap) {
			char *grown = realloc(out, (cap = 2 * cap + rlen));

			if (!grown) {
				free(out);
				free(repl);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + len, repl ? repl : s, rlen);
		len += rlen;
		s = repl ? close + 1 : s + 1;
		free(repl);
	}
	if (out)
		out[len] = '\0';
	return out;
}

/* Join the script lines of key, expanded for the loaded scale (and checked for the other). */
static int build_script(struct load_ctx *c, const char *key, char **out)
{
	for (size_t i = 0; i < c->n_script; i++) {
		struct raw_line *r = &c->script[i];
		char *mine = NULL;

		if (strcmp(r->key, key))
			continue;
		for (int s = 0; s < N_SCALES; s++) {
			char *e = expand(c, s, r->value, r->line, 0);

			if (!e)
				return -1;
			if (s == c->scale)
				mine = e;
			else
				free(e);
		}
		if (text_add(out, mine, '\n')) {
			free(mine);
			return -1;
		}
		free(mine);
	}
	return 0;
}

/* What a benchmark file must have, whatever the scale. */
static int check_complete(struct load_ctx *c)
{
	struct suite_bench *b = c->b;
	bool has_command = false;

	for (size_t i = 0; i < c->n_script; i++)
		has_command |= !strcmp(c->script[i].key, "command");
	if (!c->seen_benchmark || !has_command)
		return fail(c, 1, "no 'command =' in [benchmark]%s%s", "", "");
	for (int s = 0; s < N_SCALES; s++)
		if (!c->seen_scale[s])
			return fail(c, 1, "no [%s] section (every benchmark has a smoke and a full "
				    "scale)%s", scales[s], "");
	if (!b->n_metrics && !b->n_csv_cols)
		return fail(c, 1, "no metric: add a [metric NAME] or a [csv] section%s%s", "", "");
	for (size_t i = 0; i < b->n_metrics; i++) {
		struct suite_metric *m = &b->metrics[i];

		if (!m->pattern || !m->unit[0] || !m->better)
			return fail(c, m->line, "[metric %s] needs unit, better and pattern%s",
				    m->name, "");
	}
	if (b->n_csv_cols && (!b->csv_key[0] || !b->n_csv_rows))
		return fail(c, 1, "[csv] needs key = COLUMN and at least one row =%s%s", "", "");
	if (!b->n_csv_cols && (b->csv_key[0] || b->n_csv_rows))
		return fail(c, 1, "[csv] needs at least one column = NAME UNIT higher|lower%s%s", "",
			    "");
	return 1;
}

/* A variable no script (or other variable) uses is a typo: say so. */
static int check_vars_used(struct load_ctx *c)
{
	for (size_t i = 0; i < c->n_vars; i++) {
		char ref[SUITE_NAME_MAX + 4];
		bool used = false;

		snprintf(ref, sizeof(ref), "${%s}", c->vars[i].key);
		for (size_t j = 0; j < c->n_script && !used; j++)
			used = strstr(c->script[j].value, ref) != NULL;
		for (size_t j = 0; j < c->n_vars && !used; j++)
			used = j != i && strstr(c->vars[j].value, ref) != NULL;
		if (!used)
			return fail(c, c->vars[i].line, "variable '%s' in [%s] is used by no script",
				    c->vars[i].key, scales[c->vars[i].scale]);
	}
	return 1;
}

static void free_ctx(struct load_ctx *c)
{
	for (size_t i = 0; i < c->n_script; i++) {
		free(c->script[i].key);
		free(c->script[i].value);
	}
	free(c->script);
	for (size_t i = 0; i < c->n_vars; i++) {
		free(c->vars[i].key);
		free(c->vars[i].value);
	}
	free(c->vars);
}

static bool valid_bench_name(const char *name)
{
	if (!*name || name[0] == '.' || strlen(name) >= SUITE_NAME_MAX)
		return false;
	return !strchr(name, '/');
}

int suite_load(const char *dir, const char *name, const char *scale, struct suite_bench *b,
	       char *err, size_t errlen)
{
	struct load_ctx c = { .b = b, .scale = -1, .err = err, .errlen = errlen };
	char names[512];
	struct stat st;
	int ok;

	memset(b, 0, sizeof(*b));
	for (int s = 0; s < N_SCALES; s++)
		if (!strcmp(scale, scales[s]))
			c.scale = s;
	if (c.scale < 0) {
		snprintf(err, errlen, "unknown suite scale '%s' (smoke or full)", scale);
		return -1;
	}
	snprintf(b->path, sizeof(b->path), "%s/%s.ini", dir, name);
	if (!valid_bench_name(name) || stat(b->path, &st) || !S_ISREG(st.st_mode)) {
		suite_names(dir, names, sizeof(names));
		snprintf(err, errlen, "unknown benchmark '%s' (no %s; known: %s)", name, b->path,
			 names);
		return -1;
	}
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->scale, sizeof(b->scale), "%s", scale);
	b->timeout_s = 600;
	ok = ini_file_parse(b->path, "benchmark", on_entry, &c, err, errlen) == 0 && check_complete(&c) &&
	     build_script(&c, "setup", &b->setup) == 0 &&
	     build_script(&c, "command", &b->command) == 0 &&
	     build_script(&c, "teardown", &b->teardown) == 0 && check_vars_used(&c);
	free_ctx(&c);
	if (!ok) {
		suite_free(b);
		return -1;
	}
	return 0;
}

void suite_free(struct suite_bench *b)
{
	for (size_t i = 0; i < b->n_metrics; i++) {
		if (b->metrics[i].pattern)
			regfree(&b->metrics[i].re);
		free(b->metrics[i].pattern);
	}
	free(b->metrics);
	for (size_t i = 0; i < b->n_csv_rows; i++)
		free(b->csv_rows[i]);
	free(b->csv_rows);
	free(b->csv_cols);
	free(b->description);
	free(b->packages);
	free(b->sources);
	free(b->setup);
	free(b->command);
	free(b->teardown);
	memset(b, 0, sizeof(*b));
}

size_t suite_metric_count(const struct suite_bench *b)
{
	return b->n_metrics + b->n_csv_rows * b->n_csv_cols;
}

void suite_names(const char *dir, char *out, size_t outlen)
{
	ini_file_names(dir, " ", out, outlen);
}

static bool is_suite_dir(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/mbw.ini", dir) >= (int)sizeof(p))
		return false;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int suite_dir_find(const char *explicit_dir, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *env = getenv("CVMIO_SUITE");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	ssize_t n;

	if (explicit_dir || (env && *env)) {
		const char *d = explicit_dir ? explicit_dir : env;
		struct stat st;

		if (stat(d, &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s %s: not a folder", explicit_dir ? "--suite" :
				 "$CVMIO_SUITE", d);
			return -1;
		}
		snprintf(out, outlen, "%s", d);
		return 0;
	}
	/* The source tree above build/bin/cvmio (or build/asan/bin/cvmio), then the install. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	for (int up = 0; n > 0 && up < 6; up++) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = '\0';
		n = (ssize_t)strlen(exe);
		snprintf(cand, sizeof(cand), "%s/suite/benchmarks", exe);
		if (is_suite_dir(cand))
			goto found;
		snprintf(cand, sizeof(cand), "%s/share/cvmio/suite", exe);
		if (is_suite_dir(cand))
			goto found;
	}
	snprintf(cand, sizeof(cand), "%s/share/cvmio/suite", CVMIO_PREFIX);
	if (is_suite_dir(cand))
		goto found;
	snprintf(err, errlen, "no benchmark suite folder found (tried the source tree and %s; "
		 "use --suite DIR or $CVMIO_SUITE)", cand);
	return -1;
found:
	snprintf(out, outlen, "%s", cand);
	return 0;
}
