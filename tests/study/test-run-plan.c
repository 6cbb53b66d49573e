// SPDX-License-Identifier: GPL-2.0-only
/* The study plan: interleaved order, engine/backend fit, resume scanning. */
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

#include "run_plan.h"

static char *names2[] = { "plain", "bounce" };
static char *backends2[] = { "virtio-blk", "nvme" };
static char *engines2[] = { "cvmio-uring", "cvmio-nvme" };
static struct study_jobfile jobs2[] = { { "x/a.fio", "a" }, { "x/b.fio", "b" } };
/* as their profiles say: only nvme has the char device cvmio-nvme drives */
static struct study_backend backend_info2[] = { { "/dev/vda", NULL }, { "/dev/nvme0n1", "/dev/ng0n1" } };

static struct study make_study(void)
{
	struct study s = { 0 };

	s.name = "t";
	s.modes = (struct strlist){ names2, 2 };
	s.backends = (struct strlist){ backends2, 2 };
	s.backend_info = backend_info2;
	s.engines = (struct strlist){ engines2, 2 };
	s.jobfiles = jobs2;
	s.n_jobfiles = 2;
	s.repetitions = 3;
	return s;
}

static void test_interleaved_order(void **state)
{
	struct study s = make_study();
	struct plan p;

	(void)state;
	plan_build(&s, &p);
	/* virtio-blk: uring only (2 jobs x 2 modes x 3 reps = 12); nvme: both engines (24) */
	assert_int_equal(p.n, 36);
	for (size_t i = 0; i < p.n; i++) {
		const struct run_item *it = &p.items[i];
		/* modes alternate: a ratio's two runs are neighbours */
		assert_int_equal(it->mode, i % 2);
		if (it->mode == 1) {
			const struct run_item *prev = &p.items[i - 1];
			assert_int_equal(prev->backend, it->backend);
			assert_int_equal(prev->engine, it->engine);
			assert_int_equal(prev->jobfile, it->jobfile);
			assert_int_equal(prev->rep, it->rep);
		}
		/* backends are contiguous blocks (one boot each) */
		assert_int_equal(it->backend, i < 12 ? 0 : 1);
		/* cvmio-nvme never on virtio-blk */
		if (it->backend == 0)
			assert_int_equal(it->engine, 0);
		/* repetition-major inside a backend: rep r's runs all come before rep r+1's */
		if (i && p.items[i - 1].backend == it->backend)
			assert_true(p.items[i - 1].rep <= it->rep);
	}
	assert_int_equal(p.items[0].rep, 1);
	assert_int_equal(p.items[4].rep, 2);
	assert_int_equal(p.items[4].jobfile, 0);
	assert_int_equal(p.items[2].jobfile, 1);
	plan_free(&p);
}

static void test_paths(void **state)
{
	struct study s = make_study();
	struct plan p;
	char buf[512];

	(void)state;
	plan_build(&s, &p);
	plan_run_path(&s, "res/t", &p.items[13], ".json", buf, sizeof(buf));
	assert_string_equal(buf, "res/t/bounce/nvme/cvmio-uring/a/rep-1.json");
	plan_run_relpath(&s, &p.items[13], ".failed", buf, sizeof(buf));
	assert_string_equal(buf, "cvmio-uring/a/rep-1.failed");
	plan_backend_dir(&s, "res/t", 0, 1, buf, sizeof(buf));
	assert_string_equal(buf, "res/t/plain/nvme");
	plan_free(&p);
}

static void touch(const char *path)
{
	char cmd[1400];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && : > '%s'", path, path);
	assert_int_equal(system(cmd), 0);
}

static void test_resume_scan(void **state)
{
	struct study s = make_study();
	struct plan p;
	char dir[] = "/tmp/cvmio-test-plan-XXXXXX", path[600], cmd[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	plan_build(&s, &p);
	assert_int_equal(plan_scan(&s, dir, &p), 36);
	plan_run_path(&s, dir, &p.items[0], ".json", path, sizeof(path));
	touch(path);
	plan_run_path(&s, dir, &p.items[5], ".json", path, sizeof(path));
	touch(path);
	plan_run_path(&s, dir, &p.items[7], ".failed", path, sizeof(path));
	touch(path);
	/* a temporary left by an interrupted run is not a result */
	plan_run_path(&s, dir, &p.items[8], ".json.tmp", path, sizeof(path));
	touch(path);
	assert_int_equal(plan_scan(&s, dir, &p), 34);
	for (size_t i = 0; i < p.n; i++) {
		enum run_state want = (i == 0 || i == 5) ? RUN_DONE : i == 7 ? RUN_FAILED_BEFORE : RUN_TODO;
		assert_int_equal(p.items[i].state, want);
	}
	plan_free(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interleaved_order),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_resume_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
