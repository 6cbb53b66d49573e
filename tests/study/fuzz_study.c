// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the study-file parser (study_load: inih, every key's
 * value, the profiles it names): arbitrary bytes as a study file must give
 * a study or a FILE:LINE error, never a crash, a leak or undefined behaviour.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_study.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct study s;
	char err[2048];
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/cvmio-fuzz-study-%d.ini", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (study_load(path, &s, err, sizeof(err)) && !memchr(err, '\0', sizeof(err)))
		abort();   /* an error message must be a string */
	study_free(&s);
	return 0;
}
