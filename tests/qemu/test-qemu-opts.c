// SPDX-License-Identifier: GPL-2.0-only
/*
 * The --check tokenizer and value parser against QEMU's documented syntax
 * (qemu-options / docs/system/invocation: ',,' is a literal comma, a bare
 * first word is the implied type; the string input visitor's booleans and
 * sizes, where K, M, G, T are powers of 1024) and the C integer ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "qemu_opts.h"
#include "qemu_values.h"

static void test_split(void **state)
{
	char *argv[] = { "qemu", "-nodefaults", "-machine", "q35", "--preconfig", "-m", "1G", NULL };
	struct qemu_opt opts[8];
	char err[200];

	(void)state;
	assert_int_equal(qemu_opts_split(argv, 7, opts, 8, err, sizeof(err)), 4);
	assert_string_equal(opts[0].name, "-nodefaults");
	assert_null(opts[0].value);
	assert_string_equal(opts[1].name, "-machine");
	assert_string_equal(opts[1].value, "q35");
	assert_null(opts[2].value);
	assert_string_equal(opts[3].value, "1G");
	assert_int_equal(qemu_opts_split(argv, 6, opts, 8, err, sizeof(err)), -1);
	assert_string_equal(err, "option -m has no value");
	assert_int_equal(qemu_opts_split(argv, 7, opts, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "more than 3 options");
}

static void test_items(void **state)
{
	const char *list = "virtio-blk-pci,drive=d0,serial=a,,b,num-queues=4";
	char key[64], val[64];
	const char *s = list;

	(void)state;
	s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val));
	assert_string_equal(key, "");
	assert_string_equal(val, "virtio-blk-pci");
	s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val));
	assert_string_equal(key, "drive");
	assert_string_equal(val, "d0");
	s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val));
	assert_string_equal(key, "serial");
	assert_string_equal(val, "a,b");
	s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val));
	assert_string_equal(key, "num-queues");
	assert_string_equal(val, "4");
	assert_null(qemu_opts_next(s, key, sizeof(key), val, sizeof(val)));
	assert_true(qemu_opts_get(list, "serial", val, sizeof(val)));
	assert_string_equal(val, "a,b");
	assert_false(qemu_opts_get(list, "iothread", val, sizeof(val)));
	/* a value with '=' in it keeps it: file.filename=a=b */
	assert_true(qemu_opts_get("driver=raw,file.filename=a=b", "file.filename", val, sizeof(val)));
	assert_string_equal(val, "a=b");
	/* truncated to the buffer, never overrun */
	char small[4];
	assert_true(qemu_opts_get("id=abcdefgh", "id", small, sizeof(small)));
	assert_string_equal(small, "abc");
}

static void test_booleans(void **state)
{
	bool b;

	(void)state;
	assert_true(qemu_value_bool("on", &b) && b);
	assert_true(qemu_value_bool("yes", &b) && b);
	assert_true(qemu_value_bool("true", &b) && b);
	assert_true(qemu_value_bool("off", &b) && !b);
	assert_true(qemu_value_bool("no", &b) && !b);
	assert_true(qemu_value_bool("false", &b) && !b);
	assert_false(qemu_value_bool("1", &b));
	assert_false(qemu_value_bool("On", &b));
	assert_false(qemu_value_bool("", &b));
}

static void test_numbers(void **state)
{
	uint64_t n;

	(void)state;
	assert_true(qemu_value_number("4096", false, false, &n) && n == 4096);
	assert_true(qemu_value_number("0x10", false, false, &n) && n == 16);
	assert_true(qemu_value_number("1G", true, false, &n) && n == 1073741824ULL);
	assert_true(qemu_value_number("768M", true, false, &n) && n == 805306368ULL);
	assert_true(qemu_value_number("2k", true, false, &n) && n == 2048);
	assert_true(qemu_value_number("1T", true, false, &n) && n == 1099511627776ULL);
	assert_false(qemu_value_number("1G", false, false, &n));   /* no suffix on a plain integer */
	assert_false(qemu_value_number("1GB", true, false, &n));
	assert_false(qemu_value_number("1X", true, false, &n));
	assert_false(qemu_value_number("-1", false, false, &n));
	assert_true(qemu_value_number("-1", false, true, &n) && (int64_t)n == -1);
	assert_false(qemu_value_number("", false, false, &n));
	assert_false(qemu_value_number("12a", false, false, &n));
	assert_false(qemu_value_number("99999999999999999999", false, false, &n));
}

static void test_fits(void **state)
{
	bool checked;

	(void)state;
	assert_true(qemu_value_fits("uint8", "255", &checked) && checked);
	assert_false(qemu_value_fits("uint8", "256", &checked));
	assert_true(qemu_value_fits("int8", "-128", &checked));
	assert_false(qemu_value_fits("int8", "128", &checked));
	assert_true(qemu_value_fits("uint16", "65535", &checked));
	assert_false(qemu_value_fits("uint16", "65536", &checked));
	assert_true(qemu_value_fits("uint32", "4294967295", &checked));
	assert_false(qemu_value_fits("uint32", "4294967296", &checked));
	assert_true(qemu_value_fits("int32", "-2147483648", &checked));
	assert_false(qemu_value_fits("int32", "2147483648", &checked));
	assert_true(qemu_value_fits("uint64", "18446744073709551615", &checked));
	assert_true(qemu_value_fits("size", "2G", &checked));
	assert_false(qemu_value_fits("size", "-1", &checked));
	assert_true(qemu_value_fits("bool", "on", &checked));
	assert_false(qemu_value_fits("bool", "maybe", &checked));
	assert_true(qemu_value_fits("OnOffAuto", "auto", &checked));
	assert_false(qemu_value_fits("OnOffAuto", "split", &checked));
	assert_true(qemu_value_fits("OnOffSplit", "split", &checked));
	assert_true(qemu_value_fits("link<iothread>", "io0", &checked) && checked);
	assert_true(qemu_value_fits("str", "anything", &checked) && checked);
	assert_true(qemu_value_fits("PCIELinkSpeed", "16", &checked));
	assert_false(checked);   /* a type cvmio does not know is passed, and said so */
}

static void test_same(void **state)
{
	json_object *o;

	(void)state;
	o = json_object_new_boolean(1);
	assert_true(qemu_value_same(o, "on"));
	assert_false(qemu_value_same(o, "off"));
	json_object_put(o);
	o = json_object_new_int64(1073741824);
	assert_true(qemu_value_same(o, "1G"));
	assert_false(qemu_value_same(o, "1M"));
	json_object_put(o);
	o = json_object_new_int64(-5);
	assert_true(qemu_value_same(o, "-5"));
	json_object_put(o);
	o = json_object_new_string("/objects/sev0");
	assert_true(qemu_value_same(o, "sev0"));
	assert_false(qemu_value_same(o, "ev0"));
	json_object_put(o);
	o = json_object_new_string("q35");
	assert_true(qemu_value_same(o, "q35"));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split), cmocka_unit_test(test_items), cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_numbers), cmocka_unit_test(test_fits), cmocka_unit_test(test_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
