// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the ingestion path: arbitrary bytes as a fio result
 * file (text around the JSON object, cvmio-stats lines, json+ bins), then
 * what the analyzer does with an accepted file: metrics, the store, a row.
 * Built with clang -fsanitize=fuzzer,address,undefined (make fuzz).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file_result fr;
	struct diag d = { .quiet = true };
	char err[512];
	file_result_init(&fr);
	if (ingest_buffer((const char *)data, size, "fuzz.json", &fr, &d, err, sizeof(err)) == 0) {
		struct store st;
		store_init(&st);
		size_t a = store_cond(&st, "a"), b = store_cond(&st, "b");
		/*
		 * The same file on both sides: medians and ratios; for one input in
		 * eight, three repetitions so intervals and p-values run too (the
		 * bootstrap is slow under the sanitizers; the rest gets the speed).
		 */
		int reps = size % 8 == 0 ? 3 : 1;
		static const char *const rep_ids[3] = { "rep-1.json", "rep-2.json", "rep-3.json" };
		for (int rep = 0; rep < reps; rep++) {
			store_add_file(&st, a, "be", rep_ids[rep], &fr, true);
			store_add_file(&st, b, "be", rep_ids[rep], &fr, false);
		}
		struct rowset rs = { 0 };
		compare_build(&st, a, &b, 1, false, &rs, &d);
		for (size_t i = 0; i < rs.n; i++)
			if (isfinite(rs.r[i].ratio) && rs.r[i].baseline != 0 && rs.r[i].ratio != 1.0 &&
			    rs.r[i].compare == rs.r[i].baseline)
				abort();	/* identical sides must give ratio 1 */
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			table_write(devnull, FMT_CSV, &st, a, &rs);
			table_write(devnull, FMT_TEXT, &st, a, &rs);
			fclose(devnull);
		}
		rowset_free(&rs);
		store_free(&st);
	} else if (!err[0]) {
		abort();	/* a refusal always says why */
	}
	file_result_free(&fr);
	diag_free(&d);
	return 0;
}
