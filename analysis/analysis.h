/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio analyze: the pieces behind the verb, one concern per file, their
 * interfaces in one header per concern (each part includes only its own):
 *
 * diag.h      diag.c        warnings: one line each, said once, tallied
 * measure.h   signature.c   fio size strings, workload signatures from job options
 *             hist.c        latency histograms from json+ bins: merge, percentiles
 *             validate.c    every number read: type, range, consistency with its neighbours
 *             ingest.c      one fio result file -> per-job measurements (+ cvmio-stats)
 *             aggregate.c   clones of one signature within a file -> one measurement
 *             counters.c    rep-N.counters beside a result -> per-I/O guest/host cost metrics
 * store.h     store.c       per (condition, backend, signature, direction) values
 *             manifest.c    the nearest manifest.json and what it says about a result
 *             provenance.c  accelerator, mode, versions, CPU, clocksource per condition
 *             walk.c        DIR/<condition>/<backend>/ ** / *.json, one file at a time
 *             conditions.c  DIR's condition folders
 * stats.h     stats.c       median, bootstrap intervals, Mann-Whitney U, Wilcoxon signed-rank
 * rows.h      compare.c     baseline vs compare rows from the store
 *             backends.c    backend vs reference backend rows
 *             penalty.c     ratios of penalties against the reference backend
 * tables.h    table.c       text / md / csv / latex / json output of the rows
 *             table_html.c  the rows as HTML (for --format html and the report)
 *             table_backends.c  the backends and penalty tables, the ranking
 *             suite.c       the benchmark suite's table and figure
 * figures.h   plot.c        gnuplot scripts, data and images
 *             plot_costs.c  the cost-breakdown figure (per-I/O CPU time by where it is spent)
 *             heatmap.c     backend x workload heatmaps
 * report.h    report.c      --report OUTDIR: every format, figures, one index.html
 */
#ifndef CVMIO_ANALYSIS_H
#define CVMIO_ANALYSIS_H

/* All of them, for the verb (cmd_analyze.c) and the tests. */
#include "diag.h"
#include "measure.h"
#include "store.h"
#include "stats.h"
#include "rows.h"
#include "tables.h"
#include "figures.h"
#include "report.h"

#endif
