// SPDX-License-Identifier: GPL-2.0-only
/* RFC 4648 base64 decoding, strict: only the alphabet, padding only at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

static int sextet(char c)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

char *base64_decode(const char *text, size_t *len)
{
	size_t n = strlen(text), pad = 0, out_len;
	char *out;

	if (n % 4)
		return NULL;
	if (n && text[n - 1] == '=')
		pad = n >= 2 && text[n - 2] == '=' ? 2 : 1;
	out_len = n / 4 * 3 - pad;
	out = malloc(out_len + 1);
	if (!out)
		return NULL;
	for (size_t i = 0, o = 0; i < n; i += 4) {
		uint32_t v = 0;

		for (size_t k = 0; k < 4; k++) {
			int s = sextet(text[i + k]);
			int is_pad = i + 4 == n && k >= 4 - pad;   /* the trailing '='s */

			if (is_pad ? text[i + k] != '=' : s < 0) {
				free(out);
				return NULL;
			}
			v = v << 6 | (uint32_t)(is_pad ? 0 : s);
		}
		for (size_t k = 0; k < 3 && o < out_len; k++)
			out[o++] = (char)(v >> (16 - 8 * k) & 0xff);
	}
	out[out_len] = '\0';
	*len = out_len;
	return out;
}

int base64_check_size(const char *what, const char *text, long want, char *err, size_t errlen)
{
	size_t len;
	char *bytes = base64_decode(text, &len);

	if (!bytes) {
		snprintf(err, errlen, "%s: not base64 (RFC 4648, padded)", what);
		return -1;
	}
	free(bytes);
	if ((long)len != want) {
		snprintf(err, errlen, "%s: %zu bytes after base64 decoding, expected %ld", what, len, want);
		return -1;
	}
	return 0;
}
