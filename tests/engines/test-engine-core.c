// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmocka unit tests of the engines' shared core (ioengines/cvmio-core.c):
 * the batch histogram buckets, the accounting record's exact text (JSON
 * escaping of job names, rwmixread null, write-only bs, numjobs of fio's
 * clones), cvmio_stats=0 doing no accounting, the ramp_time reset, and the
 * load-time version guard.  Where the record goes is tested with the real
 * fio (tests/engines/test-record-channels).  fio's functions the core calls are stubbed here; the
 * engine tests run the real fio.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cvmio-core.h"

/* ---- stubs for the fio symbols cvmio-core.c uses ---------------------- */

/* Deliberately not the headers' version: exercises the guard's refusal. */
const char fio_version_string[] = "fio-9.99-unit";
struct thread_segment segments[REAL_MAX_SEG];

static char logged[4096];	/* what log_info/log_err printed last */
static bool ramping;
static unsigned int set_option_off = ~0u;

static ssize_t vlog(const char *fmt, va_list ap)
{
	return vsnprintf(logged, sizeof(logged), fmt, ap);
}

ssize_t log_info(const char *fmt, ...)
{
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	n = vlog(fmt, ap);
	va_end(ap);
	return n;
}

ssize_t log_err(const char *fmt, ...)
{
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	n = vlog(fmt, ap);
	va_end(ap);
	return n;
}

int log_info_flush(void)
{
	return 0;
}

enum fio_cs fio_clock_source = CS_CPUCLOCK;

void fio_gettime(struct timespec *ts, void *caller)
{
	(void)caller;
	clock_gettime(CLOCK_MONOTONIC, ts);
}

bool in_ramp_time(struct thread_data *td)
{
	(void)td;
	return ramping;
}

bool __fio_option_is_set(struct thread_options *o, unsigned int off)
{
	(void)o;
	return off == set_option_off;
}

/* ---- helpers ----------------------------------------------------------- */

static struct thread_data *threads;

static struct thread_data *new_td(unsigned int number, const char *name)
{
	struct thread_data *td = &threads[number - 1];

	memset(td, 0, sizeof(*td));
	td->thread_number = number;
	td->o.name = (char *)name;
	td->o.td_ddir = TD_DDIR_RANDREAD;
	td->o.bs[DDIR_READ] = 4096;
	td->o.bs[DDIR_WRITE] = 8192;
	td->o.iodepth = 32;
	td->o.numjobs = 1;
	return td;
}

static int setup(void **state)
{
	(void)state;
	threads = calloc(4, sizeof(*threads));
	segments[0].threads = threads;
	logged[0] = '\0';
	ramping = false;
	set_option_off = ~0u;
	return threads ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(threads);
	return 0;
}

/* The record as the engines write it, with a fixed CPU time. */
static void report(const struct cvmio_stats *s, struct thread_data *td)
{
	cvmio_stats_format(s, td, "cvmio-test", 1234, logged, sizeof(logged));
}

static struct cvmio_stats enabled_stats(void)
{
	struct cvmio_common_opts o = { .cvmio_stats = 1 };
	struct cvmio_stats s;

	cvmio_stats_init(&s, &o);
	snprintf(s.clocksource, sizeof(s.clocksource), "kvm-clock");
	return s;
}

/* ---- tests ------------------------------------------------------------- */

static void test_batch_buckets(void **state)
{
	(void)state;
	assert_int_equal(cvmio_batch_bucket(1), 0);
	assert_int_equal(cvmio_batch_bucket(2), 1);
	assert_int_equal(cvmio_batch_bucket(3), 1);
	assert_int_equal(cvmio_batch_bucket(4), 2);
	assert_int_equal(cvmio_batch_bucket(31), 4);
	assert_int_equal(cvmio_batch_bucket(32), 5);
	assert_int_equal(cvmio_batch_bucket(65535), 15);
	assert_int_equal(cvmio_batch_bucket(1u << 20), CVMIO_BATCH_BUCKETS - 1);
}

static void test_record_exact_text(void **state)
{
	struct thread_data *td = new_td(1, "rr");
	struct cvmio_stats s = enabled_stats();
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++)
		cvmio_stats_io(&s, td, DDIR_READ);
	cvmio_stats_io(&s, td, DDIR_WRITE);
	cvmio_stats_io(&s, td, DDIR_SYNC);	/* not a data I/O */
	s.submit_calls = 3;
	s.submit_ns = 300;
	s.reap_calls = 2;
	s.reap_ns = 20;
	s.reap_wait_ns = 15;
	s.batch_hist[0] = 2;
	s.batch_hist[2] = 1;
	report(&s, td);
	assert_string_equal(logged,
		"{\"cvmio_stats\":1,\"engine\":\"cvmio-test\",\"job\":\"rr\","
		"\"thread\":1,\"groupid\":0,\"rw\":\"randread\",\"bs\":4096,\"iodepth\":32,"
		"\"numjobs\":1,\"rwmixread\":null,\"ios\":6,\"ios_read\":5,\"ios_write\":1,"
		"\"submit_calls\":3,\"submit_ns\":300,\"reap_calls\":2,\"reap_ns\":20,"
		"\"syscalls\":5,\"batch_hist\":[[1,2],[2,0],[4,1],[8,0],[16,0],[32,0],"
		"[64,0],[128,0],[256,0],[512,0],[1024,0],[2048,0],[4096,0],[8192,0],"
		"[16384,0],[32768,0]],\"reap_wait_ns\":15,\"cpu_ns\":1234,"
		"\"clocksource\":\"kvm-clock\",\"clock\":\"cpu\"}");
}

static void test_job_name_escaped(void **state)
{
	struct thread_data *td = new_td(1, "a \"q\" \\ b\t\x01");
	struct cvmio_stats s = enabled_stats();

	(void)state;
	report(&s, td);
	assert_non_null(strstr(logged, "\"job\":\"a \\\"q\\\" \\\\ b\\u0009\\u0001\","));
}

static void test_rwmix_and_write_only_bs(void **state)
{
	struct thread_data *td = new_td(1, "w");
	struct cvmio_stats s = enabled_stats();

	(void)state;
	td->o.td_ddir = TD_DDIR_WRITE;
	report(&s, td);
	assert_non_null(strstr(logged, "\"rw\":\"write\",\"bs\":8192,"));
	assert_non_null(strstr(logged, "\"rwmixread\":null,"));

	td->o.td_ddir = TD_DDIR_RANDRW;
	td->o.rwmix[DDIR_READ] = 70;
	set_option_off = offsetof(struct thread_options, rwmix[DDIR_WRITE]);
	report(&s, td);
	assert_non_null(strstr(logged, "\"rw\":\"randrw\",\"bs\":4096,"));
	assert_non_null(strstr(logged, "\"rwmixread\":70,"));
}

static void test_numjobs_of_clones(void **state)
{
	struct thread_data *orig = new_td(1, "job");
	struct thread_data *clone = new_td(2, "job");
	struct cvmio_stats s = enabled_stats();

	(void)state;
	orig->o.numjobs = 2;
	clone->o.numjobs = 1;		/* what fio does to its clones */
	clone->subjob_number = 1;
	report(&s, clone);
	assert_non_null(strstr(logged, "\"thread\":2,"));
	assert_non_null(strstr(logged, "\"numjobs\":2,"));
}

static void test_ramp_time_reset(void **state)
{
	struct thread_data *td = new_td(1, "r");
	struct cvmio_stats s = enabled_stats();
	struct timespec end;

	(void)state;
	ramping = true;
	cvmio_stats_io(&s, td, DDIR_READ);
	/* with accounting on, the submission's end time is read and handed back */
	assert_true(cvmio_submit_done(&s, cvmio_clock_start(&s), 1, &end));
	assert_int_equal(s.ios[DDIR_READ], 1);
	ramping = false;	/* fio zeroed its counters: so must we */
	cvmio_stats_io(&s, td, DDIR_READ);
	assert_int_equal(s.ios[DDIR_READ], 1);
	assert_int_equal(s.submit_calls, 0);
	assert_int_equal(s.batch_hist[0], 0);
	cvmio_stats_io(&s, td, DDIR_READ);
	assert_int_equal(s.ios[DDIR_READ], 2);
	assert_string_equal(s.clocksource, "kvm-clock");	/* read at init, kept */
}

static void test_stats_off_is_silent(void **state)
{
	struct cvmio_common_opts o = { .cvmio_stats = 0 };
	struct thread_data *td = new_td(1, "off");
	struct cvmio_stats s;
	struct timespec end;

	(void)state;
	cvmio_stats_init(&s, &o);
	assert_int_equal(cvmio_clock_start(&s), 0);
	cvmio_stats_io(&s, td, DDIR_READ);
	/* no clock read: the caller reads the issue time itself */
	assert_false(cvmio_submit_done(&s, 0, 4, &end));
	cvmio_reap_done(&s, 0, true);
	assert_int_equal(s.ios[DDIR_READ] + s.submit_calls + s.reap_calls, 0);
	assert_int_equal(s.reap_wait_ns, 0);
}

static void test_version_guard_refuses(void **state)
{
	struct fio_option opts[1] = { { .name = NULL } };
	struct ioengine_ops ops = {
		.name = "cvmio-test", .version = FIO_IOOPS_VERSION,
		.options = opts, .option_struct_size = 8,
	};

	(void)state;
	cvmio_guard_at_load(&ops, "cvmio-test");
	assert_int_equal(ops.version, 0);
	assert_null(ops.options);
	assert_non_null(strstr(logged, "cvmio-test: built for " CVMIO_FIO_VERSION
			       " but loaded by fio-9.99-unit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_buckets),
		cmocka_unit_test_setup_teardown(test_record_exact_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_name_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rwmix_and_write_only_bs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numjobs_of_clones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ramp_time_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_off_is_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_guard_refuses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
