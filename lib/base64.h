/* SPDX-License-Identifier: GPL-2.0-only */
/* Standard base64 (RFC 4648, with padding) decoding: the guest agent's output encoding. */
#ifndef CVMIO_BASE64_H
#define CVMIO_BASE64_H

#include <stddef.h>

/* The decoded bytes of text (malloc'd, NUL-terminated, length in *len), or NULL if malformed. */
char *base64_decode(const char *text, size_t *len);

#endif
