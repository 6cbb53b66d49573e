// SPDX-License-Identifier: GPL-2.0-only
/* Small file helpers the verbs share. */
#include <stdlib.h>

#include "cvmio.h"

char *cvmio_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	/* A text file read up to its end (or a NUL): the whole file. */
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}
