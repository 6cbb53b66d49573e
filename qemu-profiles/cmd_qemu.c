// SPDX-License-Identifier: GPL-2.0-only
/* cvmio qemu: placeholder until the verb lands. */
#include "cvmio.h"

int cmd_qemu(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cvmio_error(CVMIO_EXIT_ENV, "qemu", "not implemented yet");
}
