// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check --guest: gathering the guest's cost counters (the I/O side of
 * counters_decode.c).  Reads only /proc and /sys, as the busybox appliance has
 * nothing else.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_counters.h"
#include "check_facts.h"
#include "cvmio.h"

/* The kernel's swiotlb slot (IO_TLB_SIZE = 1 << IO_TLB_SHIFT, include/linux/swiotlb.h). */
#define SWIOTLB_SLOT_BYTES 2048

static char *read_under(const char *root, const char *path)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return cvmio_read_file(full);
}

static void gather_interrupts(const char *root, struct guest_counters *c)
{
	char *text = read_under(root, "/proc/interrupts");
	char names[MAX_COUNTED_DEVS][32];
	int n = text ? interrupts_devices(text, names, MAX_COUNTED_DEVS) : -1;

	for (int i = 0; i < n; i++) {
		memcpy(c->irq_devs[i].name, names[i], sizeof(c->irq_devs[i].name));
		interrupts_count_device(text, names[i], &c->irq_devs[i].c);
	}
	c->irq_known = n >= 0;
	c->n_irq_devs = n > 0 ? n : 0;
	free(text);
}

/* Which controller each disk hangs on (loop, ram, zram ... have none and are left out). */
static void gather_disks(const char *root, struct guest_counters *c)
{
	char dir[PATH_MAX], link[PATH_MAX + 300], real[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/block", root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && c->n_disks < MAX_COUNTED_DEVS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(c->disks[0].disk))
			continue;
		snprintf(link, sizeof(link), "%s/%s/device", dir, de->d_name);
		if (!realpath(link, real) ||
		    disk_controller_from_path(real, c->disks[c->n_disks].controller,
					      sizeof(c->disks[0].controller)) < 0)
			continue;
		memcpy(c->disks[c->n_disks].disk, de->d_name, strlen(de->d_name) + 1);
		c->n_disks++;
	}
	closedir(d);
}

void guest_counters_gather(const char *root, struct guest_counters *c)
{
	char *stat = read_under(root, "/proc/stat");

	memset(c, 0, sizeof(*c));
	c->stat_known = stat && proc_stat_parse(stat, &c->stat) == 0;
	free(stat);
	c->clk_tck = sysconf(_SC_CLK_TCK);
	gather_interrupts(root, c);
	gather_disks(root, c);
}

static json_object *cpu_json(const struct proc_stat *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "user", json_object_new_int64(s->user));
	json_object_object_add(o, "nice", json_object_new_int64(s->nice));
	json_object_object_add(o, "system", json_object_new_int64(s->system));
	json_object_object_add(o, "idle", json_object_new_int64(s->idle));
	json_object_object_add(o, "iowait", json_object_new_int64(s->iowait));
	json_object_object_add(o, "irq", json_object_new_int64(s->irq));
	json_object_object_add(o, "softirq", json_object_new_int64(s->softirq));
	json_object_object_add(o, "steal", json_object_new_int64(s->steal));
	return o;
}

static json_object *irq_json(const struct guest_counters *c)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < c->n_irq_devs; i++) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, "irqs", json_object_new_int64(c->irq_devs[i].c.irqs));
		json_object_object_add(d, "lines", json_object_new_int(c->irq_devs[i].c.lines));
		json_object_object_add(d, "shared_lines",
				       json_object_new_int(c->irq_devs[i].c.shared_lines));
		json_object_object_add(o, c->irq_devs[i].name, d);
	}
	return o;
}

static json_object *swiotlb_json(int64_t used, int64_t hiwater)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "used_slots", json_count(used));
	json_object_object_add(o, "hiwater_slots", json_count(hiwater));
	json_object_object_add(o, "slot_bytes", json_object_new_int(SWIOTLB_SLOT_BYTES));
	/* debugfs swiotlb has slot counts only; the bytes bounced are counted nowhere */
	json_object_object_add(o, "bounced_bytes", NULL);
	json_object_object_add(o, "bounced_bytes_note",
			       json_object_new_string("not exposed by the kernel"));
	return o;
}

json_object *guest_counters_json(const struct guest_counters *c, int64_t io_tlb_used,
				 int64_t io_tlb_used_hiwater)
{
	json_object *o = json_object_new_object(), *disks = json_object_new_object();

	json_object_object_add(o, "clk_tck", json_object_new_int64(c->clk_tck));
	json_object_object_add(o, "cpu_ticks", c->stat_known ? cpu_json(&c->stat) : NULL);
	json_object_object_add(o, "ctxt", c->stat_known ? json_object_new_int64(c->stat.ctxt) : NULL);
	json_object_object_add(o, "interrupts", c->irq_known ? irq_json(c) : NULL);
	for (int i = 0; i < c->n_disks; i++)
		json_object_object_add(disks, c->disks[i].disk,
				       json_object_new_string(c->disks[i].controller));
	json_object_object_add(o, "disks", disks);
	json_object_object_add(o, "swiotlb", swiotlb_json(io_tlb_used, io_tlb_used_hiwater));
	return o;
}

void guest_counters_text(const struct guest_counters *c)
{
	if (c->stat_known)
		printf("  %-22s user %lld system %lld irq %lld softirq %lld ticks of 1/%ld s, "
		       "%lld context switches\n", "CPU since boot", (long long)c->stat.user,
		       (long long)c->stat.system, (long long)c->stat.irq, (long long)c->stat.softirq,
		       c->clk_tck, (long long)c->stat.ctxt);
	for (int i = 0; i < c->n_disks; i++)
		for (int k = 0; k < c->n_irq_devs; k++)
			if (!strcmp(c->irq_devs[k].name, c->disks[i].controller))
				printf("  %-22s %s, %lld interrupts since boot\n", c->disks[i].disk,
				       c->disks[i].controller, (long long)c->irq_devs[k].c.irqs);
}
