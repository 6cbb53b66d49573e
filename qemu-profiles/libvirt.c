// SPDX-License-Identifier: GPL-2.0-only
/* cvmio qemu --libvirt: placeholder. */
#include "compose_int.h"

int qemu_libvirt_write(const struct qemu_plan *plan, FILE *out, char *err, size_t errlen)
{
	(void)plan; (void)out;
	snprintf(err, errlen, "--libvirt is not implemented yet");
	return -1;
}
