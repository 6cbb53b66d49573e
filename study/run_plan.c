// SPDX-License-Identifier: GPL-2.0-only
/* The study plan: execution order and result paths (see run_plan.h). */
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

#include "cvmio.h"
#include "run_plan.h"

static void push(struct plan *p, size_t *cap, struct run_item it)
{
	p->items = cvmio_grow(p->items, p->n, cap, sizeof(*p->items));
	if (!p->items)
		abort();	/* a plan is small; no memory for it is no study */
	p->items[p->n++] = it;
}

void plan_build(const struct study *s, struct plan *p)
{
	size_t cap = 0;

	p->items = NULL;
	p->n = 0;
	for (size_t b = 0; b < s->backends.n; b++)
		for (int rep = 1; rep <= s->repetitions; rep++)
			for (size_t e = 0; e < s->engines.n; e++) {
				if (!study_engine_fits(s, s->engines.v[e], b))
					continue;
				for (size_t j = 0; j < s->n_jobfiles; j++)
					for (size_t m = 0; m < s->modes.n; m++)
						push(p, &cap, (struct run_item){ .mode = m, .backend = b,
							.engine = e, .jobfile = j, .rep = rep });
			}
}

void plan_free(struct plan *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

void plan_backend_dir(const struct study *s, const char *outdir, size_t mode, size_t backend,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s", outdir, s->modes.v[mode], s->backends.v[backend]);
}

void plan_run_dir(const struct study *s, const char *outdir, const struct run_item *it,
		  char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s/%s/%s", outdir, s->modes.v[it->mode], s->backends.v[it->backend],
		 s->engines.v[it->engine], s->jobfiles[it->jobfile].name);
}

void plan_run_relpath(const struct study *s, const struct run_item *it, const char *suffix,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/rep-%d%s", s->engines.v[it->engine], s->jobfiles[it->jobfile].name,
		 it->rep, suffix);
}

void plan_run_path(const struct study *s, const char *outdir, const struct run_item *it,
		   const char *suffix, char *buf, size_t len)
{
	char rel[1024];

	plan_run_relpath(s, it, suffix, rel, sizeof(rel));
	snprintf(buf, len, "%s/%s/%s/%s", outdir, s->modes.v[it->mode], s->backends.v[it->backend], rel);
}

size_t plan_scan(const struct study *s, const char *outdir, struct plan *p)
{
	char path[4096];
	size_t todo = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct run_item *it = &p->items[i];
		plan_run_path(s, outdir, it, ".json", path, sizeof(path));
		if (!access(path, F_OK)) {
			it->state = RUN_DONE;
			continue;
		}
		plan_run_path(s, outdir, it, ".failed", path, sizeof(path));
		it->state = access(path, F_OK) ? RUN_TODO : RUN_FAILED_BEFORE;
		todo++;
	}
	return todo;
}
