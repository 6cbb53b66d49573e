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
		const struct manifest_info verified = { .state = VERIFY_YES, .accel = ACCEL_KVM },
					   unverified = { .state = VERIFY_NONE, .accel = ACCEL_UNKNOWN };
		static const char *const rep_ids[3] = { "rep-1.json", "rep-2.json", "rep-3.json" };
		for (int rep = 0; rep < reps; rep++) {
			store_add_file(&st, a, "be", rep_ids[rep], &fr, &verified);
			store_add_file(&st, b, "be", rep_ids[rep], &fr, &unverified);
		}
		struct rowset rs = { 0 };
		compare_build(&st, a, &b, 1, false, &rs, &d);
		/*
		 * The same values on both sides, repetition for repetition: the
		 * analysis is paired and must say "no difference" exactly.
		 */
		for (size_t i = 0; i < rs.n; i++) {
			const struct row *r = &rs.r[i];
			if (r->baseline != r->compare || !r->pairs)
				abort();
			if (isfinite(r->ratio) && r->ratio != 1.0)
				abort();	/* identical sides: ratio exactly 1 */
			if (reps == 3 && isfinite(r->ratio) &&
			    (r->ci_low != 1.0 || r->ci_high != 1.0 || r->p_value != 1.0))
				abort();	/* ... interval [1, 1], p = 1 */
		}
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			table_write(devnull, FMT_CSV, &st, a, &rs);
			table_write(devnull, FMT_TEXT, &st, a, &rs);
			table_write(devnull, FMT_JSON, &st, a, &rs);
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
