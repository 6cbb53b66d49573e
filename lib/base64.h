/* SPDX-License-Identifier: GPL-2.0-only */
/* Standard base64 (RFC 4648, with padding) decoding: the guest agent's output encoding. */
#ifndef CVMIO_BASE64_H
#define CVMIO_BASE64_H

#include <stddef.h>

/* The decoded bytes of text (malloc'd, NUL-terminated, length in *len), or NULL if malformed. */
char *base64_decode(const char *text, size_t *len);

/*
 * Is text the base64 of exactly 'want' bytes?  0, or -1 with a line in err
 * that starts with 'what' (the option or key the text came from).
 */
int base64_check_size(const char *what, const char *text, long want, char *err, size_t errlen);

#endif
