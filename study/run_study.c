// SPDX-License-Identifier: GPL-2.0-only
/*
 * Study-file parsing.  inih calls us per key; Debian's libinih is built
 * without INI_HANDLER_LINENO, so we feed it through ini_parse_stream() with a
 * reader that counts lines: every error can then name FILE:LINE.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "compose.h"
#include "cvmio.h"
#include "cvmio-config.h"
#include "run_study.h"
#include "run_suite.h"

struct parse_ctx {
	struct study *s;
	FILE *f;
	const char *path;
	char *dir;        /* the study file's folder */
	int line;
	int modes_line, backends_line;   /* for errors found in the profiles after parsing */
	int too_long;
	int failed;
	char *err;
	size_t errlen;
};

/* fgets-style reader for ini_parse_stream that keeps the line number. */
static char *counting_reader(char *buf, int num, void *stream)
{
	struct parse_ctx *c = stream;
	char *r = fgets(buf, num, c->f);

	if (!r)
		return NULL;
	c->line++;
	size_t len = strlen(buf);
	if (len && buf[len - 1] != '\n' && !feof(c->f)) {
		c->too_long = 1;
		return NULL;
	}
	return r;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct parse_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed)
		return 0;
	c->failed = 1;
	n = snprintf(c->err, c->errlen, "%s:%d: ", c->path, c->line);
	if (n < 0 || (size_t)n >= c->errlen)
		return 0;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return 0;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void strlist_add(struct strlist *l, const char *s, size_t len)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	l->v[l->n++] = cvmio_strndup(s, len);
}

/* Split on commas and whitespace; empty items are dropped. */
static void split_list(const char *value, struct strlist *out)
{
	const char *p = value;

	strlist_free(out);
	while (*p) {
		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		const char *start = p;
		while (*p && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if (p > start)
			strlist_add(out, start, p - start);
	}
}

/* A relative width: a number in (0, 1), e.g. target_ci = 0.02 for +-2 %. */
static int parse_fraction(struct parse_ctx *c, const char *name, const char *value, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || !(v > 0 && v < 1))
		return fail(c, "%s=%s: expected a number between 0 and 1 (0.02 is +-2 %%)", name, value);
	*out = v;
	return 1;
}

static int parse_int(struct parse_ctx *c, const char *name, const char *value, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max)
		return fail(c, "%s=%s: expected an integer from %d to %d", name, value, min, max);
	*out = (int)v;
	return 1;
}

static int set_str(char **dst, const char *value)
{
	cvmio_replace_str(dst, value);
	return 1;	/* inih: handled */
}

static int is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

/*
 * A job-file entry is looked up as given (absolute or relative to the current
 * folder), then next to the study file, then in the folder above it (the
 * jobfiles/ root when studies live in jobfiles/studies/), then installed.
 */
static int resolve_entry(struct parse_ctx *c, const char *entry, char *out, size_t len)
{
	const char *bases[] = { NULL, c->dir, NULL, CVMIO_PREFIX "/share/cvmio/jobfiles" };
	char up[PATH_MAX];

	snprintf(up, sizeof(up), "%s/..", c->dir);
	bases[2] = up;
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (!bases[i])
			snprintf(out, len, "%s", entry);
		else if (entry[0] == '/')
			continue;
		else
			snprintf(out, len, "%s/%s", bases[i], entry);
		if (is_file(out) || is_dir(out))
			return 1;
	}
	return 0;
}

static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && (!strcmp(base + len - 4, ".fio") || !strcmp(base + len - 4, ".ini")))
		len -= 4;
	return cvmio_strndup(base, len);
}

static int add_jobfile(struct parse_ctx *c, const char *path, const char *set)
{
	struct study *s = c->s;
	char *stem = stem_of(path);
	char *name;

	if (set) {
		if (asprintf(&name, "%s-%s", set, stem) < 0)
			abort();
		free(stem);
	} else {
		name = stem;
	}
	for (size_t i = 0; i < s->n_jobfiles; i++)
		if (!strcmp(s->jobfiles[i].name, name)) {
			fail(c, "job files %s and %s would share the results folder '%s'",
			     s->jobfiles[i].path, path, name);
			free(name);
			return 0;
		}
	s->jobfiles = realloc(s->jobfiles, (s->n_jobfiles + 1) * sizeof(*s->jobfiles));
	if (!s->jobfiles)
		abort();
	s->jobfiles[s->n_jobfiles].path = cvmio_strdup(path);
	s->jobfiles[s->n_jobfiles].name = name;
	s->n_jobfiles++;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder stands for its *.fio files (sorted), named SET-STEM in the results tree. */
static int add_jobfile_dir(struct parse_ctx *c, const char *dir, const char *entry)
{
	DIR *d = opendir(dir);
	struct strlist files = { 0 };
	struct dirent *de;
	int ok = 1;

	if (!d)
		return fail(c, "jobfiles: cannot read folder %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 4 && !strcmp(de->d_name + len - 4, ".fio") && de->d_name[0] != '.') {
			char *p;
			if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
				abort();
			strlist_add(&files, p, strlen(p));
			free(p);
		}
	}
	closedir(d);
	if (!files.n) {
		strlist_free(&files);
		return fail(c, "jobfiles: folder %s holds no *.fio file", dir);
	}
	qsort(files.v, files.n, sizeof(*files.v), cmp_str);
	char *set = stem_of(entry[strlen(entry) - 1] == '/' ? dir : entry);
	char *slash = strrchr(set, '/');
	for (size_t i = 0; ok && i < files.n; i++)
		ok = add_jobfile(c, files.v[i], slash ? slash + 1 : set);
	free(set);
	strlist_free(&files);
	return ok;
}

static int set_jobfiles(struct parse_ctx *c, const char *value)
{
	struct strlist entries = { 0 };
	char path[PATH_MAX];
	int ok = 1;

	c->s->jobfiles_line = c->line;
	split_list(value, &entries);
	if (!entries.n)
		ok = fail(c, "jobfiles= is empty");
	for (size_t i = 0; ok && i < entries.n; i++) {
		if (!resolve_entry(c, entries.v[i], path, sizeof(path)))
			ok = fail(c, "jobfiles: %s: no such file or folder (looked here, next to the study file and in %s/share/cvmio/jobfiles)",
				  entries.v[i], CVMIO_PREFIX);
		else if (is_dir(path))
			ok = add_jobfile_dir(c, path, entries.v[i]);
		else
			ok = add_jobfile(c, path, NULL);
	}
	strlist_free(&entries);
	return ok;
}

static int valid_name(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

static int set_names(struct parse_ctx *c, const char *name, const char *value, struct strlist *list)
{
	split_list(value, list);
	if (!list->n)
		return fail(c, "%s= is empty", name);
	for (size_t i = 0; i < list->n; i++) {
		if (!valid_name(list->v[i]))
			return fail(c, "%s: '%s' is not a valid name (letters, digits, '.', '_', '-')", name, list->v[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(list->v[i], list->v[j]))
				return fail(c, "%s: '%s' listed twice", name, list->v[i]);
	}
	return 1;
}

static int set_backing(struct parse_ctx *c, const char *value)
{
	struct study *s = c->s;
	const char *colon = strchr(value, ':');

	if (!strcmp(value, "null")) {
		set_str(&s->backing, "null");
		return 1;
	}
	if (colon && (!strncmp(value, "file:", 5) || !strncmp(value, "device:", 7)) && colon[1]) {
		free(s->backing);
		s->backing = cvmio_strndup(value, colon - value);
		return set_str(&s->backing_path, colon + 1);
	}
	return fail(c, "backing=%s: expected null, file:PATH or device:PATH", value);
}

static int set_hosts(struct parse_ctx *c, const char *value)
{
	split_list(value, &c->s->hosts);
	for (size_t i = 0; i < c->s->hosts.n; i++) {
		const char *h = c->s->hosts.v[i];
		const char *colon = strrchr(h, ':');
		int port;
		if (!colon || colon == h || !parse_int(c, "hosts port", colon + 1, 1, 65535, &port))
			return c->failed ? 0 : fail(c, "hosts: '%s' is not HOST:PORT", h);
	}
	return 1;
}

static int set_cpulist(struct parse_ctx *c, const char *name, const char *value, char **dst)
{
	if (!study_cpulist_valid(value))
		return fail(c, "%s=%s: expected a host CPU list such as 0,1 or 0-3 (CPUs 0..%d)", name, value,
			    STUDY_MAX_CPU);
	return set_str(dst, value);
}

static int set_mem(struct parse_ctx *c, const char *value)
{
	char *end;
	unsigned long long v = strtoull(value, &end, 10);

	if (end == value || !v || (*end && (strchr("MGmg", *end) == NULL || end[1])))
		return fail(c, "mem=%s: expected a size such as 1G or 768M", value);
	return set_str(&c->s->mem, value);
}

static int study_key(struct parse_ctx *c, const char *name, const char *value)
{
	struct study *s = c->s;

	if (!strcmp(name, "name"))
		return valid_name(value) ? set_str(&s->name, value)
			: fail(c, "name=%s: letters, digits, '.', '_', '-' only", value);
	if (!strcmp(name, "modes"))
		return c->modes_line = c->line, set_names(c, name, value, &s->modes);
	if (!strcmp(name, "backends"))
		return c->backends_line = c->line, set_names(c, name, value, &s->backends);
	if (!strcmp(name, "engines"))
		return set_names(c, name, value, &s->engines);
	if (!strcmp(name, "jobfiles"))
		return set_jobfiles(c, value);
	if (!strcmp(name, "backing"))
		return set_backing(c, value);
	if (!strcmp(name, "repetitions"))
		return parse_int(c, name, value, 1, 1000, &s->repetitions);
	if (!strcmp(name, "target_ci"))
		return parse_fraction(c, name, value, &s->target_ci);
	if (!strcmp(name, "max_repetitions"))
		return parse_int(c, name, value, 1, 1000, &s->max_repetitions);
	if (!strcmp(name, "runtime"))
		return parse_int(c, name, value, 1, 86400, &s->runtime);
	if (!strcmp(name, "ramp"))
		return parse_int(c, name, value, 0, 3600, &s->ramp);
	if (!strcmp(name, "timeout"))
		return parse_int(c, name, value, 1, 86400, &s->run_timeout);
	if (!strcmp(name, "concurrency"))
		return parse_int(c, name, value, 1, 64, &s->concurrency);
	if (!strcmp(name, "hosts"))
		return set_hosts(c, value);
	if (!strcmp(name, "size")) {
		char *end;
		double v = strtod(value, &end);
		if (end == value || v <= 0 || (*end && strcmp(end, "%") && !strchr("kKmMgGtT", *end)) ||
		    (*end && *end != '%' && end[1] && strcasecmp(end + 1, "ib") && strcasecmp(end + 1, "b")))
			return fail(c, "size=%s: expected fio's size, e.g. 1g, 512m or 100%%", value);
		return set_str(&s->size, value);
	}
	if (!strcmp(name, "target"))
		return value[0] == '/' ? set_str(&s->target, value)
			: fail(c, "target=%s: expected an absolute device path in the guest", value);
	if (!strcmp(name, "suite") || !strcmp(name, "suite_scale")) {
		char why[1024];

		if (suite_study_key(s, name, value, why, sizeof(why)))
			return fail(c, "%s", why);
		return 1;
	}
	return fail(c, "unknown key '%s' in [study]", name);
}

static int guest_key(struct parse_ctx *c, const char *name, const char *value)
{
	struct study *s = c->s;
	struct { const char *key; char **dst; } paths[] = {
		{ "appliance", &s->appliance }, { "kernel", &s->kernel }, { "initrd", &s->initrd },
		{ "image", &s->image }, { "firmware", &s->firmware }, { "qemu", &s->qemu },
		{ "profiles", &s->profiles },
		{ "suite_image", &s->suite_image },
	};

	/* relative paths are relative to the current folder, like job files given as is */
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!strcmp(name, paths[i].key))
			return set_str(paths[i].dst, value);
	if (!strcmp(name, "append"))
		return set_str(&s->append, value);
	if (!strcmp(name, "accel")) {
		if (strcmp(value, "kvm") && strcmp(value, "tcg") && strcmp(value, "auto"))
			return fail(c, "accel=%s: expected kvm, tcg or auto", value);
		return set_str(&s->accel, value);
	}
	if (!strcmp(name, "aio")) {
		if (strcmp(value, "native") && strcmp(value, "io_uring") && strcmp(value, "threads"))
			return fail(c, "aio=%s: expected native, io_uring or threads", value);
		return set_str(&s->aio, value);
	}
	if (!strcmp(name, "smp"))
		return parse_int(c, name, value, 1, QEMU_MAX_SMP, &s->smp);
	if (!strcmp(name, "queues"))
		return parse_int(c, name, value, 1, QEMU_MAX_QUEUES, &s->queues);
	if (!strcmp(name, "mem"))
		return set_mem(c, value);
	if (!strcmp(name, "boot_timeout"))
		return parse_int(c, name, value, 1, 3600, &s->boot_timeout);
	if (!strcmp(name, "vcpu_pin"))
		return set_cpulist(c, name, value, &s->vcpu_pin);
	if (!strcmp(name, "iothread_pin"))
		return set_cpulist(c, name, value, &s->iothread_pin);
	char why[512];
	int rc = study_launch_key(s, name, value, why, sizeof(why));

	if (rc < 0)
		return fail(c, "%s", why);
	return rc ? 1 : fail(c, "unknown key '%s' in [guest]", name);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *c = user;

	if (c->failed)
		return 0;
	if (!strcmp(section, "study"))
		return study_key(c, name, value);
	if (!strcmp(section, "guest"))
		return guest_key(c, name, value);
	if (!section[0])
		return fail(c, "'%s' outside a section (use [study] or [guest])", name);
	return fail(c, "unknown section [%s] (use [study] or [guest])", section);
}

__attribute__((format(printf, 4, 5)))
static int file_error(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", path);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	return CVMIO_EXIT_INPUT;
}

static int check_complete(const char *path, struct study *s, char *err, size_t errlen)
{
	char why[512];

	if (!s->modes.n)
		return file_error(err, errlen, path, "[study] needs modes=");
	if (!s->backends.n)
		return file_error(err, errlen, path, "[study] needs backends=");
	if (!s->n_jobfiles && !s->suite.n)
		return file_error(err, errlen, path, "[study] needs jobfiles= or suite=");
	if (s->n_jobfiles && !s->engines.n)
		return file_error(err, errlen, path, "[study] needs engines=");
	if (s->hosts.n && (s->modes.n != 1 || s->backends.n != 1))
		return file_error(err, errlen, path,
				  "hosts= runs against servers that already run: name exactly one mode and one backend (labels for the results tree)");
	if (study_launch_check(s, why, sizeof(why)))
		return file_error(err, errlen, path, "%s", why);
	if (s->max_repetitions && !s->target_ci)
		return file_error(err, errlen, path, "max_repetitions= caps the rounds of target_ci=, which is not set");
	if (s->target_ci && s->modes.n < 2)
		return file_error(err, errlen, path,
				  "target_ci= needs two or more modes: the first is the baseline of the ratios it narrows");
	if (s->target_ci && !s->max_repetitions)
		s->max_repetitions = s->repetitions * 4 > 1000 ? 1000 : s->repetitions * 4;
	if (s->target_ci && s->max_repetitions < s->repetitions)
		return file_error(err, errlen, path, "max_repetitions=%d is below repetitions=%d",
				  s->max_repetitions, s->repetitions);
	if (s->concurrency > 1 && strcmp(s->backing, "null"))
		return file_error(err, errlen, path,
				  "concurrency=%d needs backing=null (QEMU locks a file or device for one guest)", s->concurrency);
	if (suite_study_check(s, err, errlen) && file_error(err, errlen, path, "%s", err))
		return CVMIO_EXIT_INPUT;
	/* The user's image has no fio server of cvmio's: only the suite runs in it (through its agent). */
	if (s->image && s->n_jobfiles) {
		snprintf(err, errlen, "%s:%d: jobfiles= with [guest] image=: fio runs need the appliance's "
			 "fio server, which a user's image does not have (use suite= with image=, or the "
			 "appliance for jobfiles=)", path, s->jobfiles_line);
		return CVMIO_EXIT_INPUT;
	}
	if ((s->kernel != NULL) != (s->initrd != NULL))
		return file_error(err, errlen, path, "[guest] kernel= and initrd= go together");
	if (s->appliance && (s->kernel || s->image))
		return file_error(err, errlen, path, "[guest] appliance= excludes kernel=/initrd=/image=");
	if (!s->hosts.n && s->backing_path && access(s->backing_path, F_OK))
		return file_error(err, errlen, path, "backing=%s:%s: no such file or device", s->backing, s->backing_path);
	for (size_t e = 0; e < s->engines.n; e++) {
		int fits = 0;
		for (size_t b = 0; b < s->backends.n; b++)
			fits |= study_engine_fits(s, s->engines.v[e], b);
		if (!fits)
			return file_error(err, errlen, path, "engine %s fits none of the backends", s->engines.v[e]);
	}
	return 0;
}

static void set_defaults(struct study *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->path = cvmio_strdup(path);
	s->name = stem_of(path);
	s->backing = cvmio_strdup("null");
	s->size = cvmio_strdup("100%");
	s->repetitions = 3;
	s->runtime = 10;
	s->ramp = 0;
	s->boot_timeout = 180;
	s->concurrency = 1;
	s->smp = 0;
	s->suite_scale = strdup("smoke");
}

int study_load(const char *path, struct study *s, char *err, size_t errlen)
{
	struct parse_ctx c = { .s = s, .path = path, .err = err, .errlen = errlen };
	int rc;

	set_defaults(s, path);
	if (s->name[0] == '.')
		s->name[0] = '_';
	c.f = fopen(path, "r");
	if (!c.f)
		return file_error(err, errlen, path, "cannot open: %s", strerror(errno));
	c.dir = cvmio_strdup(path);
	char *slash = strrchr(c.dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(c.dir, ".");
	rc = ini_parse_stream(counting_reader, &c, on_key, &c);
	fclose(c.f);
	free(c.dir);
	if (c.too_long)
		return snprintf(err, errlen, "%s:%d: line too long for the INI parser", path, c.line), CVMIO_EXIT_INPUT;
	if (c.failed)
		return CVMIO_EXIT_INPUT;
	if (rc > 0)
		return snprintf(err, errlen, "%s:%d: not a [section] or key = value line", path, rc), CVMIO_EXIT_INPUT;
	if (rc < 0)
		return file_error(err, errlen, path, "cannot parse (error %d)", rc);
	if (s->modes.n || s->backends.n) {
		rc = study_read_profiles(s, c.modes_line, c.backends_line, err, errlen);
		if (rc)
			return rc;
	}
	return check_complete(path, s, err, errlen);
}

void study_free(struct study *s)
{
	char **strs[] = { &s->path, &s->name, &s->backing, &s->backing_path, &s->target, &s->size, &s->appliance,
			  &s->kernel, &s->initrd, &s->image, &s->append, &s->firmware, &s->accel, &s->qemu,
			  &s->aio, &s->mem, &s->vcpu_pin, &s->iothread_pin, &s->profiles, &s->suite_scale,
			  &s->suite_image, &s->kernel_hashes, &s->igvm, &s->id_block, &s->id_auth,
			  &s->host_data };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	study_free_profiles(s);
	strlist_free(&s->modes);
	strlist_free(&s->backends);
	strlist_free(&s->engines);
	strlist_free(&s->hosts);
	strlist_free(&s->suite);
	for (size_t i = 0; i < s->n_jobfiles; i++) {
		free(s->jobfiles[i].path);
		free(s->jobfiles[i].name);
	}
	free(s->jobfiles);
	s->jobfiles = NULL;
	s->n_jobfiles = 0;
}

void study_engine_value(const struct study *s, const char *engine, char *buf, size_t len)
{
	/* guests have the engines in /usr/lib/cvmio (the appliance); hosts= servers run here, as installed */
	if (!strncmp(engine, "cvmio-", 6))
		snprintf(buf, len, "external:%s/lib/cvmio/%s.so", s->hosts.n ? CVMIO_PREFIX : "/usr", engine);
	else
		snprintf(buf, len, "%s", engine);
}
