// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the manifest reader: arbitrary bytes as a
 * manifest.json, then what the analyzer does with an accepted one (the
 * accelerator from its QEMU line, the provenance line of a condition).
 * Built with clang -fsanitize=fuzzer,address,undefined (make fuzz).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return 0;
	struct json_object *m = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	struct manifest_info info;
	char err[1024] = "";
	if (manifest_from_json(m, "fuzz/manifest.json", "virtio-blk", &info, err, sizeof(err)) == 0) {
		if (info.state != VERIFY_YES && info.state != VERIFY_NO)
			abort();	/* an accepted manifest says one or the other */
		unsigned a = info.accel;
		if (a != ACCEL_TCG && a != ACCEL_KVM && a != ACCEL_UNKNOWN)
			abort();	/* one command line, one accelerator */
		struct provenance p;
		memset(&p, 0, sizeof(p));
		provenance_note(&p, &info);
		provenance_note(&p, &info);
		char line[4096];
		provenance_line(&p, line, sizeof(line));
		if (!strstr(line, accel_word(a)))
			abort();
	} else if (!err[0]) {
		abort();	/* a refusal always says why */
	}
	json_object_put(m);
	return 0;
}
