// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host CPU lists ("0,2-3", "0-383") for vcpu_pin= and iothread_pin=.  SEV-SNP
 * hosts have 128-384 CPUs, so a list may name any CPU up to STUDY_MAX_CPU;
 * the pinning uses dynamically sized cpu sets (CPU_ALLOC) to match.
 */
#include <stdlib.h>
#include <string.h>

#include "run_study.h"

/* Next number of the list at *p (advanced past it), or -1. */
static long number(const char **p)
{
	char *end;
	long v;

	if (**p < '0' || **p > '9')
		return -1;
	v = strtol(*p, &end, 10);
	*p = end;
	return v >= 0 && v <= STUDY_MAX_CPU ? v : -1;
}

int study_cpulist_order(const char *s, int **cpus_out)
{
	size_t n = 0, cap = 0;
	int *cpus = NULL;
	const char *p = s;

	*cpus_out = NULL;
	while (*p) {
		long a = number(&p), b = a;

		if (a < 0)
			goto bad;
		if (*p == '-') {
			p++;
			b = number(&p);
			if (b < a)
				goto bad;
		}
		for (long i = a; i <= b; i++) {
			int *grown = cvmio_grow(cpus, n, &cap, sizeof(*cpus));

			if (!grown)
				abort();
			cpus = grown;
			cpus[n++] = (int)i;
		}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			goto bad;
	}
	if (!n)
		goto bad;
	*cpus_out = cpus;
	return (int)n;
bad:
	free(cpus);
	return -1;
}

int study_cpulist_valid(const char *s)
{
	int *cpus;
	int n = study_cpulist_order(s, &cpus);

	free(cpus);
	return n > 0;
}
