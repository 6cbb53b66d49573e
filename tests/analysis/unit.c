// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the analyzer's pure parts: fio size strings, signatures,
 * clone aggregation, json+ bin merges and percentiles, the statistics.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"

static void test_size_parsing(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		uint64_t want;
	} ok[] = {
		{ "4k", 4096 }, { "4K", 4096 }, { "128k", 131072 }, { "1m", 1048576 },
		{ "1M", 1048576 }, { "2g", 2147483648ULL }, { "512", 512 }, { "4KiB", 4096 },
		{ "4kb", 4096 }, { "512b", 512 }, { "0x1000", 4096 }, { "010", 10 }, { " 8k ", 8192 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 0;
		assert_true(parse_fio_size(ok[i].in, &v));
		assert_int_equal(v, ok[i].want);
	}
	static const char *const bad[] = { "", "k", "abc", "4q", "4k8", "-4k", "99999999999999999999",
					   "20000000000000p" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v;
		assert_false(parse_fio_size(bad[i], &v));
	}
}

static struct json_object *opts(const char *json)
{
	struct json_object *o = json_tokener_parse(json);
	assert_non_null(o);
	return o;
}

static void test_signature_defaults_and_override(void **state)
{
	(void)state;
	struct signature s;
	char err[128];
	struct json_object *job = opts("{\"name\":\"a\",\"rw\":\"randread\"}");
	struct json_object *glob = opts("{\"bs\":\"8k\",\"iodepth\":\"16\",\"ioengine\":\"external:/usr/lib/cvmio/cvmio-uring.so\"}");
	assert_true(signature_from_options(job, glob, &s, err, sizeof(err)));
	assert_string_equal(s.rw, "randread");
	assert_int_equal(s.bs[0], 8192);
	assert_int_equal(s.bs[1], 8192);
	assert_int_equal(s.iodepth, 16);
	assert_int_equal(s.numjobs, 1);
	assert_int_equal(s.rwmixread, -1);
	assert_string_equal(s.ioengine, "cvmio-uring");

	/* defaults: rw=read, bs=4k, iodepth=1, numjobs=1, no engine */
	assert_true(signature_from_options(NULL, NULL, &s, err, sizeof(err)));
	assert_string_equal(s.rw, "read");
	assert_int_equal(s.bs[0], 4096);
	assert_int_equal(s.iodepth, 1);
	assert_string_equal(s.ioengine, "");
	json_object_put(job);
	json_object_put(glob);
}

static void test_signature_bs_split_and_rwmix(void **state)
{
	(void)state;
	struct signature s, t;
	char err[128];
	struct json_object *job = opts("{\"rw\":\"randrw\",\"bs\":\"4k,16k\",\"numjobs\":\"4\"}");
	struct json_object *glob = opts("{\"rwmixwrite\":\"20\",\"blocksize\":\"64k\"}");
	assert_true(signature_from_options(job, glob, &s, err, sizeof(err)));
	assert_int_equal(s.bs[0], 4096);
	assert_int_equal(s.bs[1], 16384);
	assert_int_equal(s.numjobs, 4);
	assert_int_equal(s.rwmixread, 80);	/* rwmixwrite=20 counts as rwmixread=80 */
	json_object_put(job);

	/* the job's own rwmixread beats the global rwmixwrite */
	job = opts("{\"rw\":\"randrw\",\"rwmixread\":\"50\",\"bs\":\",8k\"}");
	assert_true(signature_from_options(job, glob, &t, err, sizeof(err)));
	assert_int_equal(t.rwmixread, 50);
	assert_int_equal(t.bs[0], 4096);	/* an empty read field keeps fio's default */
	assert_int_equal(t.bs[1], 8192);
	assert_true(signature_cmp(&s, &t) != 0);
	json_object_put(job);

	/* rwmixread on a pure read job still distinguishes the job */
	job = opts("{\"rw\":\"read\",\"rwmixread\":\"100\"}");
	struct json_object *job2 = opts("{\"rw\":\"read\"}");
	assert_true(signature_from_options(job, NULL, &s, err, sizeof(err)));
	assert_true(signature_from_options(job2, NULL, &t, err, sizeof(err)));
	assert_true(signature_cmp(&s, &t) != 0);
	json_object_put(job);
	json_object_put(job2);

	job = opts("{\"bs\":\"4x\"}");
	assert_false(signature_from_options(job, NULL, &s, err, sizeof(err)));
	assert_non_null(strstr(err, "bs=4x"));
	json_object_put(job);
	json_object_put(glob);
}

static void test_ioengine_normalization(void **state)
{
	(void)state;
	char out[SIG_ENGINE_LEN];
	normalize_ioengine("external:/any/path/cvmio-uring.so", out, sizeof(out));
	assert_string_equal(out, "cvmio-uring");
	normalize_ioengine("/usr/lib/cvmio/cvmio-aio.so", out, sizeof(out));
	assert_string_equal(out, "cvmio-aio");
	normalize_ioengine("libaio", out, sizeof(out));
	assert_string_equal(out, "libaio");
}

static void test_hist_merge_and_percentile(void **state)
{
	(void)state;
	struct hist a, b;
	hist_init(&a);
	hist_init(&b);
	/* 100 samples: 50 at 10, 49 at 20, 1 at 1000 */
	assert_int_equal(hist_add(&a, 10, 30), 0);
	assert_int_equal(hist_add(&a, 20, 49), 0);
	assert_int_equal(hist_add(&b, 1000, 1), 0);
	assert_int_equal(hist_add(&b, 10, 20), 0);	/* out of order insert */
	assert_int_equal(hist_merge(&a, &b), 0);
	assert_int_equal(a.total, 100);
	assert_int_equal(a.n, 3);
	uint64_t v;
	assert_true(hist_percentile(&a, 50.0, &v));
	assert_int_equal(v, 10);	/* cumulative 50 >= 50 */
	assert_true(hist_percentile(&a, 50.5, &v));
	assert_int_equal(v, 20);
	assert_true(hist_percentile(&a, 99.0, &v));
	assert_int_equal(v, 20);
	assert_true(hist_percentile(&a, 99.9, &v));
	assert_int_equal(v, 1000);
	hist_free(&a);
	hist_free(&b);
	assert_false(hist_percentile(&a, 50.0, &v));
}

/* A fio 3.x json+ result with two clones of one job and a different job. */
static const char two_clones[] =
	"fio: some warning before the object\n"
	"cvmio-stats: {\"cvmio_stats\":1,\"engine\":\"cvmio-uring\",\"job\":\"a\",\"thread\":0,\"groupid\":0,"
	"\"rw\":\"randread\",\"bs\":4096,\"iodepth\":8,\"numjobs\":2,\"rwmixread\":null,\"ios\":300,"
	"\"ios_read\":300,\"ios_write\":0,\"submit_calls\":30,\"submit_ns\":600000,\"reap_calls\":40,"
	"\"reap_ns\":90000,\"syscalls\":70,\"batch_hist\":[[1,0],[8,30]]}\n"
	"cvmio-stats: {\"cvmio_stats\":1,\"engine\":\"cvmio-uring\",\"job\":\"a\",\"thread\":1,\"groupid\":0,"
	"\"rw\":\"randread\",\"bs\":4096,\"iodepth\":8,\"numjobs\":2,\"rwmixread\":null,\"ios\":100,"
	"\"ios_read\":100,\"ios_write\":0,\"submit_calls\":10,\"submit_ns\":200000,\"reap_calls\":10,"
	"\"reap_ns\":10000,\"syscalls\":20,\"batch_hist\":[[1,0],[8,10]]}\n"
	"{\n  \"fio version\" : \"fio-3.33\",\n  \"global options\" : {\"ioengine\":\"external:/x/cvmio-uring.so\"},\n"
	"  \"jobs\" : [\n"
	"  {\"jobname\":\"a\",\"error\":0,\"job options\":{\"rw\":\"randread\",\"iodepth\":\"8\",\"numjobs\":\"2\"},\n"
	"   \"read\":{\"bw_bytes\":1024000,\"bw\":1000,\"iops\":250.0,\"total_ios\":300,\n"
	"     \"lat_ns\":{\"mean\":1000.0,\"N\":300},\"clat_ns\":{\"mean\":900.0,\"N\":300,\n"
	"     \"percentile\":{\"50.000000\":800,\"99.000000\":900,\"99.900000\":900},\"bins\":{\"800\":200,\"900\":100}}},\n"
	"   \"write\":{\"bw_bytes\":0,\"bw\":0,\"iops\":0.0,\"total_ios\":0}},\n"
	"  {\"jobname\":\"b\",\"error\":0,\"job options\":{\"rw\":\"randread\",\"iodepth\":\"8\",\"numjobs\":\"2\"},\n"
	"   \"read\":{\"bw_bytes\":2048000,\"bw\":2000,\"iops\":500.0,\"total_ios\":100,\n"
	"     \"lat_ns\":{\"mean\":4000.0,\"N\":100},\"clat_ns\":{\"mean\":3900.0,\"N\":100,\n"
	"     \"percentile\":{\"50.000000\":5000,\"99.000000\":5000,\"99.900000\":5000},\"bins\":{\"800\":40,\"5000\":60}}},\n"
	"   \"write\":{\"bw_bytes\":0,\"bw\":0,\"iops\":0.0,\"total_ios\":0}},\n"
	"  {\"jobname\":\"broken\",\"error\":5,\"job options\":{\"rw\":\"write\"}},\n"
	"  {\"jobname\":\"idle\",\"error\":0,\"job options\":{\"rw\":\"write\"},\n"
	"   \"read\":{\"total_ios\":0},\"write\":{\"total_ios\":0}}\n"
	"  ]\n}\n"
	"fio: text after the object\n";

static void test_clone_aggregation(void **state)
{
	(void)state;
	struct file_result fr;
	file_result_init(&fr);
	struct diag d = { .quiet = true };
	char err[256];
	assert_int_equal(ingest_buffer(two_clones, strlen(two_clones), "t.json", &fr, &d, err, sizeof(err)), 0);
	assert_int_equal(fr.njobs, 1);	/* a and b share the signature: one measurement */
	assert_int_equal(d.warnings, 2);	/* the error job and the idle job */
	const struct job_measure *jm = &fr.jobs[0];
	assert_int_equal(jm->clones, 2);
	assert_string_equal(jm->sig.ioengine, "cvmio-uring");
	double v;
	assert_true(job_metric(jm, DIR_READ, M_BW_KIB, &v));
	assert_float_equal(v, 3000.0, 1e-9);
	assert_true(job_metric(jm, DIR_READ, M_IOPS, &v));
	assert_float_equal(v, 750.0, 1e-9);
	assert_true(job_metric(jm, DIR_READ, M_LAT_MEAN_US, &v));
	assert_float_equal(v, (1000.0 * 300 + 4000.0 * 100) / 400 / 1000.0, 1e-12);
	/* merged bins: 240 at 800, 100 at 900, 60 at 5000 */
	assert_true(job_metric(jm, DIR_READ, M_CLAT_P50_US, &v));
	assert_float_equal(v, 0.8, 1e-12);
	assert_true(job_metric(jm, DIR_READ, M_CLAT_P99_US, &v));
	assert_float_equal(v, 5.0, 1e-12);
	assert_false(job_metric(jm, DIR_WRITE, M_IOPS, &v));
	/* engine records of both threads joined: 800000 ns over 400 I/Os */
	assert_true(job_metric(jm, DIR_READ, M_SUBMIT_US_PER_IO, &v));
	assert_float_equal(v, 2.0, 1e-12);
	assert_true(job_metric(jm, DIR_READ, M_SYSCALLS_PER_IO, &v));
	assert_float_equal(v, 90.0 / 400.0, 1e-12);
	file_result_free(&fr);
}

static void test_clones_without_bins_omit_percentiles(void **state)
{
	(void)state;
	static const char in[] =
		"{\"jobs\":[\n"
		"{\"jobname\":\"a\",\"job options\":{\"rw\":\"read\"},\"read\":{\"bw\":100,\"iops\":25,\"total_ios\":50,"
		"\"lat\":{\"mean\":10.0,\"N\":50},\"clat\":{\"percentile\":{\"50.000000\":8,\"99.000000\":9,\"99.900000\":9}}}},\n"
		"{\"jobname\":\"a\",\"groupid\":1,\"job options\":{\"rw\":\"read\"},\"read\":{\"bw\":100,\"iops\":25,\"total_ios\":50,"
		"\"lat\":{\"mean\":30.0,\"N\":50},\"clat\":{\"percentile\":{\"50.000000\":8,\"99.000000\":9,\"99.900000\":9}}}}\n"
		"]}";
	struct file_result fr;
	file_result_init(&fr);
	struct diag d = { .quiet = true };
	char err[256];
	assert_int_equal(ingest_buffer(in, strlen(in), "old.json", &fr, &d, err, sizeof(err)), 0);
	assert_int_equal(fr.njobs, 1);
	assert_int_equal(d.warnings, 2);	/* percentiles omitted; two reporting groups summed */
	assert_true(fr.jobs[0].mixed_groups);
	double v;
	/* usec-era fields: lat in usec */
	assert_true(job_metric(&fr.jobs[0], DIR_READ, M_LAT_MEAN_US, &v));
	assert_float_equal(v, 20.0, 1e-12);
	assert_false(job_metric(&fr.jobs[0], DIR_READ, M_CLAT_P50_US, &v));
	file_result_free(&fr);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "not json at all\n", "{\"jobs\":[{\"jobname\":\"a\",\"read\":{\"total_ios\":1",
		"{\"fio version\":\"x\"}", "{\"jobs\":[]}", "{\"jobs\":{}}",
		"{\"jobs\":[{\"job options\":{\"bs\":\"zz\"},\"read\":{\"total_ios\":5}}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct file_result fr;
		file_result_init(&fr);
		struct diag d = { .quiet = true };
		char err[256] = "";
		assert_int_equal(ingest_buffer(bad[i], strlen(bad[i]), "x", &fr, &d, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		file_result_free(&fr);
	}
}

static void test_bootstrap_determinism(void **state)
{
	(void)state;
	double b[] = { 100, 102, 98, 101, 99 };
	double c[] = { 80, 79, 83, 81, 82 };
	sort_doubles(b, 5);
	sort_doubles(c, 5);
	double lo1, hi1, lo2, hi2;
	assert_int_equal(bootstrap_ratio_ci(b, 5, c, 5, 2000, 42, &lo1, &hi1), 0);
	assert_int_equal(bootstrap_ratio_ci(b, 5, c, 5, 2000, 42, &lo2, &hi2), 0);
	assert_true(lo1 == lo2 && hi1 == hi2);
	double ratio = median_sorted(c, 5) / median_sorted(b, 5);
	assert_true(lo1 <= ratio && ratio <= hi1);
	assert_true(lo1 >= 79.0 / 102.0 - 1e-12 && hi1 <= 83.0 / 98.0 + 1e-12);

	struct prng p, q;
	prng_seed(&p, 7);
	prng_seed(&q, 7);
	for (int i = 0; i < 100; i++)
		assert_int_equal(prng_below(&p, 13), prng_below(&q, 13));
}

/*
 * Synthetic data with a known answer: backend b loses exactly 20% (every
 * compare value is 0.8 x a baseline value), the reference exactly 10%; the
 * ratio of penalties is 0.8 / 0.9 = 0.8889 and, with values spread by only
 * +-0.2%, its four-sample interval must hold it and be narrow.
 */
static void test_ratio_of_penalties_interval(void **state)
{
	(void)state;
	double pb[] = { 998, 999, 1000, 1001, 1002 }, pr[] = { 499, 499.5, 500, 500.5, 501 };
	double cb[5], cr[5];
	for (int i = 0; i < 5; i++) {
		cb[i] = 0.8 * pb[i];
		cr[i] = 0.9 * pr[i];
	}
	const struct boot_side sides[4] = { { pb, 5, -1 }, { cb, 5, +1 }, { pr, 5, +1 }, { cr, 5, -1 } };
	double lo, hi;
	assert_int_equal(bootstrap_median_quotient_ci(sides, 4, 2000, 42, &lo, &hi), 0);
	double want = 0.8 / 0.9;
	assert_true(lo <= want && want <= hi);
	assert_true(hi - lo < 0.01);
	/* the extremes a resample can reach bound the interval: (0.8*998/1002) / (0.9*501/499) ... */
	assert_true(lo >= (0.8 * 998 / 1002) / (0.9 * 501 / 499) - 1e-12);
	assert_true(hi <= (0.8 * 1002 / 998) / (0.9 * 499 / 501) + 1e-12);
	/* two sides are the ratio interval itself, draw for draw */
	const struct boot_side two[2] = { { pb, 5, -1 }, { cb, 5, +1 } };
	double lo2, hi2, lo3, hi3;
	assert_int_equal(bootstrap_median_quotient_ci(two, 2, 2000, 42, &lo2, &hi2), 0);
	assert_int_equal(bootstrap_ratio_ci(pb, 5, cb, 5, 2000, 42, &lo3, &hi3), 0);
	assert_true(lo2 == lo3 && hi2 == hi3);
	/* an empty side has no interval */
	const struct boot_side empty[2] = { { pb, 5, -1 }, { cb, 0, +1 } };
	assert_int_equal(bootstrap_median_quotient_ci(empty, 2, 2000, 42, &lo, &hi), -1);
	assert_true(isnan(lo) && isnan(hi));
}

static void test_median_and_rank_test(void **state)
{
	(void)state;
	double odd[] = { 1, 2, 9 }, even[] = { 1, 2, 4, 10 };
	assert_float_equal(median_sorted(odd, 3), 2.0, 0);
	assert_float_equal(median_sorted(even, 4), 3.0, 0);
	/* fully separated 3 vs 3: exact two-sided p = 2/20 */
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	assert_float_equal(mann_whitney_p(a, 3, b, 3), 0.1, 1e-12);
	/* 4 vs 4 separated: 2/70 */
	double a4[] = { 1, 2, 3, 4 }, b4[] = { 5, 6, 7, 8 };
	assert_float_equal(mann_whitney_p(a4, 4, b4, 4), 2.0 / 70.0, 1e-12);
	/* identical samples: no evidence */
	double s[] = { 5, 5, 5 };
	assert_float_equal(mann_whitney_p(s, 3, s, 3), 1.0, 1e-12);
	/* interleaved: U = 4 of 9 for 3 vs 3 is the middle, p = 1 */
	double x[] = { 1, 3, 5 }, y[] = { 2, 4, 6 };
	assert_true(mann_whitney_p(x, 3, y, 3) > 0.6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_parsing),
		cmocka_unit_test(test_signature_defaults_and_override),
		cmocka_unit_test(test_signature_bs_split_and_rwmix),
		cmocka_unit_test(test_ioengine_normalization),
		cmocka_unit_test(test_hist_merge_and_percentile),
		cmocka_unit_test(test_clone_aggregation),
		cmocka_unit_test(test_clones_without_bins_omit_percentiles),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_bootstrap_determinism),
		cmocka_unit_test(test_median_and_rank_test),
		cmocka_unit_test(test_ratio_of_penalties_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
