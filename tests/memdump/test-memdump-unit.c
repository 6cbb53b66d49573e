// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of cvmio memdump's pieces: size parsing, /proc/PID/maps lines,
 * and the chunked search (matches at the start, across the 4 MiB chunk
 * boundary, at the very end, overlapping, and in a sub-range).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "memdump.h"

#define CHUNK (4u << 20)

static void test_parse_size(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(memdump_parse_size("512M", &v), 0);
	assert_int_equal(v, 512ull << 20);
	assert_int_equal(memdump_parse_size("2G", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(memdump_parse_size("2GiB", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(memdump_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(memdump_parse_size("64k", &v), 0);
	assert_int_equal(v, 64ull << 10);
	assert_int_equal(memdump_parse_size("", &v), -1);
	assert_int_equal(memdump_parse_size("M", &v), -1);
	assert_int_equal(memdump_parse_size("0", &v), -1);
	assert_int_equal(memdump_parse_size("12X", &v), -1);
	assert_int_equal(memdump_parse_size("-1G", &v), -1);
	assert_int_equal(memdump_parse_size("99999999999T", &v), -1);
}

static void test_maps_line(void **state)
{
	uint64_t s, e;
	char perms[5], name[128];

	(void)state;
	assert_int_equal(memdump_parse_maps_line(
		"7f1234500000-7f1254500000 rw-p 00000000 00:00 0 \n", &s, &e, perms, name, sizeof(name)), 0);
	assert_int_equal(s, 0x7f1234500000ull);
	assert_int_equal(e - s, 512ull << 20);
	assert_string_equal(perms, "rw-p");
	assert_string_equal(name, "");

	assert_int_equal(memdump_parse_maps_line(
		"7f0000000000-7f0040000000 rw-s 00000000 00:01 1234    /memfd:pc.ram (deleted)\n",
		&s, &e, perms, name, sizeof(name)), 0);
	assert_string_equal(perms, "rw-s");
	assert_string_equal(name, "/memfd:pc.ram (deleted)");

	assert_int_equal(memdump_parse_maps_line("garbage\n", &s, &e, perms, name, sizeof(name)), -1);
	assert_int_equal(memdump_parse_maps_line(
		"2000-1000 rw-p 00000000 00:00 0\n", &s, &e, perms, name, sizeof(name)), -1);
}

/* A temporary file of size bytes of zeros with needle at each of offs[]. */
static int make_file(size_t size, const char *needle, const uint64_t *offs, size_t n)
{
	char path[] = "/tmp/cvmio-memdump-unit-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pwrite(fd, needle, strlen(needle), (off_t)offs[i]),
				 (ssize_t)strlen(needle));
	return fd;
}

static void scan(int fd, uint64_t start, uint64_t end, const char *needle, struct memdump_scan *s)
{
	char err[256];

	memset(s, 0, sizeof(*s));
	s->needle = (const unsigned char *)needle;
	s->len = strlen(needle);
	assert_int_equal(memdump_scan_range(fd, start, end, s, err, sizeof(err)), 0);
}

static void test_scan_boundaries(void **state)
{
	const char *needle = "cvmio-needle-0123456789";
	size_t size = 2 * CHUNK + 12345;
	uint64_t offs[] = { 0, CHUNK - 7, 2 * CHUNK - 1, size - strlen(needle) };
	int fd = make_file(size, needle, offs, 4);
	struct memdump_scan s;

	(void)state;
	scan(fd, 0, size, needle, &s);
	assert_int_equal(s.matches, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(s.first[i], offs[i]);
	assert_int_equal(s.scanned, size);
	assert_int_equal(s.unreadable, 0);

	/* a sub-range that cuts the first and last needle */
	scan(fd, 1, size - 1, needle, &s);
	assert_int_equal(s.matches, 2);
	assert_int_equal(s.first[0], offs[1]);
	assert_int_equal(s.first[1], offs[2]);

	scan(fd, 0, size, "cvmio-needle-012345678X", &s);
	assert_int_equal(s.matches, 0);
	close(fd);
}

static void test_scan_overlapping_and_short(void **state)
{
	uint64_t offs[] = { 100 };
	int fd = make_file(8192, "aaaa", offs, 1);
	struct memdump_scan s;

	(void)state;
	scan(fd, 0, 8192, "aaa", &s);   /* "aaaa" holds "aaa" twice */
	assert_int_equal(s.matches, 2);
	assert_int_equal(s.first[0], 100);
	assert_int_equal(s.first[1], 101);
	scan(fd, 0, 8192, "a", &s);     /* one-byte needle: no carry at all */
	assert_int_equal(s.matches, 4);
	/* a range past the end of the file ends the scan without error */
	scan(fd, 0, 1 << 20, "aaaa", &s);
	assert_int_equal(s.matches, 1);
	assert_int_equal(s.scanned, 8192);
	close(fd);
}

static void test_scan_many_matches(void **state)
{
	uint64_t offs[20];
	int fd;
	struct memdump_scan s;

	(void)state;
	for (int i = 0; i < 20; i++)
		offs[i] = (uint64_t)i * 4096 + 3;
	fd = make_file(20 * 4096, "xyz", offs, 20);
	scan(fd, 0, 20 * 4096, "xyz", &s);
	assert_int_equal(s.matches, 20);  /* all counted, the first 8 kept */
	assert_int_equal(s.first[7], offs[7]);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_maps_line),
		cmocka_unit_test(test_scan_boundaries),
		cmocka_unit_test(test_scan_overlapping_and_short),
		cmocka_unit_test(test_scan_many_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
