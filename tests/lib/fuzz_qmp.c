// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of lib/qmp.c's reply parser: arbitrary bytes, fed in
 * chunks whose sizes the input's first byte chooses, then every message
 * taken out.  Whatever QEMU (or anything on the socket) sends must give a
 * message or an error, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "qmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qmp q = { .fd = -1 };
	size_t chunk = size ? (size_t)data[0] % 97 + 1 : 1;
	char err[256];

	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		json_object *out;
		enum qmp_msg kind;

		if (qmp_feed(&q, (const char *)data + off, n))
			break;
		while ((kind = qmp_next(&q, &out, err, sizeof(err))) != QMP_MSG_NONE)
			json_object_put(out);
	}
	qmp_close(&q);
	return 0;
}
