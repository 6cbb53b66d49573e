/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio check --guest: pure decoding of the guest's cost counters
 * (/proc/interrupts, /proc/stat, the sysfs path of a disk).  No I/O here, so
 * each rule is unit-tested on recorded texts (tests/check/test-check-counters.c).
 */
#ifndef CVMIO_COUNTERS_DECODE_H
#define CVMIO_COUNTERS_DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The controller a block device hangs on, from the resolved sysfs path of
 * /sys/block/X/device: the last component named virtioN or nvmeN
 * (".../0000:00:02.0/virtio1" -> "virtio1"; virtio-scsi's
 * ".../virtio2/host0/target0:0:0/0:0:0:0" -> "virtio2").  0, or -1 when none.
 */
int disk_controller_from_path(const char *sysfs_path, char *out, size_t len);

/*
 * Does an interrupt action name belong to controller dev?  virtio names its
 * MSI-X vectors "virtio1-config", "virtio1-req.0", "virtio2-request", and an
 * INTx line plainly "virtio1"; NVMe names its queues "nvme0q0", "nvme0q1".
 * "virtio1" does not match "virtio10-config".
 */
int irq_action_is_device(const char *action, const char *dev);

/* Interrupts of one controller in a /proc/interrupts text. */
struct irq_count {
	int64_t irqs;          /* summed over its lines and every CPU */
	int lines;             /* numbered lines naming it */
	int shared_lines;      /* of those, lines it shares with another handler (counted whole) */
};

/*
 * Sum the numbered lines (not NMI/LOC/...) of /proc/interrupts whose actions
 * name dev.  Returns 0, or -1 when the text has no "CPU0" header.
 */
int interrupts_count_device(const char *text, const char *dev, struct irq_count *out);

/*
 * The distinct controllers (virtioN, nvmeN) named in /proc/interrupts, in
 * order of first appearance; returns how many (at most max), -1 without a header.
 */
int interrupts_devices(const char *text, char names[][32], int max);

/* The aggregate "cpu" line of /proc/stat (USER_HZ ticks) and "ctxt". */
struct proc_stat {
	int64_t user, nice, system, idle, iowait, irq, softirq, steal;
	int64_t ctxt;
};
/* 0, or -1 when the cpu line or ctxt is missing or malformed. */
int proc_stat_parse(const char *text, struct proc_stat *out);

#endif
