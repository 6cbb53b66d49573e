/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The gnuplot figures: ratio bars, absolute values, CDFs, the cost breakdown
 * and the heatmaps (plot.c, plot_costs.c, heatmap.c).
 */
#ifndef CVMIO_ANALYSIS_FIGURES_H
#define CVMIO_ANALYSIS_FIGURES_H

#include "rows.h"

/* ---- plot.c ---- */

struct render_list;

/* plot_costs.c: the cost-breakdown figure per compared condition (none without counters). */
int plot_costs_write(const char *outdir, const struct store *st, size_t baseline, size_t cond,
		     const struct rowset *rs, struct render_list *rl);

/* Writes gnuplot scripts + data into outdir and renders PNG, SVG and PDF. Returns a cvmio exit code. */
int plot_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
	       const size_t *compares, size_t ncompares, const struct rowset *rs);
/* Run gnuplot (found as plot_write() does) on script in outdir.  A cvmio exit code. */
int plot_run_script(const char *gnuplot, const char *outdir, const char *script);

/* ---- shared by the figure writers (plot.c, plot_costs.c, heatmap.c) ---- */

/* The pieces other figure writers (heatmap.c, plot_costs.c) share with plot.c. */
/* The four metrics of every figure's panels (bandwidth, IOPS, mean and p99 latency) and their titles. */
extern const enum metric panel_metrics[4];
extern const char *const panel_titles[4];
struct workload {
	struct signature sig;
	enum direction dir;
};

/* The x and y of a figure: sorted workloads and backends. */
struct axes {
	struct workload *w;
	size_t nw;
	const char **backends;
	size_t nb;
};

/* The workloads and backends with at least one row of condition cond (compare_cond). */
int collect_axes(const struct rowset *rs, size_t cond, struct axes *ax);
void free_axes(struct axes *ax);
/* The signature label, with the direction added for mixed workloads. */
void workload_label(const struct workload *w, char *out, size_t len);
struct render_list {
	FILE *render;		/* render*.gp: sets terminals and loads each figure's script */
	unsigned figures;
};
/* Appends PNG, SVG and PDF renderings of stem.gp (width x height pixels) to the render script. */
void add_figure(struct render_list *rl, const char *stem, int width, int height);
/* A file-name-safe copy of a condition or backend name. */
void safe_name(const char *in, char *out, size_t len);
/* A string for a gnuplot single-quoted literal (quotes doubled) and enhanced text (escapes). */
void gp_text(FILE *f, const char *s);
FILE *open_out(const char *dir, const char *name, char *path, size_t len);
/* " [accel kvm]" (or tcg, with what that means) of the rows of condition cond, for a figure's title. */
void gp_accel_note(FILE *f, const struct rowset *rs, size_t cond);
/* gnuplot itself: override (CVMIO_GNUPLOT) when set, else the first gnuplot on PATH. */
bool find_gnuplot(const char *override, char *out, size_t len);
/* Runs gnuplot script in outdir, its output into log_name there; gnuplot's exit status. */
int run_gnuplot(const char *gnuplot, const char *outdir, const char *script, const char *log_name);

/* ---- heatmap.c ---- */

/* What the heatmaps are drawn from; either rowset may be empty. */
struct heatmap_input {
	const struct store *st;
	const struct rowset *ratios;	/* compare / baseline rows (compare_build) */
	size_t baseline;
	const size_t *compares;
	size_t ncompares;
	const struct rowset *backends;	/* backend / reference rows (backends_build) */
	const size_t *conds;
	size_t nconds;
	const char *reference;
};

/*
 * Backend x workload heatmaps (a panel per metric: bandwidth, IOPS, mean and
 * p99 latency), one per compared condition (heatmap-ratios-COND) and one per
 * condition against the reference backend (heatmap-backends-COND), as
 * gnuplot scripts and data rendered to PNG, SVG and PDF in outdir (created
 * when missing).  For --plot and the study report.  A cvmio exit code.
 */
int heatmaps_write(const char *outdir, const char *gnuplot, const struct heatmap_input *in);

#endif
