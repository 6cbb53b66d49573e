// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's command-line syntax as cvmio qemu --check reads a composed line:
 * options with or without a value, and key=value lists with QEMU's ','
 * escape (',,' is a literal comma) and the implied first key (the type or
 * driver of '-device virtio-blk-pci,drive=d0').
 */
#include <stdio.h>
#include <string.h>

#include "qemu_opts.h"

static const char *const flag_opts[] = {
	"-nodefaults", "-no-reboot", "-nographic", "-S", "-daemonize", "-no-shutdown",
	"--preconfig", "-enable-kvm", "-no-user-config", NULL
};

static bool is_flag(const char *s)
{
	for (const char *const *f = flag_opts; *f; f++)
		if (!strcmp(*f, s))
			return true;
	return false;
}

int qemu_opts_split(char *const *argv, size_t argc, struct qemu_opt *opts, int max, char *err, size_t errlen)
{
	int n = 0;

	for (size_t i = 1; i < argc; i++) {
		if (n == max) {
			snprintf(err, errlen, "more than %d options", max);
			return -1;
		}
		opts[n].name = argv[i];
		opts[n].value = NULL;
		if (!is_flag(argv[i])) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "option %s has no value", argv[i]);
				return -1;
			}
			opts[n].value = argv[++i];
		}
		n++;
	}
	return n;
}

const char *qemu_opts_next(const char *s, char *key, size_t klen, char *val, size_t vlen)
{
	size_t k = 0, v = 0;
	bool in_val = false;

	if (!s || !*s)
		return NULL;
	for (; *s; s++) {
		if (*s == ',' && s[1] == ',') {
			s++;
		} else if (*s == ',') {
			s++;
			break;
		} else if (*s == '=' && !in_val) {
			in_val = true;
			continue;
		}
		if (in_val && v + 1 < vlen)
			val[v++] = *s;
		else if (!in_val && k + 1 < klen)
			key[k++] = *s;
	}
	key[k] = '\0';
	val[v] = '\0';
	if (!in_val) {    /* a bare word: the implied first option (type, driver) */
		snprintf(val, vlen, "%s", key);
		key[0] = '\0';
	}
	return s;
}

bool qemu_opts_get(const char *list, const char *want, char *val, size_t vlen)
{
	char key[128];
	const char *s = list;

	while ((s = qemu_opts_next(s, key, sizeof(key), val, vlen)))
		if (!strcmp(key, want))
			return true;
	return false;
}

