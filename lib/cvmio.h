/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio: what every verb shares — exit codes, the verb entry points and the
 * small helpers in lib/.  One verb per source file (git's layout); each verb
 * parses its own options and prints its own --help.
 */
#ifndef CVMIO_H
#define CVMIO_H

#include <stdarg.h>
#include <stdio.h>

/*
 * Exit codes, the same for every verb (documented in cvmio(1)):
 *  0 success; 1 a negative answer (memdump: not found; check: mode not
 *  confirmed; run: some runs failed); 2 usage error (bad option or value);
 *  3 bad input data (a named file is invalid, missing or untrustworthy);
 *  4 environment failure (a tool is missing, a system call failed).
 */
enum cvmio_exit {
	CVMIO_EXIT_OK = 0,
	CVMIO_EXIT_NEGATIVE = 1,
	CVMIO_EXIT_USAGE = 2,
	CVMIO_EXIT_INPUT = 3,
	CVMIO_EXIT_ENV = 4,
};

/* Verb entry points: argv[0] is the verb's name. */
int cmd_qemu(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_memdump(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_suite(int argc, char **argv);

/* "cvmio VERB: message\n" on stderr; returns code so callers can 'return cvmio_error(...)'. */
int cvmio_error(int code, const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Room for one more element: returns items itself while used < *cap, else
 * the array realloc'd to twice *cap (16 at first), updating *cap; NULL when
 * out of memory, items and *cap then unchanged.
 */
void *cvmio_grow(void *items, size_t used, size_t *cap, size_t elem_size);

/* calloc/strdup/strndup that never return NULL (out of memory: a message and abort). */
void *cvmio_calloc(size_t n, size_t size);
char *cvmio_strdup(const char *s);
char *cvmio_strndup(const char *s, size_t n);
/* *dst becomes a copy of s; the string it held is freed. */
void cvmio_replace_str(char **dst, const char *s);

/* The whole text file at path (malloc'd), or NULL with errno set. */
char *cvmio_read_file(const char *path);

/*
 * Replace path with text atomically (path.tmp, then rename): 0, or -1 with
 * errno set and path as it was.  Every write, the close and the rename are checked.
 */
int cvmio_write_atomic(const char *path, const char *text);

/*
 * Call accept(dir, ctx) for each folder above the running binary, nearest
 * first (how a build tree or an installed prefix finds its data): 1 as soon
 * as accept returns nonzero, else 0.
 */
int cvmio_find_above_exe(int (*accept)(const char *dir, void *ctx), void *ctx);

/* mkdir -p path (mode 0755): 0, or -1 with errno set. */
int cvmio_mkdir_p(const char *path);

/* s with & < > ' " escaped, for XML and HTML text and attribute values. */
void cvmio_markup_escaped(FILE *out, const char *s);

#endif
