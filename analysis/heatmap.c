// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heatmaps: backend (rows) x workload (columns), the colour of a cell is
 * its ratio on a diverging palette centred on 1.0 (ColorBrewer PuOr,
 * colour-blind safe: orange below 1, purple above), the ratio printed in
 * it (italic when its 95% interval includes 1: within noise), hatched
 * grey where a side is missing.  The colour axis is logarithmic and
 * symmetric around 1, so 0.5 and 2 are equally strong.  One panel per
 * metric of the other figures; one figure per compared condition
 * (compare / baseline) and one per condition against the reference
 * backend.  Scripts and data stay beside the images, like plot.c's.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "figures.h"
#include "cvmio.h"

/*
 * Colour ranges offered: the smallest holding every ratio of the figure
 * (and its inverse), at most 1/4..4: one outlier must not wash out the
 * common range of 0.5..2; a ratio beyond gets the end colour, its cell the
 * number.  One range for all four panels: the same colour is the same
 * ratio everywhere in a figure.  The ticks of each range, as printed.
 */
static const double color_spans[] = { 1.25, 1.5, 2, 4 };
#define NSPANS (sizeof(color_spans) / sizeof(color_spans[0]))
static const char *const span_ticks[NSPANS][5] = {
	{ "0.8", "0.9", "1", "1.1", "1.25" },
	{ "0.67", "0.8", "1", "1.25", "1.5" },
	{ "0.5", "0.7", "1", "1.4", "2" },
	{ "1/4", "1/2", "1", "2", "4" },
};
static const double span_tick_values[NSPANS][5] = {
	{ 0.8, 0.9, 1, 1.1, 1.25 },
	{ 1 / 1.5, 0.8, 1, 1.25, 1.5 },
	{ 0.5, 0.7, 1, 1.4, 2 },
	{ 0.25, 0.5, 1, 2, 4 },
};

struct heatmap {
	const char *stem;		/* file names without extension */
	char title[512];
	char ratio_name[256];		/* "sev-snp / plain" */
	const struct rowset *rs;
	size_t cond;
	const char *skip_backend;	/* the reference: its row would be all 1.0 */
};

/* The colour range of the figure (an index into color_spans); *clamped when some ratio lies beyond it. */
static size_t figure_span(const struct heatmap *h, bool *clamped)
{
	double worst = 1;
	for (size_t i = 0; i < h->rs->n; i++) {
		const struct row *r = &h->rs->r[i];
		bool shown = false;
		for (int p = 0; p < 4; p++)
			shown |= r->metric == panel_metrics[p];
		if (shown && r->compare_cond == h->cond && isfinite(r->ratio) && r->ratio > 0 &&
		    (!h->skip_backend || strcmp(r->backend, h->skip_backend)))
			worst = fmax(worst, fmax(r->ratio, 1 / r->ratio));
	}
	*clamped = worst > color_spans[NSPANS - 1];
	for (size_t k = 0; k < NSPANS; k++)
		if (worst <= color_spans[k])
			return k;
	return NSPANS - 1;
}

/* Two decimals where ratios usually are; tiny and huge ones keep two significant digits. */
static void cell_text(char *out, size_t len, double ratio)
{
	if (ratio >= 100)
		snprintf(out, len, "%.0f", ratio);
	else if (ratio >= 0.1)
		snprintf(out, len, "%.2f", ratio);
	else
		snprintf(out, len, "%.2g", ratio);
}

/*
 * One block per panel, a line per cell: column row ratio "text" textcolour
 * present ci_low ci_high.  A missing cell has present 0 (and ratio 1, never
 * drawn as a colour): no empty blocks, which gnuplot would not count.
 */
static void write_data(FILE *f, const struct heatmap *h, const struct axes *ax, double span,
		       size_t *nmissing)
{
	for (int p = 0; p < 4; p++) {
		nmissing[p] = 0;
		fprintf(f, "# %s, ratio %s: column row ratio label textcolour present ci_low ci_high\n",
			metric_name(panel_metrics[p]), h->ratio_name);
		for (size_t b = 0; b < ax->nb; b++)
			for (size_t w = 0; w < ax->nw; w++) {
				const struct row *r = rowset_find(h->rs, h->cond, ax->backends[b], &ax->w[w].sig,
								  ax->w[w].dir, panel_metrics[p]);
				if (!r || !isfinite(r->ratio) || r->ratio <= 0) {
					fprintf(f, "%zu %zu 1 \"\" 0 0 ? ?\n", w, b);
					nmissing[p]++;
					continue;
				}
				/* dark ends of the palette get white text */
				bool dark = fabs(log(r->ratio)) > 0.6 * log(span);
				bool noise = isfinite(r->ci_low) && r->ci_low <= 1 && 1 <= r->ci_high;
				char text[32];
				cell_text(text, sizeof(text), r->ratio);
				fprintf(f, "%zu %zu %.6g \"%s%s%s\" %d 1 ", w, b, r->ratio, noise ? "{/:Italic " : "", text,
					noise ? "}" : "", dark ? 0xffffff : 0x000000);
				if (isfinite(r->ci_low))
					fprintf(f, "%.6g %.6g\n", r->ci_low, r->ci_high);
				else
					fputs("? ?\n", f);
			}
		fputs("\n\n", f);
	}
}

static void write_axes(FILE *f, const struct axes *ax)
{
	fprintf(f, "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n", ax->nw - 1, ax->nb - 1);
	fputs("set xtics (", f);
	for (size_t w = 0; w < ax->nw; w++) {
		char label[200];
		workload_label(&ax->w[w], label, sizeof(label));
		fputs(w ? ", '" : "'", f);
		gp_text(f, label);
		fprintf(f, "' %zu", w);
	}
	fputs(") rotate by 30 right scale 0\nset ytics (", f);
	for (size_t b = 0; b < ax->nb; b++) {
		fputs(b ? ", '" : "'", f);
		gp_text(f, ax->backends[b]);
		fprintf(f, "' %zu", b);
	}
	fputs(") scale 0\n", f);
}

static void write_panel(FILE *f, const char *dat, int p, size_t span, bool clamped, size_t nmissing)
{
	enum metric m = panel_metrics[p];
	fprintf(f, "set title '%s (%s is better)'\n", panel_titles[p], metric_lower_is_better(m) ? "lower" : "higher");
	fprintf(f, "set cbrange [%.6g:%.6g]\nset cbtics (", 1 / color_spans[span], color_spans[span]);
	for (int k = 0; k < 5; k++) {
		/* clamped: the ends hold every ratio beyond them */
		const char *mark = clamped && k == 0 ? "≤ " : clamped && k == 4 ? "≥ " : "";
		fprintf(f, "%s'%s%s' %.6g", k ? ", " : "", mark, span_ticks[span][k], span_tick_values[span][k]);
	}
	fputs(")\n", f);
	/* no colour-bar label: the figure's title names the ratio, and a label would be cut at the edge */
	fprintf(f, "plot '%s' index %d using 1:2:(0.5):(0.5):($6 > 0 ? $3 : 1/0) with boxxyerror fc palette fs solid 1.0 border lc rgb 'white' notitle, \\\n"
		   "     '' index %d using 1:2:($6 > 0 ? stringcolumn(4) : ''):5 with labels tc rgb variable font ',11' notitle",
		dat, p, p);
	if (nmissing)
		fprintf(f, ", \\\n     '' index %d using 1:2:(0.5):($6 > 0 ? 1/0 : 0.5) with boxxyerror fc rgb '#999999' fs pattern 4 border lc rgb 'white' notitle, \\\n"
			   "     '' index %d using 1:2:($6 > 0 ? '' : 'missing') with labels font ',9' notitle",
			p, p);
	fputc('\n', f);
}

static void write_script(FILE *f, const char *dat, const struct heatmap *h, const struct axes *ax,
			 size_t span, bool clamped, const size_t *nmissing)
{
	fputs("# backend x workload heatmap of ratios; colour: log scale symmetric around 1\n", f);
	fputs("set palette defined (0 '#b35806', 0.25 '#f1a340', 0.5 '#f7f7f7', 0.75 '#998ec3', 1 '#542788')\n"
	      "set logscale cb\nset colorbox vertical user origin graph 1.04, graph 0 size graph 0.04, graph 1\n"
	      "set border 0\nset tics nomirror\nset key off\nset lmargin 14\nset rmargin 12\nset bmargin 9\n", f);
	write_axes(f, ax);
	fputs("set multiplot layout 2,2 title '", f);
	gp_text(f, h->title);
	/* a TCG heatmap cut out of the report must not pass for a hardware result */
	gp_accel_note(f, h->rs, h->cond);
	fputs("'.\"\\n\".'{/*0.8 medians over repetitions; italic: the 95% interval includes 1 (within noise)}' font ',13'\n", f);
	for (int p = 0; p < 4; p++)
		write_panel(f, dat, p, span, clamped, nmissing[p]);
	fputs("unset multiplot\n", f);
}

/* Rows of the figure: the axes of the rowset without the reference backend's own row. */
static int heatmap_axes(const struct heatmap *h, struct axes *ax)
{
	if (collect_axes(h->rs, h->cond, ax))
		return -1;
	size_t k = 0;
	for (size_t b = 0; b < ax->nb; b++)
		if (!h->skip_backend || strcmp(ax->backends[b], h->skip_backend))
			ax->backends[k++] = ax->backends[b];
	ax->nb = k;
	return 0;
}

static int write_heatmap(const char *outdir, const struct heatmap *h, struct render_list *rl)
{
	struct axes ax;
	if (heatmap_axes(h, &ax)) {
		free_axes(&ax);
		return -1;
	}
	if (!ax.nw || !ax.nb) {
		free_axes(&ax);
		return 0;
	}
	bool clamped;
	size_t nmissing[4], span = figure_span(h, &clamped);
	char dname[300], gname[300], path[4400];
	snprintf(dname, sizeof(dname), "%s.dat", h->stem);
	snprintf(gname, sizeof(gname), "%s.gp", h->stem);
	FILE *dat = open_out(outdir, dname, path, sizeof(path));
	FILE *gp = dat ? open_out(outdir, gname, path, sizeof(path)) : NULL;
	int rc = dat && gp ? 0 : -1;
	if (!rc) {
		write_data(dat, h, &ax, color_spans[span], nmissing);
		write_script(gp, dname, h, &ax, span, clamped, nmissing);
		rc = ferror(dat) || ferror(gp) ? -1 : 0;
	}
	if (dat && fclose(dat))
		rc = -1;
	if (gp && fclose(gp))
		rc = -1;
	/* a cell is about 110 x 50 pixels; room for the rotated workload labels and the colour box */
	int width = 2 * (300 + 110 * (int)ax.nw), height = 2 * (230 + 50 * (int)ax.nb) + 80;
	if (!rc)
		add_figure(rl, h->stem, width > 4000 ? 4000 : width, height > 3000 ? 3000 : height);
	free_axes(&ax);
	return rc;
}

static int write_all(const char *outdir, const struct heatmap_input *in, struct render_list *rl)
{
	const struct store *st = in->st;
	for (size_t c = 0; c < in->ncompares && in->ratios; c++) {
		char sc[128], stem[200];
		safe_name(st->conds[in->compares[c]], sc, sizeof(sc));
		snprintf(stem, sizeof(stem), "heatmap-ratios-%s", sc);
		struct heatmap h = { .stem = stem, .rs = in->ratios, .cond = in->compares[c] };
		snprintf(h.title, sizeof(h.title), "%s / %s per backend and workload", st->conds[in->compares[c]],
			 st->conds[in->baseline]);
		snprintf(h.ratio_name, sizeof(h.ratio_name), "%s / %s", st->conds[in->compares[c]],
			 st->conds[in->baseline]);
		if (write_heatmap(outdir, &h, rl))
			return -1;
	}
	for (size_t c = 0; c < in->nconds && in->backends && in->reference; c++) {
		char sc[128], stem[200];
		safe_name(st->conds[in->conds[c]], sc, sizeof(sc));
		snprintf(stem, sizeof(stem), "heatmap-backends-%s", sc);
		struct heatmap h = { .stem = stem, .rs = in->backends, .cond = in->conds[c],
				     .skip_backend = in->reference };
		snprintf(h.title, sizeof(h.title), "%s: each backend / reference backend %s", st->conds[in->conds[c]],
			 in->reference);
		snprintf(h.ratio_name, sizeof(h.ratio_name), "backend / %s", in->reference);
		if (write_heatmap(outdir, &h, rl))
			return -1;
	}
	return 0;
}

int heatmaps_write(const char *outdir, const char *gnuplot, const struct heatmap_input *in)
{
	char gp_path[4096], path[4400];
	if (!find_gnuplot(gnuplot, gp_path, sizeof(gp_path)))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "heatmaps: gnuplot not found%s%s (install gnuplot-nox)",
				   gnuplot ? " at " : " on PATH", gnuplot ? gnuplot : "");
	if (cvmio_mkdir_p(outdir))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "%s: cannot create: %s", outdir, strerror(errno));
	struct render_list rl = { 0 };
	rl.render = open_out(outdir, "render-heatmaps.gp", path, sizeof(path));
	if (!rl.render)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "%s: cannot write: %s", path, strerror(errno));
	fputs("# renders the heatmaps of this folder to PNG, SVG and PDF: gnuplot render-heatmaps.gp\n", rl.render);
	int rc = write_all(outdir, in, &rl);
	bool bad = ferror(rl.render) != 0;
	bad |= fclose(rl.render) != 0;
	if (rc || bad)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "%s: writing the heatmap scripts failed", outdir);
	if (!rl.figures)
		return 0;
	int st_gp = run_gnuplot(gp_path, outdir, "render-heatmaps.gp", "render-heatmaps.log");
	if (st_gp)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "gnuplot failed (exit %d); see %s/render-heatmaps.log",
				   st_gp, outdir);
	return 0;
}
