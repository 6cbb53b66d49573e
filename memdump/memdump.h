/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio memdump: find a byte string in a running guest's memory from the
 * host, either straight from the QEMU process (/proc/PID/maps + mem) or from
 * a dump-guest-memory taken over QMP.  One concern per file:
 *   memdump_maps.c  which of QEMU's mappings hold guest RAM
 *   memdump_scan.c  chunked search of a file descriptor range
 *   memdump_qmp.c   dump-guest-memory over a QMP socket
 */
#ifndef CVMIO_MEMDUMP_H
#define CVMIO_MEMDUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define MEMDUMP_MAX_REGIONS 64

/* A contiguous range of the QEMU process's address space. */
struct memdump_region {
	uint64_t start, end;   /* [start, end) */
	char name[128];        /* the maps pathname ("" = anonymous) */
};

struct memdump_regions {
	struct memdump_region r[MEMDUMP_MAX_REGIONS];
	size_t n;
};

/*
 * Guest RAM of process pid (see cvmio-memdump(1) for the heuristic).
 * ram_size: the guest's RAM size in bytes, or 0 to read it from the QEMU
 * command line (-m, memory-backend size=) and fall back to the largest
 * candidate.  Returns 0, or -1 with a reason in err.
 */
int memdump_guest_ram(pid_t pid, uint64_t ram_size, struct memdump_regions *out,
		      char *err, size_t errlen);

/* Parse one /proc/PID/maps line; 0 on success.  Exposed for tests. */
int memdump_parse_maps_line(const char *line, uint64_t *start, uint64_t *end,
			    char perms[5], char *name, size_t namelen);

/* "512M", "2G", "1073741824", "4096k" -> bytes; -1 when invalid. */
int memdump_parse_size(const char *s, uint64_t *bytes);

/* The guest RAM size QEMU was started with, from its argv; 0 when unknown. */
uint64_t memdump_qemu_ram_size(pid_t pid);

struct memdump_scan {
	const unsigned char *needle;
	size_t len;
	uint64_t matches;        /* matches found so far */
	uint64_t first[8];       /* addresses (offsets) of the first matches */
	uint64_t scanned;        /* bytes read */
	uint64_t unreadable;     /* bytes skipped because the read failed */
};

/*
 * Search fd's bytes [start, end) (offsets as pread takes them: addresses for
 * /proc/PID/mem, file offsets for a dump) for s->needle, matches spanning
 * chunk boundaries included.  Unreadable pages are skipped and counted.
 * Returns 0, or -1 with a reason in err for errors other than unreadable pages.
 */
int memdump_scan_range(int fd, uint64_t start, uint64_t end, struct memdump_scan *s,
		       char *err, size_t errlen);

/*
 * Have the QEMU behind QMP socket qmp_path dump guest memory (ELF, no paging)
 * into an unlinked temporary file in dir (NULL = $TMPDIR or /tmp), passed to
 * QEMU with getfd.  Returns the file's descriptor (read from offset 0), or -1
 * with a reason in err.
 */
int memdump_qmp_dump(const char *qmp_path, const char *dir, char *err, size_t errlen);

#endif
