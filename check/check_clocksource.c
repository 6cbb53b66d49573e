// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's clocksource: fio's latencies are read from it, and a guest
 * that fell back from kvm-clock or tsc to hpet or acpi_pm (slow to read,
 * coarse) reports latencies that say more about the clock than the disk.
 * The analyzer shows it beside every table (cvmio-analyze(1)).
 */
#include <stdio.h>
#include <string.h>

#include "check_facts.h"

void gather_clocksource(const char *root, char *out, size_t len)
{
	char path[4200];
	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/sys/devices/system/clocksource/clocksource0/current_clocksource", root);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}
