// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost-breakdown figure (costs-<condition>.{png,svg,pdf}): per backend
 * and workload, the baseline's bar beside the compared condition's, each the
 * median CPU time per I/O stacked by where it is spent.  Top: QEMU on the
 * host (vCPU threads, iothreads, main loop, other threads); bottom: inside
 * the guest (user, system, hard and soft interrupts).  The two are not to be
 * added: the guest's CPU time runs inside the host's vCPU threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"

#define N_PARTS 4

static const enum metric host_parts[N_PARTS] = { M_HOST_VCPU_US_PER_IO, M_HOST_IOTHREAD_US_PER_IO,
						 M_HOST_MAIN_US_PER_IO, M_HOST_OTHER_US_PER_IO };
static const char *const host_titles[N_PARTS] = { "vCPU threads", "iothreads", "main loop", "other threads" };
static const enum metric guest_parts[N_PARTS] = { M_GUEST_USER_US_PER_IO, M_GUEST_SYSTEM_US_PER_IO,
						  M_GUEST_IRQ_US_PER_IO, M_GUEST_SOFTIRQ_US_PER_IO };
static const char *const guest_titles[N_PARTS] = { "user", "system", "irq", "softirq" };
static const char *const colours[N_PARTS] = { "#0072B2", "#E69F00", "#009E73", "#CC79A7" };

static const struct row *find(const struct rowset *rs, size_t cond, const struct row *like, enum metric m)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];

		if (r->compare_cond == cond && r->metric == m && r->dir == like->dir &&
		    !strcmp(r->backend, like->backend) && !signature_cmp(&r->sig, &like->sig))
			return r;
	}
	return NULL;
}

/* The rows that open a (backend, workload) pair with host counters, in the table's order. */
static size_t pairs_of(const struct rowset *rs, size_t cond, const struct row **out)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].compare_cond == cond && rs->r[i].metric == M_HOST_VCPU_US_PER_IO)
			out[n++] = &rs->r[i];
	return n;
}

static bool several_workloads(const struct row *const *pairs, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (signature_cmp(&pairs[i]->sig, &pairs[0]->sig) || pairs[i]->dir != pairs[0]->dir)
			return true;
	return false;
}

static void bar_label(FILE *f, const struct row *p, bool with_workload, const char *cond)
{
	char label[200];

	signature_label(&p->sig, p->dir, label, sizeof(label));
	fputc('"', f);
	gp_text(f, p->backend);
	if (with_workload) {
		fputs(" ", f);
		gp_text(f, label);
	}
	fputs("\\n", f);
	gp_text(f, cond);
	fputc('"', f);
}

/* One block: per pair a baseline bar, a compare bar, then an empty slot between pairs. */
static void write_block(FILE *f, const struct rowset *rs, size_t cond, const struct row *const *pairs,
			size_t n, const enum metric parts[N_PARTS], const char *bname, const char *cname)
{
	bool with_workload = several_workloads(pairs, n);

	fputs("# label", f);
	for (int k = 0; k < N_PARTS; k++)
		fprintf(f, " %s", metric_name(parts[k]));
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		for (int side = 0; side < 2; side++) {
			bar_label(f, pairs[i], with_workload, side ? cname : bname);
			for (int k = 0; k < N_PARTS; k++) {
				const struct row *r = find(rs, cond, pairs[i], parts[k]);
				double v = r ? (side ? r->compare : r->baseline) : NAN;

				if (isfinite(v))
					fprintf(f, " %.6g", v);
				else
					fputs(" ?", f);
			}
			fputc('\n', f);
		}
		if (i + 1 < n)
			fputs("\"\" ? ? ? ?\n", f);
	}
	fputs("\n\n", f);
}

static void write_panel(FILE *gp, const char *dat, int index, const char *title,
			const char *const titles[N_PARTS])
{
	fprintf(gp, "set title '%s'\n", title);
	fprintf(gp, "plot '%s' index %d using 2:xtic(1) title '%s' lc rgb '%s'", dat, index, titles[0],
		colours[0]);
	for (int k = 1; k < N_PARTS; k++)
		fprintf(gp, ", '' index %d using %d title '%s' lc rgb '%s'", index, k + 2, titles[k],
			colours[k]);
	fputc('\n', gp);
}

int plot_costs_write(const char *outdir, const struct store *st, size_t baseline, size_t cond,
		     const struct rowset *rs, struct render_list *rl)
{
	const struct row **pairs = calloc(rs->n + 1, sizeof(*pairs));
	char sc[128], stem[200], dname[220], gname[220], path[4400];
	FILE *dat = NULL, *gp = NULL;
	size_t n;
	int rc = 0;

	if (!pairs)
		return -1;
	n = pairs_of(rs, cond, pairs);
	if (!n)
		goto out;   /* no counters in this comparison: no figure */
	safe_name(st->conds[cond], sc, sizeof(sc));
	snprintf(stem, sizeof(stem), "costs-%s", sc);
	snprintf(dname, sizeof(dname), "%s.dat", stem);
	snprintf(gname, sizeof(gname), "%s.gp", stem);
	snprintf(path, sizeof(path), "%s/%s", outdir, dname);
	dat = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/%s", outdir, gname);
	gp = dat ? fopen(path, "w") : NULL;
	if (!dat || !gp) {
		rc = -1;
		goto out;
	}
	write_block(dat, rs, cond, pairs, n, host_parts, st->conds[baseline], st->conds[cond]);
	write_block(dat, rs, cond, pairs, n, guest_parts, st->conds[baseline], st->conds[cond]);
	fputs("# median CPU time per I/O, stacked by where it is spent (rep-N.counters)\n"
	      "set datafile missing '?'\n"
	      "set style data histogram\nset style histogram rowstacked gap 0\n"
	      "set style fill solid 0.85 border rgb '#333333'\nset boxwidth 0.8 relative\n"
	      "set grid ytics lc rgb '#dddddd' lw 1\nset border 3\nset tics nomirror\n"
	      "set key outside right top vertical samplen 1.5\nset yrange [0:*]\n"
	      "set ylabel 'CPU time per I/O (us)'\nset lmargin 12\n", gp);
	fprintf(gp, "set xtics rotate by 30 right font ',%d'\n", n > 6 ? 8 : 10);
	fputs("set multiplot layout 2,1 title 'CPU time per I/O: ", gp);
	gp_text(gp, st->conds[baseline]);
	fputs(" beside ", gp);
	gp_text(gp, st->conds[cond]);
	fputs(" (medians over repetitions)' font ',13'\n", gp);
	write_panel(gp, dname, 0, "on the host: QEMU threads", host_titles);
	write_panel(gp, dname, 1, "in the guest (its /proc/stat; part of the vCPU time above, not to be added)", guest_titles);
	fputs("unset multiplot\n", gp);
	if (ferror(dat) || ferror(gp))
		rc = -1;
	{
		int width = 900 + (n > 4 ? (int)(n - 4) * 120 : 0);

		add_figure(rl, stem, width > 3000 ? 3000 : width, 1000);
	}
out:
	if (dat && fclose(dat))
		rc = -1;
	if (gp && fclose(gp))
		rc = -1;
	free(pairs);
	return rc;
}
