// SPDX-License-Identifier: GPL-2.0-only
/* Study-file parsing: values, defaults, and FILE:LINE errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cvmio.h"
#include "run_manifest.h"
#include "run_study.h"

static char dir[] = "/tmp/cvmio-test-study-XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char sets[300];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put("a.fio", "[a]\nrw=read\n");
	put("b.fio", "[b]\nrw=write\n");
	snprintf(sets, sizeof(sets), "%s/lat", dir);
	mkdir(sets, 0755);
	put("lat/randread.fio", "[x]\n");
	put("lat/seqread.fio", "[y]\n");
	put("lat/README", "not a job file\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Load text as DIR/study.ini; returns study_load's code, err holds the message. */
static int load(const char *text, struct study *s, char *err, size_t len)
{
	char path[256];

	put("study.ini", text);
	snprintf(path, sizeof(path), "%s/study.ini", dir);
	return study_load(path, s, err, len);
}

static void expect_error(const char *text, int line, const char *needle)
{
	struct study s;
	char err[1024], where[300];
	int rc = load(text, &s, err, sizeof(err));

	assert_int_equal(rc, CVMIO_EXIT_INPUT);
	if (line)
		snprintf(where, sizeof(where), "%s/study.ini:%d: ", dir, line);
	else
		snprintf(where, sizeof(where), "%s/study.ini: ", dir);
	if (strncmp(err, where, strlen(where)) || !strstr(err, needle))
		fail_msg("error '%s' lacks '%s' / '%s'", err, where, needle);
	study_free(&s);
}

static const char base[] =
	"[study]\n"
	"modes = plain, bounce\n"
	"backends = virtio-blk nvme\n"
	"engines = cvmio-uring cvmio-nvme\n"
	"jobfiles = a.fio b.fio\n";

static void test_full_file(void **state)
{
	struct study s;
	char err[1024], text[2048];

	(void)state;
	snprintf(text, sizeof(text),
		 "; a comment\n%s"
		 "name = mystudy\nsize = 512m\nrepetitions = 5\nruntime = 7\nramp = 2\ntimeout = 99\n"
		 "backing = file:%s/a.fio\nconcurrency = 1\n"
		 "[guest]\nsmp = 2\nmem = 768M\nvcpu_pin = 0-1\niothread_pin = 1\naccel = tcg\n"
		 "append = quiet\n", base, dir);
	assert_int_equal(load(text, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, "mystudy");
	assert_string_equal(s.size, "512m");
	assert_int_equal(s.modes.n, 2);
	assert_string_equal(s.modes.v[1], "bounce");
	assert_int_equal(s.backends.n, 2);
	assert_string_equal(s.backends.v[1], "nvme");
	assert_int_equal(s.n_jobfiles, 2);
	assert_string_equal(s.jobfiles[0].name, "a");
	assert_string_equal(s.jobfiles[1].name, "b");
	assert_int_equal(s.repetitions, 5);
	assert_int_equal(s.runtime, 7);
	assert_int_equal(s.ramp, 2);
	assert_int_equal(s.run_timeout, 99);
	assert_int_equal(s.concurrency, 1);
	assert_string_equal(s.backing, "file");
	assert_non_null(strstr(s.backing_path, "/a.fio"));
	assert_int_equal(s.smp, 2);
	assert_string_equal(s.mem, "768M");
	assert_string_equal(s.vcpu_pin, "0-1");
	assert_string_equal(s.accel, "tcg");
	assert_string_equal(s.append, "quiet");
	study_free(&s);
}

static void test_defaults(void **state)
{
	struct study s;
	char err[1024];

	(void)state;
	assert_int_equal(load(base, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, "study");   /* the file's stem */
	assert_string_equal(s.backing, "null");
	assert_int_equal(s.repetitions, 3);
	assert_int_equal(s.concurrency, 1);
	assert_string_equal(s.size, "100%");
	assert_null(s.backing_path);
	study_free(&s);
	char text[1024];
	snprintf(text, sizeof(text), "%sconcurrency = 4\n", base);
	assert_int_equal(load(text, &s, err, sizeof(err)), 0);
	assert_int_equal(s.concurrency, 4);
	study_free(&s);
}

static void test_jobfile_folder(void **state)
{
	struct study s;
	char err[1024];

	(void)state;
	assert_int_equal(load("[study]\nmodes=plain\nbackends=nvme\nengines=io_uring\njobfiles=lat a.fio\n",
			      &s, err, sizeof(err)), 0);
	assert_int_equal(s.n_jobfiles, 3);
	assert_string_equal(s.jobfiles[0].name, "lat-randread");
	assert_string_equal(s.jobfiles[1].name, "lat-seqread");
	assert_string_equal(s.jobfiles[2].name, "a");
	study_free(&s);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("[study]\nmodes = plain\ncolour = blue\n", 3, "unknown key 'colour' in [study]");
	expect_error("[study]\nmodes = plain\n\n[guest]\nsmp = 0\n", 5, "smp=0");
	/* the composer's limits (cvmio qemu --smp 1..288, --queues 1..1024), named at their line */
	expect_error("[study]\nmodes = plain\n\n[guest]\nsmp = 300\n", 5, "smp=300");
	expect_error("[study]\nmodes = plain\n[guest]\nqueues = 1025\n", 4, "queues=1025");
	expect_error("[study]\nmodes = plain tdx-x\n", 2, "unknown mode 'tdx-x'");
	expect_error("[study]\nbackends = virtio-blk ide\n", 2, "unknown backend 'ide'");
	expect_error("[study]\nrepetitions = three\n", 2, "repetitions=three");
	expect_error("[study]\nruntime = 0\n", 2, "runtime=0");
	expect_error("[study]\njobfiles = a.fio missing.fio\n", 2, "missing.fio: no such file");
	expect_error("[study]\njobfiles = a.fio a.fio\n", 2, "share the results folder 'a'");
	expect_error("[study]\nbacking = tape:x\n", 2, "backing=tape:x");
	expect_error("modes = plain\n", 1, "outside a section");
	expect_error("[study]\nmodes=plain\n[extra]\nx=1\n", 4, "unknown section [extra]");
	expect_error("[study]\nmodes = plain plain\n", 2, "listed twice");
	expect_error("[guest]\nvcpu_pin = 0-x\n", 2, "vcpu_pin=0-x");
	expect_error("[guest]\nmem = lots\n", 2, "mem=lots");
	expect_error("[study]\nsize = huge\n", 2, "size=huge");
	expect_error("[study]\nsize = 1x\n", 2, "size=1x");
	expect_error("[study]\nhosts = nohostport\n", 2, "hosts");
	expect_error("[study]\nmodes = plain\nthis is not ini\n", 3, "not a [section]");
}

static void test_missing_keys(void **state)
{
	(void)state;
	expect_error("[study]\nbackends=nvme\nengines=x\njobfiles=a.fio\n", 0, "needs modes=");
	expect_error("[study]\nmodes=plain\nengines=x\njobfiles=a.fio\n", 0, "needs backends=");
	expect_error("[study]\nmodes=plain\nbackends=nvme\njobfiles=a.fio\n", 0, "needs engines=");
	expect_error("[study]\nmodes=plain\nbackends=nvme\nengines=x\n", 0, "needs jobfiles=");
	expect_error("[study]\nmodes=plain\nbackends=virtio-blk\nengines=cvmio-nvme\njobfiles=a.fio\n", 0,
		     "fits none of the backends");
	expect_error("[study]\nmodes=plain bounce\nbackends=nvme\nengines=x\njobfiles=a.fio\nhosts=h:1\n", 0,
		     "exactly one mode");
	expect_error("[study]\nmodes=plain\nbackends=nvme\nengines=x\njobfiles=a.fio\nbacking=file:/nonexistent/x\n",
		     0, "no such file");
	char text[1024];
	snprintf(text, sizeof(text), "%sconcurrency = 2\nbacking = file:%s/a.fio\n", base, dir);
	expect_error(text, 0, "concurrency=2 needs backing=null");
}

/* The devices as the guest kernel names them (virtio-blk vda, SCSI sda, NVMe nvme0n1 / ng0n1). */
static void test_targets_and_engines(void **state)
{
	struct study s;
	char buf[256], err[1024];

	(void)state;
	assert_int_equal(load("[study]\nmodes = plain sev-snp-2023\nbackends = virtio-blk-iothread virtio-scsi nvme\n"
			      "engines = cvmio-uring cvmio-nvme\njobfiles = a.fio\n", &s, err, sizeof(err)), 0);
	assert_string_equal(study_guest_target(&s, 0, "cvmio-uring"), "/dev/vda");
	assert_string_equal(study_guest_target(&s, 1, "cvmio-aio"), "/dev/sda");
	assert_string_equal(study_guest_target(&s, 2, "cvmio-uring"), "/dev/nvme0n1");
	assert_string_equal(study_guest_target(&s, 2, "cvmio-nvme"), "/dev/ng0n1");
	/* the mode profiles say what the guest check must confirm and which kernel boots */
	assert_string_equal(s.mode_info[0].confirms, "plain");
	assert_string_equal(s.mode_info[0].guest_kernel, "vmlinux");
	assert_string_equal(s.mode_info[1].confirms, "sev-snp");
	assert_string_equal(s.mode_info[1].guest_kernel, "vmlinuz");
	study_engine_value(&s, "cvmio-uring", buf, sizeof(buf));
	assert_string_equal(buf, "external:/usr/lib/cvmio/cvmio-uring.so");
	study_engine_value(&s, "io_uring", buf, sizeof(buf));
	assert_string_equal(buf, "io_uring");
	assert_false(study_engine_fits(&s, "cvmio-nvme", 0));
	assert_false(study_engine_fits(&s, "cvmio-nvme", 1));
	assert_true(study_engine_fits(&s, "cvmio-nvme", 2));
	assert_true(study_engine_fits(&s, "cvmio-uring", 0));
	study_free(&s);
}

static void test_cpulist(void **state)
{
	int *cpus;

	(void)state;
	assert_int_equal(study_cpulist_order("0,2-3", &cpus), 3);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[1], 2);
	assert_int_equal(cpus[2], 3);
	free(cpus);
	assert_int_equal(study_cpulist_order("3,0-1", &cpus), 3);
	assert_int_equal(cpus[0], 3);
	assert_int_equal(cpus[1], 0);
	assert_int_equal(cpus[2], 1);
	free(cpus);
	/* a 384-CPU SEV-SNP host: every CPU, the last one 383 */
	assert_int_equal(study_cpulist_order("0-383", &cpus), 384);
	for (int i = 0; i < 384; i++)
		assert_int_equal(cpus[i], i);
	free(cpus);
	assert_int_equal(study_cpulist_order("64,200-201", &cpus), 3);
	assert_int_equal(cpus[0], 64);
	assert_int_equal(cpus[2], 201);
	free(cpus);
	assert_true(study_cpulist_valid("8191"));
	assert_false(study_cpulist_valid("8192"));
	assert_false(study_cpulist_valid("3-1"));
	assert_false(study_cpulist_valid(""));
	assert_false(study_cpulist_valid("1,,x"));
	assert_false(study_cpulist_valid("1,"));
	assert_false(study_cpulist_valid("-1"));
	assert_false(study_cpulist_valid("x"));
}

static void test_check_confirms(void **state)
{
	char why[300];

	(void)state;
	assert_true(check_confirms("{\"cvmio_check\":1,\"confirms\":{\"plain\":true,\"bounce\":false}}", "plain", why, sizeof(why)));
	assert_false(check_confirms("{\"cvmio_check\":1,\"confirms\":{\"plain\":true,\"bounce\":false}}", "bounce", why, sizeof(why)));
	assert_non_null(strstr(why, "does not confirm bounce"));
	assert_false(check_confirms("{\"confirms\":{\"plain\":true}}", "sev-snp", why, sizeof(why)));
	assert_non_null(strstr(why, "nothing about sev-snp"));
	assert_false(check_confirms("{\"confirms\":{\"plain\":null}}", "plain", why, sizeof(why)));
	assert_false(check_confirms("not json", "plain", why, sizeof(why)));
	assert_false(check_confirms(NULL, "plain", why, sizeof(why)));
	assert_non_null(strstr(why, "no 'cvmio check"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_jobfile_folder),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_targets_and_engines),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_check_confirms),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
