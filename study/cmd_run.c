// SPDX-License-Identifier: GPL-2.0-only
/* cvmio run: placeholder until the verb lands. */
#include "cvmio.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cvmio_error(CVMIO_EXIT_ENV, "run", "not implemented yet");
}
