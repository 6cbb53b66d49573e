// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values on a QEMU line against QOM property types, as QEMU's string input
 * visitor takes them (booleans on/off/true/false/yes/no, integers in C
 * syntax with their type's range, sizes with a K/M/G/T/P/E suffix), and a
 * qom-get result against the value written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_values.h"

bool qemu_value_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes", NULL };
	static const char *const no[] = { "off", "false", "no", NULL };

	for (int i = 0; yes[i]; i++) {
		if (!strcmp(v, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(v, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool qemu_value_number(const char *v, bool size, bool is_signed, uint64_t *out)
{
	char *end;
	uint64_t n;

	errno = 0;
	if (!*v)
		return false;
	if (is_signed)
		n = (uint64_t)strtoll(v, &end, 0);
	else if (*v == '-')
		return false;
	else
		n = strtoull(v, &end, 0);
	if (errno || end == v)
		return false;
	if (size && *end) {
		const char *suf = "BKMGTPE";
		const char *p = strchr(suf, *end >= 'a' ? *end - 32 : *end);

		if (!p || end[1])
			return false;
		for (long i = p - suf; i > 0; i--)
			n <<= 10;
		end++;
	}
	*out = n;
	return *end == '\0';
}

bool qemu_value_fits(const char *t, const char *v, bool *checked)
{
	static const struct { const char *type; int bits; bool is_signed; } ints[] = {
		{ "uint8", 8, false }, { "uint16", 16, false }, { "uint32", 32, false },
		{ "uint64", 64, false }, { "int8", 8, true }, { "int16", 16, true },
		{ "int32", 32, true }, { "int64", 64, true }, { "int", 64, true },
	};
	uint64_t n;
	bool b;

	*checked = true;
	if (!strcmp(t, "bool"))
		return qemu_value_bool(v, &b);
	if (!strcmp(t, "size"))
		return qemu_value_number(v, true, false, &n);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (strcmp(t, ints[i].type))
			continue;
		if (!qemu_value_number(v, false, ints[i].is_signed, &n))
			return false;
		if (ints[i].bits == 64)
			return true;
		if (ints[i].is_signed) {
			int64_t s = (int64_t)n, lim = (int64_t)1 << (ints[i].bits - 1);

			return s >= -lim && s < lim;
		}
		return n < ((uint64_t)1 << ints[i].bits);
	}
	if (!strcmp(t, "OnOffAuto"))
		return !strcmp(v, "on") || !strcmp(v, "off") || !strcmp(v, "auto");
	if (!strcmp(t, "OnOffSplit"))
		return !strcmp(v, "on") || !strcmp(v, "off") || !strcmp(v, "split");
	if (!strcmp(t, "str") || !strcmp(t, "string") || !strncmp(t, "link<", 5))
		return true;
	*checked = false;
	return true;
}

bool qemu_value_same(json_object *got, const char *want)
{
	uint64_t n;
	bool b;

	switch (json_object_get_type(got)) {
	case json_type_boolean:
		return qemu_value_bool(want, &b) && b == json_object_get_boolean(got);
	case json_type_int:
		return qemu_value_number(want, true, want[0] == '-', &n) &&
			(int64_t)n == json_object_get_int64(got);
	case json_type_string: {
		const char *s = json_object_get_string(got);
		size_t ls = strlen(s), lw = strlen(want);

		/* links read back as QOM paths: /objects/ID */
		return !strcmp(s, want) || (ls > lw && s[ls - lw - 1] == '/' && !strcmp(s + ls - lw, want));
	}
	default:
		return !strcmp(json_object_to_json_string(got), want);
	}
}

