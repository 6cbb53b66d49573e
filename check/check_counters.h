/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio check --guest: the guest's cost counters at this moment (interrupts
 * per controller, CPU time split, context switches, swiotlb slots), the
 * `counters` object of the guest check JSON.  The runner samples them before
 * and after each fio run and keeps the differences (study/run_counters.c).
 */
#ifndef CVMIO_CHECK_COUNTERS_H
#define CVMIO_CHECK_COUNTERS_H

#include <json.h>

#include "counters_decode.h"

#define MAX_COUNTED_DEVS 32

struct guest_counters {
	int stat_known;                      /* /proc/stat read and parsed */
	struct proc_stat stat;
	long clk_tck;                        /* USER_HZ: /proc/stat's tick */
	int irq_known;                       /* /proc/interrupts read and parsed */
	int n_irq_devs;
	struct { char name[32]; struct irq_count c; } irq_devs[MAX_COUNTED_DEVS];
	int n_disks;
	struct { char disk[32]; char controller[32]; } disks[MAX_COUNTED_DEVS];
};

/* root: "" for the live system, or a folder holding proc/ and sys/ (tests). */
void guest_counters_gather(const char *root, struct guest_counters *c);
/* swiotlb slots (-1 unknown) come from the facts check_guest.c already read. */
json_object *guest_counters_json(const struct guest_counters *c, int64_t io_tlb_used,
				 int64_t io_tlb_used_hiwater);
void guest_counters_text(const struct guest_counters *c);

#endif
