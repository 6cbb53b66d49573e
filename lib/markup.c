// SPDX-License-Identifier: GPL-2.0-only
/* Text inside XML or HTML (libvirt domain XML, the analyzer's report): one escaping rule. */
#include <stdio.h>

#include "cvmio.h"

void cvmio_markup_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '\'': fputs("&#39;", out); break;	/* &apos; is not HTML 4; this is both */
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}
