// SPDX-License-Identifier: GPL-2.0-only
/* One-line error messages, the same shape for every verb. */
#include "cvmio.h"

int cvmio_error(int code, const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cvmio %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}
