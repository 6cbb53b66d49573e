// SPDX-License-Identifier: GPL-2.0-only
/*
 * --plot OUTDIR: gnuplot scripts plus their data, rendered to PNG, SVG and
 * PDF.  Per compared condition: grouped bars of the ratios per workload and
 * backend with the bootstrap interval as whiskers and a 1.0 line (bandwidth,
 * IOPS, mean and p99 latency panels), the absolute medians side by side, and
 * per backend the completion-latency CDFs from the merged json+ bins.  The
 * scripts stay in OUTDIR so a figure can be restyled and re-rendered with
 * 'gnuplot render.gp'.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "figures.h"
#include "cvmio.h"

#define MAX_CDF_PANELS 12

const enum metric panel_metrics[4] = { M_BW_KIB, M_IOPS, M_LAT_MEAN_US, M_CLAT_P99_US };
const char *const panel_titles[4] = { "Bandwidth", "IOPS", "Mean latency", "p99 completion latency" };
static const char *const abs_units[4] = { "MiB/s", "kIOPS", "us", "us" };
static const double abs_scale[4] = { 1.0 / 1024.0, 1.0 / 1000.0, 1.0, 1.0 };

/* Colour-blind-safe palette (Okabe-Ito). */
static const char *const palette[] = { "#0072B2", "#E69F00", "#009E73", "#CC79A7",
				       "#56B4E9", "#D55E00", "#F0E442", "#000000" };
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* A file-name-safe copy of a condition or backend name. */
void safe_name(const char *in, char *out, size_t len)
{
	size_t i = 0;
	for (; in[i] && i + 1 < len; i++) {
		char c = in[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.';
		out[i] = ok ? c : '_';
	}
	out[i] = '\0';
}

/* A string for a gnuplot single-quoted literal (quotes doubled) and enhanced text (escapes). */
void gp_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if (*s == '_' || *s == '^' || *s == '@' || *s == '&' || *s == '{' || *s == '}')
			fputs("\\\\", f);
		fputc(*s, f);
	}
}

/*
 * The accelerator of a figure's rows (of compared condition cond) after its title: a TCG figure must not pass for a
 * hardware result once it is cut out of the report.
 */
static void gp_accel(FILE *f, unsigned accel)
{
	fprintf(f, " [accel %s%s]", accel_word(accel),
		accel & ACCEL_TCG ? ": CPU emulated, the pipeline, not hardware costs" : "");
}

void gp_accel_note(FILE *f, const struct rowset *rs, size_t cond)
{
	unsigned accel = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].compare_cond == cond)
			accel |= rs->r[i].accel;
	gp_accel(f, accel);
}

static int cmp_workload(const struct workload *a, const struct workload *b)
{
	int c = signature_cmp(&a->sig, &b->sig);
	return c ? c : (int)a->dir - (int)b->dir;
}

/* The workloads and backends with at least one row for compare condition cond. */
int collect_axes(const struct rowset *rs, size_t cond, struct axes *ax)
{
	memset(ax, 0, sizeof(*ax));
	ax->w = calloc(rs->n + 1, sizeof(*ax->w));
	ax->backends = calloc(rs->n + 1, sizeof(*ax->backends));
	if (!ax->w || !ax->backends)
		return -1;
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->compare_cond != cond)
			continue;
		struct workload w = { r->sig, r->dir };
		size_t j = 0;
		while (j < ax->nw && cmp_workload(&ax->w[j], &w))
			j++;
		if (j == ax->nw)
			ax->w[ax->nw++] = w;
		j = 0;
		while (j < ax->nb && strcmp(ax->backends[j], r->backend))
			j++;
		if (j == ax->nb)
			ax->backends[ax->nb++] = r->backend;
	}
	/* insertion sorts: a handful of entries */
	for (size_t i = 1; i < ax->nw; i++)
		for (size_t j = i; j > 0 && cmp_workload(&ax->w[j - 1], &ax->w[j]) > 0; j--) {
			struct workload t = ax->w[j];
			ax->w[j] = ax->w[j - 1];
			ax->w[j - 1] = t;
		}
	for (size_t i = 1; i < ax->nb; i++)
		for (size_t j = i; j > 0 && strcmp(ax->backends[j - 1], ax->backends[j]) > 0; j--) {
			const char *t = ax->backends[j];
			ax->backends[j] = ax->backends[j - 1];
			ax->backends[j - 1] = t;
		}
	return 0;
}

void free_axes(struct axes *ax)
{
	free(ax->w);
	free(ax->backends);
}

void workload_label(const struct workload *w, char *out, size_t len)
{
	char label[160];
	signature_label(&w->sig, w->dir, label, sizeof(label));
	bool mixed = strcmp(w->sig.rw, "read") && strcmp(w->sig.rw, "randread") &&
		     !rw_only_writes(w->sig.rw);
	snprintf(out, len, "%s%s%s", label, mixed ? " " : "", mixed ? direction_name(w->dir) : "");
}

FILE *open_out(const char *dir, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	return fopen(path, "w");
}

/* Data: one block per panel metric; a row per workload: label, then per backend ratio lo hi. */
static void write_ratio_data(FILE *f, const struct rowset *rs, size_t cond, const struct axes *ax)
{
	for (int p = 0; p < 4; p++) {
		fprintf(f, "# %s: workload", metric_name(panel_metrics[p]));
		for (size_t b = 0; b < ax->nb; b++)
			fprintf(f, "  %s:ratio ci_low ci_high", ax->backends[b]);
		fputc('\n', f);
		for (size_t w = 0; w < ax->nw; w++) {
			char label[200];
			workload_label(&ax->w[w], label, sizeof(label));
			fputc('"', f);
			gp_text(f, label);
			fputc('"', f);
			for (size_t b = 0; b < ax->nb; b++) {
				const struct row *r = rowset_find(rs, cond, ax->backends[b], &ax->w[w].sig, ax->w[w].dir, panel_metrics[p]);
				if (!r || !isfinite(r->ratio))
					fputs(" ? ? ?", f);
				else if (isfinite(r->ci_low))
					fprintf(f, " %.6g %.6g %.6g", r->ratio, r->ci_low, r->ci_high);
				else	/* fewer than 3 repetitions: no whisker */
					fprintf(f, " %.6g %.6g %.6g", r->ratio, r->ratio, r->ratio);
			}
			fputc('\n', f);
		}
		fputs("\n\n", f);
	}
}

/* nbars: the groups along x (rows of a data block). */
static void gp_common(FILE *f, size_t nbars)
{
	fputs("set datafile missing '?'\n"
	      "set style data histogram\n"
	      "set style fill solid 0.85 border rgb '#333333'\n"
	      "set boxwidth 0.9 relative\n"
	      "set grid ytics lc rgb '#dddddd' lw 1\n"
	      "set border 3\nset tics nomirror\n"
	      "set key top right horizontal samplen 1.5 spacing 1\n"
	      "set yrange [0:*]\n"
	      "set lmargin 16\nset rmargin 4\n", f);
	/* labels end under their group; no empty slot before the first group */
	fprintf(f, "set xtics rotate by 30 right font ',%d'\n", nbars > 10 ? 8 : 10);
	fprintf(f, "set xrange [-0.6:%.1f]\n", (double)nbars - 0.4);
}

/* Ratios spanning more than a decade get a log axis, where 0.5 and 2 are equally far from 1. */
static void ratio_yaxis(FILE *f, const struct rowset *rs, size_t cond, enum metric m)
{
	double lo = INFINITY, hi = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->compare_cond != cond || r->metric != m)
			continue;
		const double v[3] = { r->ratio, r->ci_low, r->ci_high };
		for (int k = 0; k < 3; k++)
			if (isfinite(v[k]) && v[k] > 0) {
				lo = fmin(lo, v[k]);
				hi = fmax(hi, v[k]);
			}
	}
	if (hi > 0 && hi / lo > 10) {
		lo = fmin(lo, 1.0);
		hi = fmax(hi, 1.0);
		fprintf(f, "set logscale y 10\nset yrange [%g:%g]\n", lo / 1.5, hi * 1.5);
	} else {
		fputs("unset logscale y\nset yrange [0:*]\n", f);
	}
}

static void write_ratio_script(FILE *f, const char *dat, const char *ctitle, const char *btitle,
			       const struct axes *ax, const struct rowset *rs, size_t cond)
{
	fprintf(f, "# ratios of medians, %s / %s; whiskers: 95%% bootstrap interval (>= 3 repetitions a side)\n",
		ctitle, btitle);
	gp_common(f, ax->nw);
	fputs("set style histogram errorbars gap 1.5 lw 1.2\n"
	      "set bars front\n", f);
	fputs("set multiplot layout 2,2 title '", f);
	gp_text(f, ctitle);
	fputs(" / ", f);
	gp_text(f, btitle);
	fputs(": ratio per backend and workload (whiskers: 95% bootstrap CI)", f);
	gp_accel_note(f, rs, cond);
	fputs("' font ',13'\n", f);
	for (int p = 0; p < 4; p++) {
		fprintf(f, "set title '%s (%s is better)'\n", panel_titles[p],
			metric_lower_is_better(panel_metrics[p]) ? "lower" : "higher");
		ratio_yaxis(f, rs, cond, panel_metrics[p]);
		fputs("set ylabel 'ratio ", f);
		gp_text(f, ctitle);
		fputs(" / ", f);
		gp_text(f, btitle);
		fputs("'\n", f);
		/* the 1.0 reference: no change from the baseline */
		fputs("unset arrow\nset arrow from graph 0, first 1 to graph 1, first 1 nohead front dt 2 lw 1.5 lc rgb '#000000'\n", f);
		fprintf(f, "plot '%s' index %d ", dat, p);
		for (size_t b = 0; b < ax->nb; b++) {
			if (b)
				fputs(", '' index ", f), fprintf(f, "%d ", p);
			fprintf(f, "using %zu:%zu:%zu%s title '", 2 + 3 * b, 3 + 3 * b, 4 + 3 * b,
				b == 0 ? ":xtic(1)" : "");
			gp_text(f, ax->backends[b]);
			fprintf(f, "' lc rgb '%s'", palette[b % NPALETTE]);
		}
		fputc('\n', f);
	}
	fputs("unset multiplot\n", f);
}

/* Absolute medians: per panel metric, a row per backend x workload with baseline and compare. */
static void write_abs_data(FILE *f, const struct rowset *rs, size_t cond, const struct axes *ax)
{
	for (int p = 0; p < 4; p++) {
		fprintf(f, "# %s (%s): backend/workload baseline compare\n", metric_name(panel_metrics[p]),
			abs_units[p]);
		for (size_t b = 0; b < ax->nb; b++)
			for (size_t w = 0; w < ax->nw; w++) {
				const struct row *r = rowset_find(rs, cond, ax->backends[b], &ax->w[w].sig, ax->w[w].dir, panel_metrics[p]);
				char label[200];
				workload_label(&ax->w[w], label, sizeof(label));
				fputc('"', f);
				if (ax->nb > 1) {
					gp_text(f, ax->backends[b]);
					fputs(": ", f);
				}
				gp_text(f, label);
				fputc('"', f);
				if (r)
					fprintf(f, " %.6g %.6g\n", r->baseline * abs_scale[p], r->compare * abs_scale[p]);
				else
					fputs(" ? ?\n", f);
			}
		fputs("\n\n", f);
	}
}

static void write_abs_script(FILE *f, const char *dat, const char *ctitle, const char *btitle,
			     const struct axes *ax, const struct rowset *rs, size_t cond)
{
	fprintf(f, "# absolute medians over the repetitions, %s beside %s\n", btitle, ctitle);
	gp_common(f, ax->nw * ax->nb);
	fputs("set logscale y 10\nset yrange [*:*]\nset format y '%g'\n", f);
	fputs("set style histogram clustered gap 1.5\n", f);
	fputs("set multiplot layout 2,2 title 'Medians over repetitions: ", f);
	gp_text(f, btitle);
	fputs(" vs ", f);
	gp_text(f, ctitle);
	gp_accel_note(f, rs, cond);
	fputs("' font ',13'\n", f);
	for (int p = 0; p < 4; p++) {
		fprintf(f, "set title '%s'\nset ylabel '%s'\n", panel_titles[p], abs_units[p]);
		fprintf(f, "plot '%s' index %d using 2:xtic(1) title '", dat, p);
		gp_text(f, btitle);
		fprintf(f, "' lc rgb '%s', '' index %d using 3 title '", palette[0], p);
		gp_text(f, ctitle);
		fprintf(f, "' lc rgb '%s'\n", palette[1]);
	}
	fputs("unset multiplot\n", f);
}

/* CDF points of a merged histogram: latency in us, cumulative fraction. */
static void write_cdf_block(FILE *f, const struct hist *h)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < h->n; i++) {
		sum += h->bins[i].count;
		fprintf(f, "%.6g %.6g\n", (double)h->bins[i].value_ns / 1000.0, (double)sum / (double)h->total);
	}
	fputs("\n\n", f);
}

void add_figure(struct render_list *rl, const char *stem, int width, int height)
{
	fprintf(rl->render,
		"set terminal pngcairo size %d,%d font 'Sans,10' enhanced\nset output '%s.png'\nload '%s.gp'\nreset\n"
		"set terminal svg size %d,%d font 'Sans,10' enhanced background rgb 'white'\nset output '%s.svg'\nload '%s.gp'\nreset\n"
		"set terminal pdfcairo size %.1fin,%.1fin font 'Sans,7' enhanced\nset output '%s.pdf'\nload '%s.gp'\nreset\nset output\n",
		width, height, stem, stem, width, height, stem, stem, width / 150.0, height / 150.0, stem, stem);
	rl->figures++;
}

/* One CDF figure per backend: a panel per workload and direction, a line per condition. */
static int write_cdfs(const char *outdir, const struct store *st, size_t baseline, const size_t *compares,
		      size_t ncompares, struct render_list *rl)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct series *s0 = &st->s[i];
		if (s0->cond != baseline)
			continue;
		/* the first baseline series of each backend writes that backend's figure */
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			if (st->s[j].cond == baseline && !strcmp(st->s[j].backend, s0->backend))
				first = false;
		if (!first)
			continue;
		char sb[128], stem[160], path[4400];
		safe_name(s0->backend, sb, sizeof(sb));
		snprintf(stem, sizeof(stem), "cdf-%s", sb);
		char dname[200], gname[200];
		snprintf(dname, sizeof(dname), "%s.dat", stem);
		snprintf(gname, sizeof(gname), "%s.gp", stem);
		FILE *dat = open_out(outdir, dname, path, sizeof(path));
		if (!dat)
			return -1;
		FILE *gp = open_out(outdir, gname, path, sizeof(path));
		if (!gp) {
			fclose(dat);
			return -1;
		}
		unsigned panels = 0, block = 0;
		fputs("# completion-latency CDFs from the merged json+ bins of all repetitions\n", gp);
		fputs("set logscale x 10\nset format x '10^{%T}'\nset yrange [0:1.02]\nset grid xtics ytics mxtics lc rgb '#dddddd'\n"
		      "set border 3\nset tics nomirror\nset key bottom right\nset xlabel 'completion latency (us)'\n"
		      "set ylabel 'fraction of I/Os'\n", gp);
		/* panels: workloads of this backend whose baseline and some compare have bins */
		size_t npanels = 0;
		for (size_t k = 0; k < st->n; k++) {
			const struct series *s = &st->s[k];
			if (s->cond != baseline || strcmp(s->backend, s0->backend) || !s->cdf.total)
				continue;
			for (size_t c = 0; c < ncompares; c++) {
				const struct series *t = store_find(st, compares[c], s->backend, &s->sig, s->dir);
				if (t && t->cdf.total) {
					npanels++;
					break;
				}
			}
		}
		if (npanels > MAX_CDF_PANELS)
			npanels = MAX_CDF_PANELS;
		unsigned cols = npanels <= 1 ? 1 : npanels <= 4 ? 2 : 3;
		unsigned rows = npanels ? (unsigned)((npanels + cols - 1) / cols) : 1;
		fprintf(gp, "set multiplot layout %u,%u title 'Completion-latency CDF, backend ", rows, cols);
		gp_text(gp, s0->backend);
		unsigned accel = 0;
		for (size_t k = 0; k < st->n; k++)
			if (!strcmp(st->s[k].backend, s0->backend))
				accel |= st->s[k].accel;
		gp_accel(gp, accel);
		fputs("' font ',13'\n", gp);
		for (size_t k = 0; k < st->n && panels < MAX_CDF_PANELS; k++) {
			const struct series *s = &st->s[k];
			if (s->cond != baseline || strcmp(s->backend, s0->backend) || !s->cdf.total)
				continue;
			const struct series *peers[16];
			size_t np = 0;
			for (size_t c = 0; c < ncompares && np < 16; c++) {
				const struct series *t = store_find(st, compares[c], s->backend, &s->sig, s->dir);
				if (t && t->cdf.total)
					peers[np++] = t;
			}
			if (!np)
				continue;
			struct workload w = { s->sig, s->dir };
			char label[200];
			workload_label(&w, label, sizeof(label));
			fputs("set title '", gp);
			gp_text(gp, label);
			fputs("'\n", gp);
			write_cdf_block(dat, &s->cdf);
			fprintf(gp, "plot '%s' index %u using 1:2 with steps lw 2 lc rgb '%s' title '", dname, block++,
				palette[0]);
			gp_text(gp, st->conds[baseline]);
			fputc('\'', gp);
			for (size_t p = 0; p < np; p++) {
				write_cdf_block(dat, &peers[p]->cdf);
				/* dashed: a compare curve lying on the baseline stays visible */
				fprintf(gp, ", '' index %u using 1:2 with steps lw 2 dt %zu lc rgb '%s' title '", block++,
					p + 2, palette[(p + 1) % NPALETTE]);
				gp_text(gp, st->conds[peers[p]->cond]);
				fputc('\'', gp);
			}
			fputc('\n', gp);
			panels++;
		}
		fputs("unset multiplot\n", gp);
		bool bad = ferror(dat) || ferror(gp);
		bad |= fclose(dat) != 0;
		bad |= fclose(gp) != 0;
		if (bad)
			return -1;
		if (panels)
			add_figure(rl, stem, 520 * (int)cols, 400 * (int)rows + 60);
	}
	return 0;
}

static int write_condition(const char *outdir, const struct store *st, size_t baseline, size_t cond,
			   const struct rowset *rs, struct render_list *rl)
{
	struct axes ax;
	if (collect_axes(rs, cond, &ax)) {
		free_axes(&ax);
		return -1;
	}
	if (!ax.nw) {
		free_axes(&ax);
		return 0;
	}
	char sc[128], stem[200], path[4400], dname[220], gname[220];
	safe_name(st->conds[cond], sc, sizeof(sc));
	int rc = 0;
	for (int kind = 0; kind < 2 && !rc; kind++) {
		snprintf(stem, sizeof(stem), "%s-%s", kind ? "absolute" : "ratios", sc);
		snprintf(dname, sizeof(dname), "%s.dat", stem);
		snprintf(gname, sizeof(gname), "%s.gp", stem);
		FILE *dat = open_out(outdir, dname, path, sizeof(path));
		FILE *gp = dat ? open_out(outdir, gname, path, sizeof(path)) : NULL;
		if (!dat || !gp) {
			if (dat)
				fclose(dat);
			rc = -1;
			break;
		}
		if (kind) {
			write_abs_data(dat, rs, cond, &ax);
			write_abs_script(gp, dname, st->conds[cond], st->conds[baseline], &ax, rs, cond);
		} else {
			write_ratio_data(dat, rs, cond, &ax);
			write_ratio_script(gp, dname, st->conds[cond], st->conds[baseline], &ax, rs, cond);
		}
		bool bad = ferror(dat) || ferror(gp);
		bad |= fclose(dat) != 0;
		bad |= fclose(gp) != 0;
		if (bad)
			rc = -1;
		size_t bars = kind ? ax.nw * ax.nb * 2 : ax.nw * ax.nb;
		int width = 1400 + (bars > 16 ? (int)(bars - 16) * 30 : 0);
		add_figure(rl, stem, width > 3000 ? 3000 : width, 1050);
	}
	free_axes(&ax);
	return rc;
}

/* gnuplot itself: CVMIO_GNUPLOT, else the first gnuplot on PATH. */
bool find_gnuplot(const char *override, char *out, size_t len)
{
	if (override && override[0]) {
		snprintf(out, len, "%s", override);
		return access(out, X_OK) == 0;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		if (n && snprintf(out, len, "%.*s/gnuplot", (int)n, path) < (int)len && access(out, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

int run_gnuplot(const char *gnuplot, const char *outdir, const char *script, const char *log_name)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(outdir))
			_exit(126);
		int log = open(log_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (log >= 0) {
			dup2(log, STDOUT_FILENO);
			dup2(log, STDERR_FILENO);
		}
		execl(gnuplot, gnuplot, script, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int plot_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
	       const size_t *compares, size_t ncompares, const struct rowset *rs)
{
	char gp_path[4096];
	if (!find_gnuplot(gnuplot, gp_path, sizeof(gp_path)))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot: gnuplot not found%s%s (install gnuplot-nox)",
				   gnuplot ? " at " : " on PATH", gnuplot ? gnuplot : "");
	if (mkdir(outdir, 0755) && errno != EEXIST)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot %s: cannot create: %s", outdir, strerror(errno));
	char path[4400];
	struct render_list rl = { 0 };
	rl.render = open_out(outdir, "render.gp", path, sizeof(path));
	if (!rl.render)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "%s: cannot write: %s", path, strerror(errno));
	fputs("# renders every figure of this folder to PNG, SVG and PDF: gnuplot render.gp\n", rl.render);
	int rc = 0;
	for (size_t c = 0; c < ncompares && !rc; c++) {
		rc = write_condition(outdir, st, baseline, compares[c], rs, &rl);
		if (!rc)
			rc = plot_costs_write(outdir, st, baseline, compares[c], rs, &rl);
	}
	if (!rc)
		rc = write_cdfs(outdir, st, baseline, compares, ncompares, &rl);
	bool bad = ferror(rl.render) != 0;
	bad |= fclose(rl.render) != 0;
	if (rc || bad)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot %s: writing the scripts failed", outdir);
	int st_gp = run_gnuplot(gp_path, outdir, "render.gp", "render.log");
	if (st_gp)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "gnuplot failed (exit %d); see %s/render.log",
				   st_gp, outdir);
	return 0;
}

int plot_run_script(const char *gnuplot, const char *outdir, const char *script)
{
	char gp_path[4096], log[256];
	size_t stem = strlen(script);
	int st_gp;

	if (!find_gnuplot(gnuplot, gp_path, sizeof(gp_path)))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--plot: gnuplot not found%s%s (install gnuplot-nox)",
				   gnuplot ? " at " : " on PATH", gnuplot ? gnuplot : "");
	/* suite.gp logs to suite.log */
	if (stem > 3 && !strcmp(script + stem - 3, ".gp"))
		stem -= 3;
	snprintf(log, sizeof(log), "%.*s.log", (int)stem, script);
	st_gp = run_gnuplot(gp_path, outdir, script, log);
	if (st_gp)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "gnuplot failed (exit %d); see %s/%s",
				   st_gp, outdir, log);
	return 0;
}
