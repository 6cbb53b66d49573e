/* SPDX-License-Identifier: GPL-2.0-only */
/* Running a command in a guest through QEMU's guest agent: guest-exec, guest-exec-status. */
#ifndef CVMIO_AGENT_H
#define CVMIO_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include "qmp.h"

struct agent_result {
	int exitcode;        /* the command's exit status, or -1 when it died of signal */
	int signal;          /* the signal that ended it, or 0 */
	char *out;           /* its standard output (malloc'd, NUL-terminated) */
	size_t out_len;
	char *err_out;       /* its standard error */
	size_t err_len;
	bool truncated;      /* the agent cut the output (16 MiB per stream) */
	double seconds;      /* host wall time from guest-exec to the status that said exited */
};

/*
 * Run argv[0] (a path in the guest) with argv, capturing its output, and
 * wait for it, at most wait_s seconds.  0: it ran (whatever its exit
 * status; r filled, agent_result_free() it); -1: the agent failed or did
 * not answer, or wait_s passed (err says which; the guest's process may
 * still run).
 */
int agent_exec(struct qmp *q, const char *const *argv, int wait_s, struct agent_result *r,
	       char *err, size_t errlen);
void agent_result_free(struct agent_result *r);

#endif
