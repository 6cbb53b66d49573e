// SPDX-License-Identifier: GPL-2.0-only
/* cvmio qemu --check: placeholder. */
#include "compose_int.h"
#include "cvmio.h"

int qemu_check_argv(const struct qemu_plan *plan, const struct qemu_argv *av, FILE *report,
		    char *err, size_t errlen)
{
	(void)plan; (void)av; (void)report;
	snprintf(err, errlen, "not implemented yet");
	return CVMIO_EXIT_ENV;
}
