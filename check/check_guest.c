// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check --guest: what the guest kernel says about its protections.
 * Runs inside the busybox appliance too, so it reads only /proc, /sys,
 * debugfs and /dev (msr, kmsg) -- no external tools.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_facts.h"

static int read_small(const char *root, const char *path, char *buf, size_t len)
{
	char full[4096];
	ssize_t n;
	int fd;

	snprintf(full, sizeof(full), "%s%s", root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int64_t read_number(const char *root, const char *path)
{
	char buf[64], *end;
	long long v;

	if (read_small(root, path, buf, sizeof(buf)) < 0)
		return -1;
	v = strtoll(buf, &end, 0);
	return end == buf ? -1 : (int64_t)v;
}

static void gather_msr(const char *root, struct guest_facts *g)
{
	char path[4096];
	uint64_t v;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/cpu/0/msr", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(g->msr_detail, sizeof(g->msr_detail), "%s: %s", path, strerror(errno));
		return;
	}
	if (pread(fd, &v, sizeof(v), SEV_STATUS_MSR) == (ssize_t)sizeof(v)) {
		g->msr_known = 1;
		g->sev_status = v;
		snprintf(g->msr_detail, sizeof(g->msr_detail), "read from %s", path);
	} else {
		/* #GP on CPUs/hypervisors without the MSR: unknown, not "off" */
		snprintf(g->msr_detail, sizeof(g->msr_detail), "SEV_STATUS not readable: %s",
			 strerror(errno));
	}
	close(fd);
}

/* One kernel log message; notes the encryption line. */
static void kmsg_message(struct guest_facts *g, const char *msg)
{
	int sme, sev, es, snp;

	if (parse_mem_encrypt_line(msg, &sme, &sev, &es, &snp)) {
		snprintf(g->mem_encrypt_line, sizeof(g->mem_encrypt_line), "%.*s",
			 (int)strcspn(msg, "\n"), strstr(msg, "Memory Encryption"));
	}
}

/* /dev/kmsg record: "prio,seq,time,flags[,..];message\n" (+ " KEY=value" lines). */
static void kmsg_record(struct guest_facts *g, char *rec, bool *first)
{
	char *semi = strchr(rec, ';');
	unsigned long long seq;

	if (!semi)
		return;
	if (*first && sscanf(rec, "%*u,%llu,", &seq) == 1)
		g->kmsg_complete = seq == 0;
	*first = false;
	kmsg_message(g, semi + 1);
}

static int gather_kmsg_dev(const char *root, struct guest_facts *g)
{
	char path[4096], rec[8192];
	bool first = true;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/kmsg", root);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	g->kmsg_known = 1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		/* a recorded log (tests): one record per line */
		FILE *f = fdopen(fd, "r");

		while (f && fgets(rec, sizeof(rec), f))
			if (rec[0] != ' ')
				kmsg_record(g, rec, &first);
		if (f)
			fclose(f);
		return 0;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE) {   /* overwritten while reading: skip ahead */
			first = false;
			continue;
		}
		if (n <= 0)
			break;
		rec[n] = '\0';
		kmsg_record(g, rec, &first);
	}
	close(fd);
	return 0;
}

/* Without /dev/kmsg: syslog(2) READ_ALL. */
static void gather_klog(struct guest_facts *g)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0), n;
	char *buf, *line, *save = NULL;

	if (size <= 0)
		return;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n > 0) {
		buf[n] = '\0';
		g->kmsg_known = 1;
		g->kmsg_complete = strstr(buf, "Linux version ") != NULL;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			kmsg_message(g, line);
	}
	free(buf);
}

/* virtio2 before virtio10 */
static int cmp_virtio(const void *a, const void *b)
{
	const struct virtio_dev *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);

	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->name, y->name);
}

static void gather_virtio(const char *root, struct guest_facts *g)
{
	char path[4096], buf[256];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/bus/virtio/devices", root);
	d = opendir(path);
	if (!d) {
		g->n_virtio = -1;
		return;
	}
	while ((de = readdir(d)) && g->n_virtio < MAX_VIRTIO_DEVS) {
		struct virtio_dev *v = &g->virtio[g->n_virtio];
		char rel[512];

		if (de->d_name[0] == '.')
			continue;
		snprintf(v->name, sizeof(v->name), "%.31s", de->d_name);
		snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%.200s/device", de->d_name);
		v->device_id = (int)read_number(root, rel);
		snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%.200s/features", de->d_name);
		v->access_platform = read_small(root, rel, buf, sizeof(buf)) < 0 ? TRI_UNKNOWN :
			virtio_feature_bit(buf, VIRTIO_F_ACCESS_PLATFORM);
		g->n_virtio++;
	}
	closedir(d);
	qsort(g->virtio, (size_t)g->n_virtio, sizeof(g->virtio[0]), cmp_virtio);
}

static void derive_encryption(struct guest_facts *g)
{
	int sme, sev, es, snp;

	g->sev = g->sev_es = g->sev_snp = TRI_UNKNOWN;
	if (g->msr_known) {
		decode_sev_status(g->sev_status, &g->sev, &g->sev_es, &g->sev_snp);
	} else if (g->mem_encrypt_line[0] &&
		   parse_mem_encrypt_line(g->mem_encrypt_line, &sme, &sev, &es, &snp)) {
		g->sev = sev;
		g->sev_es = es;
		g->sev_snp = snp;
	} else if (g->kmsg_known && g->kmsg_complete && !g->mem_encrypt_line[0]) {
		/* the whole boot log is there and the kernel never said it encrypts */
		g->sev = g->sev_es = g->sev_snp = 0;
	}
}

void guest_facts_gather(const char *root, struct guest_facts *g)
{
	memset(g, 0, sizeof(*g));
	/* first: the runner's samples should not count the rest of this check's own work */
	guest_counters_gather(root, &g->counters);
	g->swiotlb_force = TRI_UNKNOWN;
	gather_msr(root, g);
	if (gather_kmsg_dev(root, g) < 0 && !root[0])
		gather_klog(g);
	gather_virtio(root, g);
	if (read_small(root, "/proc/cmdline", g->cmdline, sizeof(g->cmdline)) == 0) {
		g->cmdline[strcspn(g->cmdline, "\n")] = '\0';
		g->cmdline_known = 1;
		g->swiotlb_force = cmdline_swiotlb_force(g->cmdline);
	}
	g->io_tlb_used = read_number(root, "/sys/kernel/debug/swiotlb/io_tlb_used");
	g->io_tlb_used_hiwater = read_number(root, "/sys/kernel/debug/swiotlb/io_tlb_used_hiwater");
	g->io_tlb_nslabs = read_number(root, "/sys/kernel/debug/swiotlb/io_tlb_nslabs");
	gather_clocksource(root, g->clocksource, sizeof(g->clocksource));
	derive_encryption(g);
	tdx_guest_gather(root, g->mem_encrypt_line, g->kmsg_known, g->kmsg_complete, &g->tdx);
}

void guest_facts_confirms(const struct guest_facts *g, bool confirms[N_CHECK_MODES])
{
	struct guest_verdict_in in = {
		.sev = g->sev, .sev_es = g->sev_es, .sev_snp = g->sev_snp,
		.swiotlb_force = g->swiotlb_force, .n_virtio = g->n_virtio,
	};

	for (int i = 0; i < g->n_virtio; i++) {
		if (g->virtio[i].access_platform == TRI_UNKNOWN)
			in.n_virtio = -1;   /* one unknown device: cannot say "all" or "none" */
		in.n_virtio_access_platform += g->virtio[i].access_platform == 1;
	}
	guest_confirms(&in, confirms);
	/* modes are exclusive: a trust domain is neither plain nor bounce */
	confirms[CHECK_MODE_TDX] = tdx_guest_facts_confirmed(&g->tdx);
	if (confirms[CHECK_MODE_TDX])
		confirms[0] = confirms[1] = false;
}

json_object *guest_facts_json(const struct guest_facts *g, const bool confirms[N_CHECK_MODES])
{
	json_object *o = json_object_new_object(), *sw = json_object_new_object(), *bits, *devs;
	char hex[32];

	json_object_object_add(o, "cvmio_check", json_object_new_int(1));
	json_object_object_add(o, "scope", json_object_new_string("guest"));
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)g->sev_status);
	json_object_object_add(o, "sev_status_msr", g->msr_known ? json_object_new_string(hex) : NULL);
	bits = g->msr_known ? json_object_new_array() : NULL;
	for (int i = 0; bits && i < n_sev_status_bits; i++)
		if (g->sev_status & (1ull << sev_status_bits[i].bit))
			json_object_array_add(bits, json_object_new_string(sev_status_bits[i].name));
	json_object_object_add(o, "sev_status_bits", bits);
	json_object_object_add(o, "sev", json_tri(g->sev));
	json_object_object_add(o, "sev_es", json_tri(g->sev_es));
	json_object_object_add(o, "sev_snp", json_tri(g->sev_snp));
	json_object_object_add(o, "mem_encrypt_line", g->mem_encrypt_line[0] ?
			       json_object_new_string(g->mem_encrypt_line) : NULL);
	json_object_object_add(o, "kernel_log_complete",
			       g->kmsg_known ? json_object_new_boolean(g->kmsg_complete) : NULL);
	devs = g->n_virtio >= 0 ? json_object_new_array() : NULL;
	for (int i = 0; devs && i < g->n_virtio; i++) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, "name", json_object_new_string(g->virtio[i].name));
		json_object_object_add(d, "device_id", json_count(g->virtio[i].device_id));
		json_object_object_add(d, "access_platform", json_tri(g->virtio[i].access_platform));
		json_object_array_add(devs, d);
	}
	json_object_object_add(o, "virtio_devices", devs);
	json_object_object_add(sw, "force", json_tri(g->swiotlb_force));
	json_object_object_add(sw, "io_tlb_used", json_count(g->io_tlb_used));
	json_object_object_add(sw, "io_tlb_used_hiwater", json_count(g->io_tlb_used_hiwater));
	json_object_object_add(sw, "io_tlb_nslabs", json_count(g->io_tlb_nslabs));
	json_object_object_add(o, "swiotlb", sw);
	json_object_object_add(o, "kernel_cmdline",
			       g->cmdline_known ? json_object_new_string(g->cmdline) : NULL);
	json_object_object_add(o, "clocksource", g->clocksource[0] ? json_object_new_string(g->clocksource) : NULL);
	json_object_object_add(o, "counters", guest_counters_json(&g->counters, g->io_tlb_used,
								  g->io_tlb_used_hiwater));
	json_object_object_add(o, "tdx", tdx_guest_json(&g->tdx));
	json_object_object_add(o, "confirms", json_confirms(confirms));
	return o;
}

static void print_count(const char *label, int64_t v)
{
	if (v < 0)
		printf("  %-22s unknown\n", label);
	else
		printf("  %-22s %lld\n", label, (long long)v);
}

void guest_facts_text(const struct guest_facts *g, const bool confirms[N_CHECK_MODES])
{
	printf("guest\n");
	if (g->msr_known) {
		printf("  SEV_STATUS MSR         0x%llx:", (unsigned long long)g->sev_status);
		for (int i = 0; i < n_sev_status_bits; i++)
			if (g->sev_status & (1ull << sev_status_bits[i].bit))
				printf(" %s", sev_status_bits[i].name);
		printf("%s\n", g->sev_status ? "" : " none");
	} else {
		printf("  SEV_STATUS MSR         unknown (%s)\n", g->msr_detail);
	}
	printf("  SEV / SEV-ES / SEV-SNP %s / %s / %s\n", tri_word(g->sev), tri_word(g->sev_es),
	       tri_word(g->sev_snp));
	printf("  kernel log             %s\n", g->mem_encrypt_line[0] ? g->mem_encrypt_line :
	       !g->kmsg_known ? "unreadable" : g->kmsg_complete ?
	       "no \"Memory Encryption Features active\" line" : "line not found (log incomplete)");
	if (g->n_virtio < 0)
		printf("  virtio devices         unknown (no /sys/bus/virtio)\n");
	for (int i = 0; i < g->n_virtio; i++)
		printf("  %-22s device id %d, ACCESS_PLATFORM %s\n", g->virtio[i].name,
		       g->virtio[i].device_id, tri_word(g->virtio[i].access_platform));
	printf("  swiotlb=force          %s\n", tri_word(g->swiotlb_force));
	print_count("swiotlb io_tlb_used", g->io_tlb_used);
	print_count("swiotlb used_hiwater", g->io_tlb_used_hiwater);
	print_count("swiotlb io_tlb_nslabs", g->io_tlb_nslabs);
	guest_counters_text(&g->counters);
	tdx_guest_text(&g->tdx);
	printf("confirms:");
	for (int i = 0; i < N_CHECK_MODES; i++)
		printf(" %s=%s", check_modes[i], confirms[i] ? "yes" : "no");
	printf("\n");
}
