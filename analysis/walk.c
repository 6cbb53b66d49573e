// SPDX-License-Identifier: GPL-2.0-only
/*
 * DIR/<condition>/<backend>/ ** / *.json: every JSON file below a backend
 * folder except manifest.json is one fio run.  Files are read one at a time
 * and only their numbers are kept, so memory stays flat in the file count.
 * Bad files are all named before giving up, so one run shows every problem.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "cvmio.h"

#define MAX_DEPTH 32

struct walk_ctx {
	const char *cond;
	const char *backend;
	const char *backend_dir;
	size_t cond_idx;
	struct store *st;
	const struct walk_opts *wo;
	struct diag *d;
	struct walk_counts *wc;
	unsigned backend_files;
	int rc;
	char last_mode_warned[4200];	/* one warning per manifest, not per folder below it */
	char last_manifest_err[4400];	/* the same for a bad manifest */
	char refused_path[4200];	/* the manifest refusing results, reported once ... */
	char refused_reason[256];
	unsigned refused_files;		/* ... with the count of results it refused */
};

static void flush_refused(struct walk_ctx *c)
{
	if (!c->refused_files)
		return;
	fprintf(stderr, "cvmio analyze: %s says the guest was not verified (%s); its %u result(s) are refused (use --allow-unverified to analyze them anyway)\n",
		c->refused_path, c->refused_reason[0] ? c->refused_reason : "no reason given", c->refused_files);
	c->rc = CVMIO_EXIT_INPUT;
	c->refused_files = 0;
	c->refused_path[0] = '\0';
}

bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static void input_error(struct walk_ctx *c, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "cvmio analyze: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	c->rc = CVMIO_EXIT_INPUT;
}

static void ingest_one(struct walk_ctx *c, const char *path, const struct manifest_info *mi)
{
	struct file_result fr;
	file_result_init(&fr);
	char err[1024];
	if (ingest_file(path, &fr, c->d, err, sizeof(err))) {
		input_error(c, "%s: %s", path, err);
	} else if (fr.njobs == 0) {
		diag_warn(c->d, "%s: no usable job (all failed or did no I/O)", path);
	} else if (counters_join(path, &fr, c->d, err, sizeof(err))) {
		input_error(c, "%s%s", err, "");
	} else if (store_add_file(c->st, c->cond_idx, c->backend, path + strlen(c->backend_dir) + 1, &fr,
				  mi)) {
		input_error(c, "%s: %s", path, "out of memory");
	} else {
		c->wc->files++;
		c->backend_files++;
		if (mi->state != VERIFY_YES)
			c->wc->unverified_files++;
	}
	file_result_free(&fr);
}

static void walk_dir(struct walk_ctx *c, const char *dir, int depth)
{
	if (depth > MAX_DEPTH) {
		input_error(c, "%s: %s", dir, "folders nested too deep (a symlink loop?)");
		return;
	}
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		input_error(c, "%s: %s", dir, "cannot read folder");
		return;
	}
	struct manifest_info mi = { .state = VERIFY_NONE };
	char mpath[4200], err[4400];
	bool manifest_ok = true;
	if (manifest_for(dir, c->backend_dir, c->cond, c->backend, mpath, sizeof(mpath), &mi, err,
			 sizeof(err))) {
		if (strcmp(err, c->last_manifest_err))
			input_error(c, "%s%s", err, "");
		snprintf(c->last_manifest_err, sizeof(c->last_manifest_err), "%s", err);
		c->rc = CVMIO_EXIT_INPUT;
		manifest_ok = false;
	}
	bool refused = manifest_ok && mi.state == VERIFY_NO && !c->wo->allow_unverified;
	/* a renamed condition folder is fine, but say so: the manifest knows the mode */
	if (manifest_ok && mi.mode[0] && strcmp(mi.mode, c->cond) && strcmp(mpath, c->last_mode_warned)) {
		diag_warn(c->d, "%s: mode '%s' analyzed as condition '%s'", mpath, mi.mode, c->cond);
		snprintf(c->last_mode_warned, sizeof(c->last_mode_warned), "%s", mpath);
	}
	unsigned refused_files = 0;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char path[4200];
		if (name[0] == '.' || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
			continue;
		struct stat sb;
		if (stat(path, &sb)) {
			/* a result that cannot be read (a dangling link) is a lost result, not noise */
			if (ends_with(name, ".json"))
				input_error(c, "%s: %s", path, "cannot be read (dangling link?)");
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			/* <backend>/suite/ holds suite results (--table suite), not fio runs */
			if (depth == 0 && !strcmp(name, "suite"))
				continue;
			walk_dir(c, path, depth + 1);
		} else if (ends_with(name, ".failed")) {
			c->wc->failed_runs++;
		} else if (ends_with(name, ".json") && strcmp(name, "manifest.json")) {
			if (!manifest_ok)
				continue;
			if (refused)
				refused_files++;
			else
				ingest_one(c, path, &mi);
		}
	}
	if (refused_files) {
		if (strcmp(c->refused_path, mpath)) {
			flush_refused(c);
			snprintf(c->refused_path, sizeof(c->refused_path), "%s", mpath);
			snprintf(c->refused_reason, sizeof(c->refused_reason), "%s", mi.reason);
		}
		c->refused_files += refused_files;
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

int walk_condition(const char *dir, const char *cond, struct store *st, const struct walk_opts *wo,
		   struct diag *d, struct walk_counts *wc)
{
	char cdir[4096];
	if (snprintf(cdir, sizeof(cdir), "%s/%s", dir, cond) >= (int)sizeof(cdir))
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s/%s: path too long", dir, cond);
	struct stat sb;
	if (stat(cdir, &sb) || !S_ISDIR(sb.st_mode))
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s: condition '%s' not found (no such folder)",
				   cdir, cond);
	struct dirent **ents;
	int n = scandir(cdir, &ents, NULL, alphasort);
	if (n < 0)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze", "%s: cannot read folder", cdir);
	struct walk_ctx c = { .cond = cond, .cond_idx = store_cond(st, cond), .st = st, .wo = wo,
			      .d = d, .wc = wc, .rc = 0 };
	unsigned files_before = wc->files;
	for (int i = 0; i < n; i++) {
		char bdir[4200];
		const char *name = ents[i]->d_name;
		if (name[0] != '.' &&
		    snprintf(bdir, sizeof(bdir), "%s/%s", cdir, name) < (int)sizeof(bdir) &&
		    !stat(bdir, &sb) && S_ISDIR(sb.st_mode)) {
			c.backend = name;
			c.backend_dir = bdir;
			c.backend_files = 0;
			wc->backends++;
			walk_dir(&c, bdir, 0);
			flush_refused(&c);
			if (!c.backend_files && !c.rc)
				diag_warn(d, "%s: backend folder holds no usable fio result", bdir);
		}
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (c.rc)
		return c.rc;
	if (wc->files == files_before)
		return cvmio_error(CVMIO_EXIT_INPUT, "analyze",
				   "%s: condition '%s' holds no usable fio result (expected %s/<backend>/**/*.json)",
				   cdir, cond, cdir);
	return 0;
}
