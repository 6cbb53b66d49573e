// SPDX-License-Identifier: GPL-2.0-only
/*
 * The suite's loader and metric extraction: the shipped benchmark files load
 * at both scales, bad files are named FILE:LINE, and the metrics read from
 * the original study's real mbw and redis-benchmark outputs are the figures
 * that study states (tests/suite/fixtures/README).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cvmio.h"
#include "suite.h"

#define SUITE_DIR "suite/benchmarks"
#define FIXTURES "tests/suite/fixtures"

static json_object *extract_file(const char *bench, const char *file, char *err, size_t errlen)
{
	struct suite_bench b;
	char path[256], lerr[512];
	json_object *m;
	char *out;

	assert_int_equal(suite_load(SUITE_DIR, bench, "full", &b, lerr, sizeof(lerr)), 0);
	snprintf(path, sizeof(path), FIXTURES "/%s", file);
	out = cvmio_read_file(path);
	assert_non_null(out);
	m = suite_extract(&b, out, err, errlen);
	free(out);
	suite_free(&b);
	return m;
}

/* The value of metric name, printed as the tool printed it (%.*f). */
static void assert_metric(json_object *arr, const char *name, const char *unit,
			  const char *better, int decimals, const char *expected)
{
	char got[64];

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *m = json_object_array_get_idx(arr, i), *v;

		json_object_object_get_ex(m, "name", &v);
		if (strcmp(json_object_get_string(v), name))
			continue;
		json_object_object_get_ex(m, "unit", &v);
		assert_string_equal(json_object_get_string(v), unit);
		json_object_object_get_ex(m, "better", &v);
		assert_string_equal(json_object_get_string(v), better);
		json_object_object_get_ex(m, "value", &v);
		snprintf(got, sizeof(got), "%.*f", decimals, json_object_get_double(v));
		assert_string_equal(got, expected);
		return;
	}
	fail_msg("no metric '%s'", name);
}

static void test_mbw_original_outputs(void **state)
{
	char err[512];
	json_object *sev = extract_file("mbw", "mbw-sev.txt", err, sizeof(err));
	json_object *nosev = extract_file("mbw", "mbw-nosev.txt", err, sizeof(err));

	(void)state;
	assert_non_null(sev);
	assert_non_null(nosev);
	assert_int_equal(json_object_array_length(sev), 3);
	assert_metric(sev, "MEMCPY", "MiB/s", "higher", 3, "18394.207");
	assert_metric(nosev, "MEMCPY", "MiB/s", "higher", 3, "19159.418");
	assert_metric(sev, "DUMB", "MiB/s", "higher", 3, "5391.466");
	assert_metric(nosev, "DUMB", "MiB/s", "higher", 3, "5342.700");
	assert_metric(sev, "MCBLOCK", "MiB/s", "higher", 3, "9959.849");
	assert_metric(nosev, "MCBLOCK", "MiB/s", "higher", 3, "10632.322");
	json_object_put(sev);
	json_object_put(nosev);
}

static void test_redis_original_outputs(void **state)
{
	char err[512];
	json_object *sev = extract_file("redis", "redis-benchmark-sev.csv", err, sizeof(err));
	json_object *nosev = extract_file("redis", "redis-benchmark-nosev.csv", err, sizeof(err));

	(void)state;
	assert_non_null(sev);
	assert_non_null(nosev);
	/* 20 default tests x rps, avg, p50, p99 */
	assert_int_equal(json_object_array_length(sev), 80);
	assert_metric(sev, "SET rps", "requests/s", "higher", 2, "105485.23");
	assert_metric(nosev, "SET rps", "requests/s", "higher", 2, "107991.36");
	assert_metric(sev, "GET rps", "requests/s", "higher", 2, "105152.48");
	assert_metric(nosev, "GET rps", "requests/s", "higher", 2, "104493.20");
	assert_metric(sev, "SET p50_latency_ms", "ms", "lower", 3, "0.247");
	assert_metric(sev, "MSET (10 keys) rps", "requests/s", "higher", 2, "103092.78");
	json_object_put(sev);
	json_object_put(nosev);
}

/* Output with one change, through the real benchmark file. */
static void expect_broken(const char *bench, const char *file, const char *from,
			  const char *to, const char *reason)
{
	struct suite_bench b;
	char path[256], err[512];
	char *out, *hit, *edited;
	json_object *m;

	assert_int_equal(suite_load(SUITE_DIR, bench, "smoke", &b, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), FIXTURES "/%s", file);
	out = cvmio_read_file(path);
	assert_non_null(out);
	hit = strstr(out, from);
	assert_non_null(hit);
	edited = malloc(strlen(out) + strlen(to) + 1);
	assert_non_null(edited);
	sprintf(edited, "%.*s%s%s", (int)(hit - out), out, to, hit + strlen(from));
	err[0] = '\0';
	m = suite_extract(&b, edited, err, sizeof(err));
	assert_null(m);
	if (!strstr(err, reason))
		fail_msg("error '%s' does not say '%s'", err, reason);
	free(edited);
	free(out);
	suite_free(&b);
}

static void test_broken_outputs_fail(void **state)
{
	(void)state;
	/* the run was cut short: no MCBLOCK average */
	expect_broken("mbw", "mbw-nosev.txt", "AVG\tMethod: MCBLOCK", "9\tMethod: MCBLOCK",
		      "metric 'MCBLOCK': pattern matched 0 lines");
	/* two AVG lines for one test: ambiguous */
	expect_broken("mbw", "mbw-sev.txt", "0       Method: MEMCPY",
		      "AVG     Method: MEMCPY", "metric 'MEMCPY': pattern matched 2 lines");
	expect_broken("mbw", "mbw-nosev.txt", "Copy: 19159.418 MiB/s", "Copy: 19159.4.18 MiB/s",
		      "'19159.4.18' is not a number");
	expect_broken("redis", "redis-benchmark-sev.csv", "\"SET\",\"105485.23\"",
		      "\"SET\",\"n/a\"", "row 'SET' column 'rps': 'n/a' is not a number");
	expect_broken("redis", "redis-benchmark-sev.csv", "\"GET\",", "\"GOT\",",
		      "no row 'GET'");
	expect_broken("redis", "redis-benchmark-sev.csv", "\"p99_latency_ms\"", "\"p98\"",
		      "no column 'p99_latency_ms'");
	expect_broken("redis", "redis-benchmark-sev.csv", "\"test\",\"rps\"", "\"tst\",\"rps\"",
		      "no header line starting with 'test'");
}

static void test_shipped_files_load(void **state)
{
	static const char *const names[] = { "compile", "lz4", "sqlite", "mbw", "memory", "redis" };
	static const char *const scales[] = { "smoke", "full" };
	char err[512];

	(void)state;
	for (size_t i = 0; i < 6; i++)
		for (size_t s = 0; s < 2; s++) {
			struct suite_bench b;

			if (suite_load(SUITE_DIR, names[i], scales[s], &b, err, sizeof(err)))
				fail_msg("%s", err);
			assert_true(suite_metric_count(&b) > 0);
			assert_null(strstr(b.command, "${"));
			suite_free(&b);
		}
}

static void test_scales_differ(void **state)
{
	struct suite_bench smoke, full;
	char err[512];

	(void)state;
	assert_int_equal(suite_load(SUITE_DIR, "mbw", "smoke", &smoke, err, sizeof(err)), 0);
	assert_int_equal(suite_load(SUITE_DIR, "mbw", "full", &full, err, sizeof(err)), 0);
	assert_string_equal(full.command, "mbw -n 10 1024");
	assert_string_equal(smoke.command, "mbw -n 3 32");
	suite_free(&smoke);
	suite_free(&full);
	assert_int_equal(suite_load(SUITE_DIR, "compile", "full", &full, err, sizeof(err)), 0);
	assert_non_null(strstr(full.packages, "linux-source-6.1"));
	assert_null(full.sources);
	suite_free(&full);
	assert_int_equal(suite_load(SUITE_DIR, "compile", "smoke", &smoke, err, sizeof(err)), 0);
	assert_null(strstr(smoke.packages, "linux-source"));
	assert_string_equal(smoke.sources, "mbw");
	assert_non_null(strstr(smoke.setup, "dpkg-source --no-check -x " SUITE_GUEST_SRC
			       "/mbw_*.dsc mbw"));
	suite_free(&smoke);
}

/* A benchmark file with text in a temporary folder; the error must be exactly want. */
static void expect_bad_file(const char *text, const char *want_suffix)
{
	char dir[] = "/tmp/cvmio-suite-unit-XXXXXX", path[128], err[512], want[512];
	struct suite_bench b;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bad.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(suite_load(dir, "bad", "smoke", &b, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%s", path, want_suffix);
	assert_string_equal(err, want);
	unlink(path);
	rmdir(dir);
}

#define GOOD_HEAD "[benchmark]\ncommand = echo ${n}\n[smoke]\nn = 1\n[full]\nn = 2\n"
#define GOOD_METRIC "[metric x]\nunit = s\nbetter = lower\npattern = ^([0-9]+)$\n"

static void test_bad_files_name_file_line(void **state)
{
	(void)state;
	expect_bad_file("[benchmark]\ncomand = x\n", "2: unknown key 'comand' in [benchmark]");
	expect_bad_file("[benchmark]\ncommand = echo ${m}\n[smoke]\nn = 1\n[full]\nn = 2\n"
			GOOD_METRIC, "2: unknown placeholder ${m} (not set in [smoke])");
	expect_bad_file(GOOD_HEAD "[full]\nn2 = 3\n" GOOD_METRIC,
			"8: variable 'n2' in [full] is used by no script");
	expect_bad_file(GOOD_HEAD "[metrics x]\nunit = s\n", "8: unknown section [metrics x] "
			"(expected [benchmark], [smoke], [full], [metric NAME] or [csv])");
	expect_bad_file(GOOD_HEAD "[metric x]\nunit = s\nbetter = more\n",
			"9: better = 'more': expected higher or lower");
	expect_bad_file(GOOD_HEAD "[metric x]\npattern = ^[0-9+$\n",
			"8: pattern: Unmatched [, [^, [:, [., or [=");
	expect_bad_file(GOOD_HEAD "[metric x]\nunit = s\nbetter = lower\npattern = [0-9]+\n",
			"10: pattern has no (group) around the number");
	expect_bad_file(GOOD_HEAD "[metric x]\nunit = s\n", "8: [metric x] needs unit, better "
			"and pattern");
	expect_bad_file("[benchmark]\ncommand = echo ${n}\n[smoke]\nn = 1\n" GOOD_METRIC,
			"1: no [full] section (every benchmark has a smoke and a full scale)");
	expect_bad_file(GOOD_HEAD "[csv]\nkey = test\nrow = SET\ncolumn = rps requests/s up\n",
			"10: column = 'rps requests/s up': expected NAME UNIT higher|lower");
	expect_bad_file(GOOD_HEAD GOOD_METRIC "garbage\n", "11: not a valid benchmark line (expected "
			"[section] or key = value)");
}

static void test_unknown_benchmark_and_scale(void **state)
{
	struct suite_bench b;
	char err[512];

	(void)state;
	assert_int_equal(suite_load(SUITE_DIR, "tinymembench", "smoke", &b, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown benchmark 'tinymembench' (no " SUITE_DIR
			    "/tinymembench.ini; known: compile lz4 mbw memory redis sqlite)");
	assert_int_equal(suite_load(SUITE_DIR, "mbw", "huge", &b, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown suite scale 'huge' (smoke or full)");
	assert_int_equal(suite_load(SUITE_DIR, "../mbw", "smoke", &b, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbw_original_outputs),
		cmocka_unit_test(test_redis_original_outputs),
		cmocka_unit_test(test_broken_outputs_fail),
		cmocka_unit_test(test_shipped_files_load),
		cmocka_unit_test(test_scales_differ),
		cmocka_unit_test(test_bad_files_name_file_line),
		cmocka_unit_test(test_unknown_benchmark_and_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
