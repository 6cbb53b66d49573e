// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio analyze --report OUTDIR: what a study's report needs in one
 * folder: the ratios in every format (ratios.txt, .md, .csv, .tex, .json,
 * .html), the gnuplot figures (PNG, SVG, PDF) and index.html, one page that
 * opens offline: the tables, every SVG figure inlined, the provenance and
 * the warnings of the analysis.  No script, no stylesheet or font from
 * elsewhere, no link out: a report mailed or archived stays whole.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "report.h"
#include "tables.h"
#include "cvmio.h"

void report_init(struct report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void report_free(struct report *rep)
{
	free(rep->s);
	report_init(rep);
}

int report_add_section(struct report *rep, const char *id, const char *title, report_section_fn write,
		       const void *ctx)
{
	struct report_section *grown = cvmio_grow(rep->s, rep->n, &rep->cap, sizeof(*grown));
	if (!grown)
		return -1;
	rep->s = grown;
	struct report_section *s = &rep->s[rep->n++];
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->title, sizeof(s->title), "%s", title);
	s->write = write;
	s->ctx = ctx;
	return 0;
}

int report_write_file(const char *outdir, const char *name, report_file_fn write, const void *ctx)
{
	char path[4200], *text = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	int rc = write(mem, ctx);
	if (fclose(mem) && !rc)
		rc = cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	if (!rc && cvmio_write_atomic(path, text))
		rc = cvmio_error(CVMIO_EXIT_ENV, "analyze", "%s: cannot write: %s", path, strerror(errno));
	free(text);
	return rc;
}

struct format_ctx {
	enum out_format f;
	const struct store *st;
	size_t baseline;
	const struct rowset *rs;
};

static int write_format(FILE *out, const void *ctx)
{
	const struct format_ctx *c = ctx;
	return table_write(out, c->f, c->st, c->baseline, c->rs)
		       ? cvmio_error(CVMIO_EXIT_ENV, "analyze", "writing the table failed") : 0;
}

/* ---- the built-in sections ---- */

struct tables_ctx {
	const struct store *st;
	size_t baseline;
	const struct rowset *rs;
};

static void section_tables(FILE *html, const void *ctx)
{
	const struct tables_ctx *t = ctx;
	fputs("<p>ratio = compare / baseline; paired rows (n = pairs) give the median of the per-pair ratios, "
	      "a bootstrap interval over pairs and Wilcoxon's signed-rank p; unpaired rows the ratio of the "
	      "medians and Mann-Whitney U (see cvmio-analyze(1)). The same numbers: "
	      "<a href=\"ratios.csv\">ratios.csv</a>, <a href=\"ratios.json\">ratios.json</a>, "
	      "<a href=\"ratios.md\">ratios.md</a>, <a href=\"ratios.tex\">ratios.tex</a>, "
	      "<a href=\"ratios.txt\">ratios.txt</a>.</p>\n", html);
	write_html_tables(html, t->st, t->baseline, t->rs);
}

static void section_warnings(FILE *html, const void *ctx)
{
	const struct diag *d = ctx;
	if (!d->nseen) {
		fputs("<p>none</p>\n", html);
		return;
	}
	fputs("<ul class=\"warnings\">\n", html);
	for (size_t i = 0; i < d->nseen; i++) {
		fputs("<li>", html);
		html_escaped(html, d->seen[i]);
		fputs("</li>\n", html);
	}
	fputs("</ul>\n", html);
}

static int svg_only(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && !strcmp(e->d_name + n - 4, ".svg");
}

/*
 * The <svg> opening tag without its xmlns declarations: inline SVG in
 * HTML needs none, and a page without a single http:// in it is easy to
 * check for references to the network.
 */
static const char *put_svg_tag(FILE *html, const char *svg)
{
	const char *end = strchr(svg, '>');
	if (!end)
		return svg;
	for (const char *p = svg; p <= end;) {
		if (!strncmp(p, " xmlns", 6)) {
			const char *q = strchr(p, '"');
			q = q && q < end ? strchr(q + 1, '"') : NULL;
			if (q && q < end) {
				p = q + 1;
				continue;
			}
		}
		fputc(*p++, html);
	}
	return end + 1;
}

/* One SVG file from <svg to its end, without the XML prolog (inline SVG needs none). */
static void inline_svg(FILE *html, const char *path)
{
	char *text = cvmio_read_file(path);
	const char *svg = text ? strstr(text, "<svg") : NULL;
	if (svg)
		fputs(put_svg_tag(html, svg), html);
	else
		fputs("<p class=\"note\">(this figure could not be read)</p>", html);
	free(text);
}

static void section_figures(FILE *html, const void *ctx)
{
	const char *outdir = ctx;
	struct dirent **ents;
	int n = scandir(outdir, &ents, svg_only, alphasort);
	if (n <= 0) {
		fputs("<p>none</p>\n", html);
		if (n == 0)
			free(ents);
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", outdir, ents[i]->d_name);
		fputs("<figure>\n", html);
		inline_svg(html, path);
		fputs("\n<figcaption>", html);
		html_escaped(html, ents[i]->d_name);
		fputs(" (also as PNG and PDF in this folder)</figcaption>\n</figure>\n", html);
		free(ents[i]);
	}
	free(ents);
}

/* ---- the page ---- */

static const char page_style[] =
	"body{font-family:sans-serif;margin:2em;color:#111;background:#fff}"
	"table.ratios{border-collapse:collapse;margin:0 0 1.5em 0;font-size:90%}"
	"table.ratios th,table.ratios td{border:1px solid #bbb;padding:2px 6px}"
	"table.ratios th{background:#eee}.num{text-align:right}"
	".banner{background:#fff3cd;border:2px solid #c90;padding:.6em}"
	"figure{margin:1em 0}figure svg{max-width:100%;height:auto}";

struct page_ctx {
	const struct store *st;
	size_t baseline;
	const struct report *rep;
};

static int write_page(FILE *html, const void *ctx)
{
	const struct page_ctx *pc = ctx;
	const struct store *st = pc->st;
	size_t baseline = pc->baseline;
	const struct report *rep = pc->rep;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>cvmio report: ", html);
	html_escaped(html, st->conds[baseline]);
	fprintf(html, " baseline</title>\n<style>%s</style>\n</head>\n<body>\n<h1>cvmio report</h1>\n", page_style);
	fputs("<p>baseline: <strong>", html);
	html_escaped(html, st->conds[baseline]);
	fputs("</strong></p>\n<nav><ul>\n", html);
	for (size_t i = 0; i < rep->n; i++) {
		fprintf(html, "<li><a href=\"#%s\">", rep->s[i].id);
		html_escaped(html, rep->s[i].title);
		fputs("</a></li>\n", html);
	}
	fputs("</ul></nav>\n", html);
	for (size_t i = 0; i < rep->n; i++) {
		fprintf(html, "<section id=\"%s\">\n<h2>", rep->s[i].id);
		html_escaped(html, rep->s[i].title);
		fputs("</h2>\n", html);
		rep->s[i].write(html, rep->s[i].ctx);
		fputs("</section>\n", html);
	}
	fputs("</body>\n</html>\n", html);
	return 0;
}

int report_write(const char *outdir, const char *gnuplot, const struct store *st, size_t baseline,
		 const size_t *compares, size_t ncompares, const struct rowset *rs, const struct diag *d,
		 struct report *rep)
{
	if (cvmio_mkdir_p(outdir))
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "--report %s: cannot create: %s", outdir, strerror(errno));
	static const struct {
		const char *name;
		enum out_format f;
	} formats[] = { { "ratios.txt", FMT_TEXT }, { "ratios.md", FMT_MD }, { "ratios.csv", FMT_CSV },
			{ "ratios.tex", FMT_LATEX }, { "ratios.json", FMT_JSON }, { "ratios.html", FMT_HTML } };
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct format_ctx c = { formats[i].f, st, baseline, rs };
		int rc = report_write_file(outdir, formats[i].name, write_format, &c);
		if (rc)
			return rc;
	}
	int rc = plot_write(outdir, gnuplot, st, baseline, compares, ncompares, rs);
	if (rc)
		return rc;
	/* the built-in sections first, then whatever other parts added */
	struct tables_ctx t = { st, baseline, rs };
	struct report page;
	report_init(&page);
	if (report_add_section(&page, "ratios", "Ratios", section_tables, &t) ||
	    report_add_section(&page, "figures", "Figures", section_figures, outdir) ||
	    report_add_section(&page, "warnings", "Warnings of the analysis", section_warnings, d)) {
		report_free(&page);
		return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
	}
	for (size_t i = 0; rep && i < rep->n; i++)
		if (report_add_section(&page, rep->s[i].id, rep->s[i].title, rep->s[i].write, rep->s[i].ctx)) {
			report_free(&page);
			return cvmio_error(CVMIO_EXIT_ENV, "analyze", "out of memory");
		}
	struct page_ctx pc = { st, baseline, &page };
	rc = report_write_file(outdir, "index.html", write_page, &pc);
	report_free(&page);
	return rc;
}
