// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding the guest's cost counters from recorded texts.  Formats as the
 * kernel prints them: /proc/interrupts by show_interrupts() (a "CPU0 CPU1"
 * header; "N:" lines with one count per CPU, the chip, the hardware IRQ and
 * the handlers, the first after spaces and the others after ", "), and
 * /proc/stat as Documentation/filesystems/proc.rst describes it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters_decode.h"

/* Length of the controller name ("virtio12", "nvme0") an action starts with, or 0. */
static size_t controller_prefix(const char *s)
{
	size_t n;

	if (!strncmp(s, "virtio", 6))
		n = 6;
	else if (!strncmp(s, "nvme", 4))
		n = 4;
	else
		return 0;
	if (!isdigit((unsigned char)s[n]))
		return 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	/* what may follow: the end, virtio's "-vq" suffix, NVMe's "qN" queue suffix */
	if (s[n] == '\0' || s[n] == '-' || (s[0] == 'n' && s[n] == 'q' && isdigit((unsigned char)s[n + 1])))
		return n;
	return 0;
}

int irq_action_is_device(const char *action, const char *dev)
{
	size_t n = controller_prefix(action);

	return n && n == strlen(dev) && !strncmp(action, dev, n);
}

int disk_controller_from_path(const char *sysfs_path, char *out, size_t len)
{
	const char *p = sysfs_path, *found = NULL;
	size_t found_len = 0;

	while (*p) {
		size_t seg = strcspn(p, "/");
		char comp[64];

		if (seg > 0 && seg < sizeof(comp)) {
			memcpy(comp, p, seg);
			comp[seg] = '\0';
			if (controller_prefix(comp) == seg) {
				found = p;
				found_len = seg;
			}
		}
		p += seg;
		while (*p == '/')
			p++;
	}
	if (!found || found_len >= len)
		return -1;
	memcpy(out, found, found_len);
	out[found_len] = '\0';
	return 0;
}

/* CPUs in the header line ("           CPU0       CPU1"), or -1. */
static int header_cpus(const char *line, size_t len)
{
	int n = 0;

	for (size_t i = 0; i + 3 <= len; i++)
		if (!strncmp(line + i, "CPU", 3) && (i == 0 || line[i - 1] == ' '))
			n++;
	return n > 0 ? n : -1;
}

struct irq_line {
	int64_t sum;               /* over all CPUs */
	char *actions[16];         /* pointers into a private copy */
	int n_actions;
	char copy[1024];
};

/*
 * One numbered line: skip "N:", add ncpu counts, then take the handlers: the
 * last token and every token before it that ends with ',' (", " joins them).
 * Returns 0, or -1 for a line that is not a numbered IRQ.
 */
static int parse_irq_line(const char *line, size_t len, int ncpu, struct irq_line *out)
{
	char *p, *end, *tok[64];
	int ntok = 0;

	if (len >= sizeof(out->copy))
		len = sizeof(out->copy) - 1;
	memcpy(out->copy, line, len);
	out->copy[len] = '\0';
	p = out->copy;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	strtol(p, &end, 10);
	if (*end != ':')
		return -1;
	p = end + 1;
	out->sum = 0;
	for (int c = 0; c < ncpu; c++) {
		long long v = strtoll(p, &end, 10);

		if (end == p)
			return -1;
		out->sum += v;
		p = end;
	}
	for (char *save = NULL, *t = strtok_r(p, " \t", &save); t && ntok < 64;
	     t = strtok_r(NULL, " \t", &save))
		tok[ntok++] = t;
	out->n_actions = 0;
	for (int i = ntok - 1; i >= 0 && out->n_actions < 16; i--) {
		size_t tl = strlen(tok[i]);

		if (i != ntok - 1 && (tl == 0 || tok[i][tl - 1] != ','))
			break;
		if (tl && tok[i][tl - 1] == ',')
			tok[i][tl - 1] = '\0';
		out->actions[out->n_actions++] = tok[i];
	}
	for (int i = 0; i < out->n_actions / 2; i++) {   /* back into the kernel's order */
		char *t = out->actions[i];

		out->actions[i] = out->actions[out->n_actions - 1 - i];
		out->actions[out->n_actions - 1 - i] = t;
	}
	return 0;
}

/* Calls each(line) for every numbered line; -1 without a header. */
static int for_each_irq_line(const char *text, void (*each)(const struct irq_line *, void *), void *arg)
{
	const char *nl = strchr(text, '\n');
	size_t hlen = nl ? (size_t)(nl - text) : strlen(text);
	int ncpu = header_cpus(text, hlen);
	struct irq_line *l;

	if (ncpu < 0)
		return -1;
	l = malloc(sizeof(*l));
	if (!l)
		return -1;
	for (const char *p = nl ? nl + 1 : text + hlen; *p;) {
		size_t len = strcspn(p, "\n");

		if (parse_irq_line(p, len, ncpu, l) == 0)
			each(l, arg);
		p += len;
		if (*p)
			p++;
	}
	free(l);
	return 0;
}

struct count_ctx {
	const char *dev;
	struct irq_count *out;
};

static void count_line(const struct irq_line *l, void *arg)
{
	struct count_ctx *c = arg;
	int mine = 0;

	for (int i = 0; i < l->n_actions; i++)
		mine |= irq_action_is_device(l->actions[i], c->dev);
	if (!mine)
		return;
	c->out->irqs += l->sum;
	c->out->lines++;
	c->out->shared_lines += l->n_actions > 1;
}

int interrupts_count_device(const char *text, const char *dev, struct irq_count *out)
{
	struct count_ctx c = { dev, out };

	memset(out, 0, sizeof(*out));
	return for_each_irq_line(text, count_line, &c);
}

struct names_ctx {
	char (*names)[32];
	int max, n;
};

static void collect_names(const struct irq_line *l, void *arg)
{
	struct names_ctx *c = arg;

	for (int i = 0; i < l->n_actions; i++) {
		size_t n = controller_prefix(l->actions[i]);
		int seen = 0;

		if (!n || n >= 32)
			continue;
		for (int k = 0; k < c->n && !seen; k++)
			seen = strlen(c->names[k]) == n && !strncmp(c->names[k], l->actions[i], n);
		if (!seen && c->n < c->max) {
			memcpy(c->names[c->n], l->actions[i], n);
			c->names[c->n++][n] = '\0';
		}
	}
}

int interrupts_devices(const char *text, char names[][32], int max)
{
	struct names_ctx c = { names, max, 0 };

	return for_each_irq_line(text, collect_names, &c) < 0 ? -1 : c.n;
}

int proc_stat_parse(const char *text, struct proc_stat *out)
{
	const char *cpu = NULL, *ctxt = NULL;

	memset(out, 0, sizeof(*out));
	for (const char *p = text; *p;) {
		if (!strncmp(p, "cpu ", 4))
			cpu = p;
		else if (!strncmp(p, "ctxt ", 5))
			ctxt = p;
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	/* kernels since 2.6.33 print at least these eight; guest time is inside user */
	if (!cpu || sscanf(cpu, "cpu %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64
			   " %" SCNd64 " %" SCNd64, &out->user, &out->nice,
			   &out->system, &out->idle, &out->iowait, &out->irq, &out->softirq,
			   &out->steal) != 8)
		return -1;
	if (!ctxt || sscanf(ctxt, "ctxt %" SCNd64, &out->ctxt) != 1)
		return -1;
	return 0;
}
