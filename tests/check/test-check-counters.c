// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest counter decoders on recorded /proc texts.
 * recorded/interrupts-kvm-virtio.txt and recorded/stat-kvm.txt were recorded
 * on the development machine (a 2-vCPU KVM guest with virtio-balloon virtio0,
 * virtio-blk virtio1, virtio-net virtio2/virtio3, virtio-input virtio4; all
 * MSI-X); recorded/interrupts-shared-nvme.txt is written in the layout of
 * the kernel's show_interrupts() (kernel/irq/proc.c) for what that machine
 * lacks: an INTx line shared by two handlers, NVMe queue vectors, 3 CPUs.
 * Expected sums are added up by hand from the texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "counters_decode.h"

static char *recorded(const char *name)
{
	char path[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "tests/check/recorded/%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(getdelim(&buf, &len, '\0', f) > 0);
	fclose(f);
	return buf;
}

static void action_names(void **state)
{
	(void)state;
	assert_true(irq_action_is_device("virtio1-req.0", "virtio1"));
	assert_true(irq_action_is_device("virtio1-config", "virtio1"));
	assert_true(irq_action_is_device("virtio1", "virtio1"));
	assert_false(irq_action_is_device("virtio10-config", "virtio1"));
	assert_false(irq_action_is_device("virtio1-req.0", "virtio10"));
	assert_true(irq_action_is_device("nvme0q1", "nvme0"));
	assert_true(irq_action_is_device("nvme0q0", "nvme0"));
	assert_false(irq_action_is_device("nvme0q1", "nvme01"));
	assert_false(irq_action_is_device("nvme10q1", "nvme1"));
	assert_false(irq_action_is_device("ttyS0", "virtio1"));
	assert_false(irq_action_is_device("nvme", "nvme"));
}

static void disk_paths(void **state)
{
	char out[32];

	(void)state;
	/* readlink -f /sys/block/vda/device on the development machine */
	assert_int_equal(disk_controller_from_path("/sys/devices/pci0000:00/0000:00:02.0/virtio1",
						   out, sizeof(out)), 0);
	assert_string_equal(out, "virtio1");
	/* a virtio-scsi disk: the controller is the virtio device above the SCSI host */
	assert_int_equal(disk_controller_from_path(
		"/sys/devices/pci0000:00/0000:00:03.0/virtio2/host0/target0:0:0/0:0:0:0", out,
		sizeof(out)), 0);
	assert_string_equal(out, "virtio2");
	/* an NVMe namespace: /sys/block/nvme0n1/device is the controller */
	assert_int_equal(disk_controller_from_path("/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0",
						   out, sizeof(out)), 0);
	assert_string_equal(out, "nvme0");
	assert_int_equal(disk_controller_from_path("/sys/devices/virtual/block/loop0", out,
						   sizeof(out)), -1);
	/* "nvme" alone (the class folder) is not a controller */
	assert_int_equal(disk_controller_from_path("/sys/class/nvme", out, sizeof(out)), -1);
}

static void interrupts_kvm_virtio(void **state)
{
	char *text = recorded("interrupts-kvm-virtio.txt"), names[16][32];
	struct irq_count c;

	(void)state;
	/* virtio1-config 0+1, virtio1-req.0 0+235520 */
	assert_int_equal(interrupts_count_device(text, "virtio1", &c), 0);
	assert_int_equal(c.irqs, 235521);
	assert_int_equal(c.lines, 2);
	assert_int_equal(c.shared_lines, 0);
	/* virtio3: config 0, rx 1740, tx 3682, event 1 */
	assert_int_equal(interrupts_count_device(text, "virtio3", &c), 0);
	assert_int_equal(c.irqs, 5423);
	assert_int_equal(c.lines, 4);
	/* named lines (LOC, RES, ...) are not counted for anyone */
	assert_int_equal(interrupts_count_device(text, "virtio9", &c), 0);
	assert_int_equal(c.irqs, 0);
	assert_int_equal(c.lines, 0);
	assert_int_equal(interrupts_devices(text, names, 16), 5);
	assert_string_equal(names[0], "virtio0");
	assert_string_equal(names[1], "virtio4");
	assert_string_equal(names[2], "virtio1");
	assert_string_equal(names[3], "virtio2");
	assert_string_equal(names[4], "virtio3");
	free(text);
}

static void interrupts_shared_and_nvme(void **state)
{
	char *text = recorded("interrupts-shared-nvme.txt"), names[16][32];
	struct irq_count c;

	(void)state;
	/* line 10 is shared: counted whole for both, and flagged */
	assert_int_equal(interrupts_count_device(text, "virtio1", &c), 0);
	assert_int_equal(c.irqs, 15);
	assert_int_equal(c.lines, 1);
	assert_int_equal(c.shared_lines, 1);
	assert_int_equal(interrupts_count_device(text, "virtio10", &c), 0);
	assert_int_equal(c.irqs, 115);
	assert_int_equal(c.lines, 2);
	assert_int_equal(c.shared_lines, 1);
	/* nvme0: admin queue 0, I/O queues 521 and 700 */
	assert_int_equal(interrupts_count_device(text, "nvme0", &c), 0);
	assert_int_equal(c.irqs, 1221);
	assert_int_equal(c.lines, 3);
	assert_int_equal(c.shared_lines, 0);
	assert_int_equal(interrupts_count_device(text, "nvme1", &c), 0);
	assert_int_equal(c.irqs, 9);
	assert_int_equal(interrupts_devices(text, names, 16), 4);
	assert_string_equal(names[0], "virtio1");
	assert_string_equal(names[1], "virtio10");
	assert_string_equal(names[2], "nvme0");
	assert_string_equal(names[3], "nvme1");
	/* at most max names */
	assert_int_equal(interrupts_devices(text, names, 2), 2);
	free(text);
}

static void interrupts_bad(void **state)
{
	struct irq_count c;
	char names[4][32];

	(void)state;
	assert_int_equal(interrupts_count_device("", "virtio1", &c), -1);
	assert_int_equal(interrupts_count_device("garbage\n 1: x y\n", "virtio1", &c), -1);
	assert_int_equal(interrupts_devices("no header here\n", names, 4), -1);
	/* a header and a truncated line: the line is skipped, not misread */
	assert_int_equal(interrupts_count_device("  CPU0 CPU1\n 5: 7\n", "virtio1", &c), 0);
	assert_int_equal(c.lines, 0);
}

static void stat_recorded(void **state)
{
	char *text = recorded("stat-kvm.txt");
	struct proc_stat s;

	(void)state;
	/* the recorded aggregate line: cpu  47001 0 9811 64096 2229 0 409 625 0 0 */
	assert_int_equal(proc_stat_parse(text, &s), 0);
	assert_int_equal(s.user, 47001);
	assert_int_equal(s.nice, 0);
	assert_int_equal(s.system, 9811);
	assert_int_equal(s.idle, 64096);
	assert_int_equal(s.iowait, 2229);
	assert_int_equal(s.irq, 0);
	assert_int_equal(s.softirq, 409);
	assert_int_equal(s.steal, 625);
	assert_int_equal(s.ctxt, 1397851);
	free(text);
}

static void stat_bad(void **state)
{
	struct proc_stat s;

	(void)state;
	assert_int_equal(proc_stat_parse("", &s), -1);
	/* per-CPU lines only: not the aggregate */
	assert_int_equal(proc_stat_parse("cpu0 1 2 3 4 5 6 7 8\nctxt 5\n", &s), -1);
	assert_int_equal(proc_stat_parse("cpu  1 2 3\nctxt 5\n", &s), -1);
	assert_int_equal(proc_stat_parse("cpu  1 2 3 4 5 6 7 8 0 0\n", &s), -1);
	assert_int_equal(proc_stat_parse("ctxt 9\ncpu  1 2 3 4 5 6 7 8\n", &s), 0);
	assert_int_equal(s.ctxt, 9);
	assert_int_equal(s.steal, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(action_names), cmocka_unit_test(disk_paths),
		cmocka_unit_test(interrupts_kvm_virtio), cmocka_unit_test(interrupts_shared_and_nvme),
		cmocka_unit_test(interrupts_bad), cmocka_unit_test(stat_recorded),
		cmocka_unit_test(stat_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
