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
#include <stdio.h>
#include <stdlib.h>
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
	diag_free(&d);
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
	diag_free(&d);
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
		diag_free(&d);
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

/*
 * Exact Wilcoxon signed-rank p-values from published tables of the
 * statistic's null distribution (e.g. Wilcoxon, Katti & Wilcox 1970; any
 * textbook table of T critical values).
 */
static void test_signed_rank_published(void **state)
{
	(void)state;
	/* n = 5, every pair one way: two-sided 2/32 = 0.0625, the smallest p with 5 pairs */
	double up5[] = { 0.1, 0.2, 0.3, 0.4, 0.5 }, down5[] = { -0.1, -0.2, -0.3, -0.4, -0.5 };
	assert_float_equal(wilcoxon_signed_rank_p(up5, 5), 0.0625, 1e-15);
	assert_float_equal(wilcoxon_signed_rank_p(down5, 5), 0.0625, 1e-15);
	/* n = 6 all one way: 2/64, the first n below 0.05 */
	double up6[] = { 1, 2, 3, 4, 5, 6 };
	assert_float_equal(wilcoxon_signed_rank_p(up6, 6), 0.03125, 1e-15);
	/* n = 8, T = 3 (the tabled two-sided 5 % critical value): P(T <= 3) = 5/256 */
	double t3[] = { -1, -2, 3, 4, 5, 6, 7, 8 };
	assert_float_equal(wilcoxon_signed_rank_p(t3, 8), 10.0 / 256.0, 1e-15);
	/* ties among |d| still exact: all one way stays at the floor 2/2^n, never below */
	double tied[] = { 1, 1, 2, 2, 2 };
	assert_float_equal(wilcoxon_signed_rank_p(tied, 5), 0.0625, 1e-15);
	/* zeros are dropped; no difference at all: p = 1 */
	double zeros[] = { 0, 0, 0, 0 };
	assert_float_equal(wilcoxon_signed_rank_p(zeros, 4), 1.0, 0);
	double some0[] = { 0, 0.5, 0.7, 0.2, 0.9, 1.1 };	/* 5 non-zero, all positive */
	assert_float_equal(wilcoxon_signed_rank_p(some0, 6), 0.0625, 1e-15);
}

/* Ties no longer fall back to the normal approximation: never below the exact floor. */
static void test_mann_whitney_ties_exact(void **state)
{
	(void)state;
	/* 3 vs 3 separated but with ties inside each side: still the floor 2/20 */
	double a[] = { 1, 1, 2 }, b[] = { 5, 6, 6 };
	assert_float_equal(mann_whitney_p(a, 3, b, 3), 0.1, 1e-15);
	/* a tie across the sides: {1,2,3} vs {3,4,5}; 20 splits of the midranks
	 * 1,2,3.5,3.5,5,6, rank sums <= 6.5: {1,2,3.5} x2 -> 2 ways of 20: p = 0.2 */
	double c[] = { 1, 2, 3 }, d[] = { 3, 4, 5 };
	assert_float_equal(mann_whitney_p(c, 3, d, 3), 0.2, 1e-15);
}

/* Normal deviates from the seeded generator (Box-Muller). */
static double normal_draw(struct prng *p)
{
	double u1 = ((double)(prng_next(p) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = (double)(prng_next(p) >> 11) / 9007199254740992.0;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/*
 * Coverage: 200 simulated studies whose compare condition is exactly 0.8 x
 * the baseline in distribution (log-normal repetition noise of 5 %, and a
 * drift of the host shared by the two members of a pair).  The nominal
 * 95 % interval must contain 0.8 in at least 90 % of them.
 */
static unsigned coverage(bool paired, size_t n)
{
	struct prng p;
	prng_seed(&p, 0xc0ffee + n + paired);
	unsigned covered = 0;
	for (int study = 0; study < 200; study++) {
		double b[16], c[16];
		for (size_t i = 0; i < n; i++) {
			double drift = paired ? 1.0 + 0.6 * (double)i / (double)n : 1.0;
			b[i] = 1000.0 * drift * exp(0.05 * normal_draw(&p));
			c[i] = 800.0 * drift * exp(0.05 * normal_draw(&p));
		}
		struct row r;
		assert_int_equal(row_stats(b, n, c, n, paired ? b : NULL, &r), 0);
		assert_true(isfinite(r.ci_low) && isfinite(r.ci_high));
		covered += r.ci_low <= 0.8 && 0.8 <= r.ci_high;
	}
	return covered;
}

static void test_interval_coverage(void **state)
{
	(void)state;
	for (size_t n = 5; n <= 10; n += 5) {
		unsigned pc = coverage(true, n), uc = coverage(false, n);
		print_message("coverage of 0.8 over 200 studies, n = %zu: paired %u, unpaired %u\n", n, pc, uc);
		assert_true(pc >= 180);
		assert_true(uc >= 180);
	}
}

/* With identical sides, paired: ratio exactly 1, interval [1, 1], p = 1. */
static void test_identical_sides_paired(void **state)
{
	(void)state;
	double v[] = { 10, 12, 9, 11 };
	struct row r;
	assert_int_equal(row_stats(v, 4, v, 4, v, &r), 0);
	assert_true(r.ratio == 1.0 && r.ci_low == 1.0 && r.ci_high == 1.0 && r.p_value == 1.0);
	assert_int_equal(r.pairs, 4);
	assert_false(r.degenerate);
}

/* What an escaper writes for s, as a string. */
static char *escaped_with(void (*escape)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	escape(f, s);
	fclose(f);
	return buf;
}

/*
 * Expected values from the LaTeX manual's list of special characters
 * (# $ % & ~ _ ^ \ { }) and CommonMark's backslash escapes of table and
 * emphasis characters, not from the escapers' code.
 */
static void test_markup_escaping(void **state)
{
	char *tex = escaped_with(latex_escaped, "a_b 5% #1 $x & {y} ~ ^ \\ ok");
	char *md = escaped_with(md_escaped, "a|b *c* _d_ \\ ok");

	(void)state;
	assert_string_equal(tex, "a\\_b 5\\% \\#1 \\$x \\& \\{y\\} \\textasciitilde{} "
			    "\\textasciicircum{} \\textbackslash{} ok");
	assert_string_equal(md, "a\\|b \\*c\\* \\_d\\_ \\\\ ok");
	free(tex);
	free(md);
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
		cmocka_unit_test(test_signed_rank_published),
		cmocka_unit_test(test_mann_whitney_ties_exact),
		cmocka_unit_test(test_interval_coverage),
		cmocka_unit_test(test_identical_sides_paired),
		cmocka_unit_test(test_markup_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
