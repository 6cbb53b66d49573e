// SPDX-License-Identifier: GPL-2.0-only
/* cvmio analyze: placeholder until the verb lands. */
#include "cvmio.h"

int cmd_analyze(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cvmio_error(CVMIO_EXIT_ENV, "analyze", "not implemented yet");
}
