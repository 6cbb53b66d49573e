// SPDX-License-Identifier: GPL-2.0-only
/* cvmio check: placeholder until the verb lands. */
#include "cvmio.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cvmio_error(CVMIO_EXIT_ENV, "check", "not implemented yet");
}
