// SPDX-License-Identifier: GPL-2.0-only
/* Growable arrays: one doubling rule for every list the verbs build. */
#include <stdint.h>
#include <stdlib.h>

#include "cvmio.h"

void *cvmio_grow(void *items, size_t used, size_t *cap, size_t elem_size)
{
	size_t new_cap;
	void *grown;

	if (used < *cap)
		return items;
	new_cap = *cap ? *cap * 2 : 16;
	if (new_cap > SIZE_MAX / elem_size)
		return NULL;
	grown = realloc(items, new_cap * elem_size);
	if (grown)
		*cap = new_cap;
	return grown;
}
