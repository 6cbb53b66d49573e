// SPDX-License-Identifier: GPL-2.0-only
/* cvmio memdump: placeholder until the verb lands. */
#include "cvmio.h"

int cmd_memdump(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cvmio_error(CVMIO_EXIT_ENV, "memdump", "not implemented yet");
}
