/* SPDX-License-Identifier: GPL-2.0-only */
/* Values of a QEMU line against QOM property types (qemu_values.c). */
#ifndef CVMIO_QEMU_VALUES_H
#define CVMIO_QEMU_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include <json.h>

/* on/true/yes, off/false/no: true with *out set; false for any other word. */
bool qemu_value_bool(const char *v, bool *out);
/* An integer in C syntax (size: with a B/K/M/G/T/P/E suffix, powers of 1024); false when it is not. */
bool qemu_value_number(const char *v, bool size, bool is_signed, uint64_t *out);
/* Does v parse for QOM property type t?  *checked: whether cvmio knows the type at all. */
bool qemu_value_fits(const char *t, const char *v, bool *checked);
/* Does a qom-get result equal the value written on the line (links: their QOM path ends in it)? */
bool qemu_value_same(json_object *got, const char *want);

#endif
