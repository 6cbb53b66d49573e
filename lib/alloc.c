// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation that cannot return NULL: out of memory, cvmio says so and
 * aborts (a verb half-done with a silently missing string would be worse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvmio.h"

static void *checked(void *p)
{
	if (!p) {
		fputs("cvmio: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *cvmio_calloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

char *cvmio_strdup(const char *s)
{
	return checked(strdup(s));
}

char *cvmio_strndup(const char *s, size_t n)
{
	return checked(strndup(s, n));
}

void cvmio_replace_str(char **dst, const char *s)
{
	free(*dst);
	*dst = cvmio_strdup(s);
}
