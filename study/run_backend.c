// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runs of one backend: which modes' guests boot together, and the
 * order of runs among them (the plan's, interleaved across modes), with a
 * reboot for a guest that died or hung.
 */
#include <stdlib.h>
#include <string.h>

#include "cvmio.h"
#include "proc.h"
#include "run_runner.h"

#define MAX_BOOTS 3  /* per (mode, backend) and invocation: the first boot and two after failures */

/*
 * One boot group: the modes in 'modes' (a bitmask) of one backend, booted
 * together and driven interleaved.
 */
static void run_group(struct runner *r, struct plan *p, size_t backend, unsigned long long modes)
{
	const struct study *s = r->s;
	struct condition *conds = cvmio_calloc(s->modes.n, sizeof(*conds));
	int any = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct run_item *it = &p->items[i];
		if (it->backend == backend && (modes >> it->mode & 1) && it->state != RUN_DONE &&
		    !conds[it->mode].needed) {
			cond_init(r, &conds[it->mode], it->mode, backend);
			any = 1;
		}
	}
	if (!any) {
		free(conds);
		return;
	}
	if (!s->hosts.n) {
		for (size_t m = 0; m < s->modes.n; m++)
			if (conds[m].needed)
				cond_start(r, &conds[m]);
		conds_wait(r, conds, s->modes.n);
	}
	for (size_t i = 0; i < p->n && !*r->stop && !r->record_failed; i++) {
		struct run_item *it = &p->items[i];
		if (it->backend != backend || !(modes >> it->mode & 1) || it->state == RUN_DONE)
			continue;
		struct condition *c = &conds[it->mode];
		r->index++;
		/*
		 * Reboot a guest that hung or died mid-study, or whose boot failed
		 * in a way worth another try; one that QEMU refused would fail alike.
		 */
		if (c->n_guests && !c->usable && (c->ever_ready || c->retry_boot) && c->boots < MAX_BOOTS &&
		    !*r->stop) {
			run_note(r, "%s/%s: booting again (%s)", s->modes.v[c->mode], s->backends.v[c->backend], c->why);
			if (!cond_start(r, c))
				conds_wait(r, c, 1);
		}
		if (c->n_guests && c->usable)
			cond_servers(c);
		r->current = it;
		r->current_start = now_ms();
		run_progress(r, it, NULL, 0);
		long long t = now_ms();
		enum fio_outcome out = run_one(r, c, it);
		double secs = (now_ms() - t) / 1000.0;
		r->current = NULL;
		if (out == FIO_INTERRUPTED) {
			r->index--;
			break;
		}
		r->run_seconds += secs;
		if (out == FIO_OK) {
			r->ok++;
			it->state = RUN_DONE;
		} else {
			r->failed++;
		}
		run_progress(r, it, out == FIO_OK ? "ok" : "FAILED", secs);
	}
	conds_finish(r, conds, s->modes.n);
	conds_free(conds, s->modes.n);
}

/*
 * With null backing the guests of all modes are up together and the runs
 * alternate between them.  A file or device can be opened by one QEMU only
 * (image locking), so there each mode gets its own boot in turn.
 */
void run_backend(struct runner *r, struct plan *p, size_t backend)
{
	const struct study *s = r->s;

	if (s->hosts.n || !strcmp(s->backing, "null")) {
		run_group(r, p, backend, ~0ULL);
		return;
	}
	for (size_t m = 0; m < s->modes.n && !*r->stop && !r->record_failed; m++)
		run_group(r, p, backend, 1ULL << m);
}
