/* SPDX-License-Identifier: GPL-2.0-only */
/* An INI file through inih, with the line number of every entry (for FILE:LINE errors). */
#ifndef CVMIO_INI_FILE_H
#define CVMIO_INI_FILE_H

#include <stddef.h>

/* One entry; return 0 to stop (after writing err), 1 to go on. */
typedef int (*ini_line_handler)(void *user, const char *section, const char *key,
				const char *value, int line);

/*
 * Parse path, calling on_entry for each key = value.  0 on success; -1 with
 * err "PATH: cannot open ...", "PATH:LINE: not a valid WHAT line ...",
 * "PATH:LINE: line longer than ..." or whatever on_entry wrote when it stopped.
 */
int ini_file_parse(const char *path, const char *what, ini_line_handler on_entry, void *user,
		   char *err, size_t errlen);

/* The NAME of every NAME.ini in dir (not hidden), sorted, joined with sep ("" if none). */
void ini_file_names(const char *dir, const char *sep, char *out, size_t outlen);

#endif
