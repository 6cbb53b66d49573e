/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engines' accounting records out of the fio client's output: fio
 * --client writes the servers' log text (the "cvmio-stats: " lines of the
 * cvmio engines among it) and the JSON document into one file; a result must
 * be the JSON alone (doc/interfaces.md, results tree).
 */
#ifndef CVMIO_RUN_RECORDS_H
#define CVMIO_RUN_RECORDS_H

#include <stddef.h>

/*
 * Rewrites 'output' as fio's JSON object alone and writes the records it
 * held, one JSON object per line without the prefix, to 'records' (created
 * only when there is at least one; a stale one is removed).  The other text
 * (fio's banner, "<host> " lines) is dropped.  0, or -1 with a reason.
 */
int run_split_records(const char *output, const char *records, char *reason, size_t len);

#endif
