// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which mappings of a QEMU process hold guest RAM.  QEMU allocates each RAM
 * block with one mmap: anonymous (the default -m RAM), a memfd
 * ("/memfd:NAME (deleted)" for memory-backend-memfd) or a file
 * (memory-backend-file, e.g. on hugetlbfs), read-write and never executable;
 * the TCG translation buffer is the only other huge anonymous mapping and it
 * is executable.  The kernel may split one block into several adjacent VMAs
 * (madvise, THP), so adjacent candidates with the same name are merged first.
 * The guest's RAM is then the merged region(s) whose size matches the RAM
 * size (given, or read from QEMU's -m / memory-backend size= arguments, QEMU's
 * default 128 MiB without them), allowing a little rounding for alignment.
 */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memdump.h"

/* Extra bytes a RAM block's mapping may have over the RAM size (alignment). */
#define RAM_SLACK (4ull << 20)

int memdump_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	case 0: break;
	default: return -1;
	}
	if (toupper((unsigned char)*end) == 'B' || toupper((unsigned char)*end) == 'I') {
		/* accept "512MiB" / "512MB" spellings */
		while (*end && isalpha((unsigned char)*end))
			end++;
	}
	if (*end || v == 0 || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int memdump_parse_maps_line(const char *line, uint64_t *start, uint64_t *end,
			    char perms[5], char *name, size_t namelen)
{
	unsigned long long s, e, off, inode;
	int used = 0;
	char dev[32];

	if (sscanf(line, "%llx-%llx %4s %llx %31s %llu %n", &s, &e, perms, &off, dev,
		   &inode, &used) < 6 || e <= s)
		return -1;
	snprintf(name, namelen, "%s", used ? line + used : "");
	name[strcspn(name, "\n")] = 0;
	*start = s;
	*end = e;
	return 0;
}

/* Could this mapping hold guest RAM? */
static int ram_candidate(const char *perms, const char *name)
{
	if (perms[0] != 'r' || perms[1] != 'w' || perms[2] == 'x')
		return 0;
	if (!name[0] || !strncmp(name, "/memfd:", 7) || !strncmp(name, "[anon", 5))
		return 1;
	/* memory-backend-file: hugetlbfs or a file in /dev/shm */
	return name[0] == '/' && (strstr(name, "hugepages") || !strncmp(name, "/dev/shm/", 9));
}

static int read_candidates(pid_t pid, struct memdump_regions *all, char *err, size_t errlen)
{
	char path[64], line[512], perms[5], name[128];
	uint64_t s, e;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %m", path);
		return -1;
	}
	all->n = 0;
	while (fgets(line, sizeof(line), f)) {
		struct memdump_region *last = all->n ? &all->r[all->n - 1] : NULL;

		if (memdump_parse_maps_line(line, &s, &e, perms, name, sizeof(name)) ||
		    !ram_candidate(perms, name))
			continue;
		if (last && last->end == s && !strcmp(last->name, name)) {
			last->end = e;  /* a split VMA of the same block */
			continue;
		}
		if (all->n == MEMDUMP_MAX_REGIONS) {
			/* keep the largest: replace the smallest if this one is bigger */
			size_t small = 0;

			for (size_t i = 1; i < all->n; i++)
				if (all->r[i].end - all->r[i].start <
				    all->r[small].end - all->r[small].start)
					small = i;
			if (e - s <= all->r[small].end - all->r[small].start)
				continue;
			memmove(&all->r[small], &all->r[small + 1],
				(all->n - small - 1) * sizeof(all->r[0]));
			all->n--;
		}
		all->r[all->n].start = s;
		all->r[all->n].end = e;
		snprintf(all->r[all->n].name, sizeof(all->r[0].name), "%s", name);
		all->n++;
	}
	fclose(f);
	return 0;
}

/* The RAM size of a -m argument, in bytes; 0 when unparsable. */
static uint64_t size_from_m_option(const char *v)
{
	uint64_t bytes = 0;
	char buf[64];
	const char *p = strstr(v, "size=");

	/* -m 512, -m 512M, -m size=512M,slots=..,maxmem=.. */
	snprintf(buf, sizeof(buf), "%s", p ? p + 5 : v);
	buf[strcspn(buf, ",")] = 0;
	if (memdump_parse_size(buf, &bytes))
		return 0;
	/* a bare number is MiB for -m */
	if (isdigit((unsigned char)buf[strlen(buf) - 1]))
		bytes <<= 20;
	return bytes;
}

uint64_t memdump_qemu_ram_size(pid_t pid)
{
	char path[64], *buf = NULL;
	size_t cap = 0, len = 0;
	uint64_t ram = 0, backend = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t r;

		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb)
				break;
			buf = nb;
			cap += 65536;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (!buf)
		return 0;
	buf[len] = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
		const char *a = buf + i, *next = i + strlen(a) + 1 < len ? a + strlen(a) + 1 : NULL;

		if ((!strcmp(a, "-m") || !strcmp(a, "--m")) && next)
			ram = size_from_m_option(next);
		else if (!strcmp(a, "-object") && next && !strncmp(next, "memory-backend", 14)) {
			const char *sz = strstr(next, ",size=");
			char v[64];

			if (sz) {
				snprintf(v, sizeof(v), "%s", sz + 6);
				v[strcspn(v, ",")] = 0;
				if (memdump_parse_size(v, &backend)) /* size= is in bytes unless suffixed */
					backend = 0;
			}
		}
	}
	free(buf);
	/* A machine memory backend carries all of RAM; QEMU's default is 128 MiB. */
	if (backend)
		return backend;
	return ram ? ram : 128ull << 20;
}

static uint64_t region_size(const struct memdump_region *r)
{
	return r->end - r->start;
}

int memdump_guest_ram(pid_t pid, uint64_t ram_size, struct memdump_regions *out,
		      char *err, size_t errlen)
{
	struct memdump_regions all;
	size_t largest = 0;

	if (read_candidates(pid, &all, err, errlen))
		return -1;
	if (!all.n) {
		snprintf(err, errlen, "process %d has no writable anonymous or memfd mapping (is it QEMU?)",
			 (int)pid);
		return -1;
	}
	if (!ram_size)
		ram_size = memdump_qemu_ram_size(pid);
	out->n = 0;
	for (size_t i = 0; i < all.n; i++) {
		uint64_t sz = region_size(&all.r[i]);

		if (sz > region_size(&all.r[largest]))
			largest = i;
		if (ram_size && sz >= ram_size && sz <= ram_size + RAM_SLACK)
			out->r[out->n++] = all.r[i];
	}
	if (out->n)
		return 0;
	snprintf(err, errlen,
		 "no mapping of process %d matches a guest RAM size of %" PRIu64
		 " MiB (largest candidate: %" PRIu64 " MiB at 0x%" PRIx64 "); pass --ram-size",
		 (int)pid, ram_size >> 20, region_size(&all.r[largest]) >> 20,
		 all.r[largest].start);
	return -1;
}
