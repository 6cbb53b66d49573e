// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the manifest reader (manifest_open: an earlier
 * manifest.json, as --resume finds it, perhaps truncated or edited): any
 * bytes give a manifest that carries over what is valid, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "run_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	json_object *m;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/cvmio-fuzz-manifest-%d.json", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	m = manifest_open(path, "s", "plain", "virtio-blk");
	manifest_add_run(m, "cvmio-uring/a/rep-1.json", 1, NULL, 1.5);
	manifest_set_verified(m, 0, "fuzz");
	json_object_put(m);
	return 0;
}
