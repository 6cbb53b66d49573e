// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chunked search of a byte range of a file descriptor.  The last len-1 bytes
 * of each chunk are carried in front of the next one, so a match that spans a
 * chunk boundary is found exactly once; an unreadable page breaks the carry
 * (the bytes on either side are not adjacent in what we could read).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memdump.h"

#define SCAN_CHUNK (4u << 20)
#define SCAN_PAGE 4096u

static void record(struct memdump_scan *s, uint64_t where)
{
	size_t n = sizeof(s->first) / sizeof(s->first[0]);

	if (s->matches < n)
		s->first[s->matches] = where;
	s->matches++;
}

/* Search buf[0..n) whose first byte is at offset base. */
static void search(struct memdump_scan *s, const unsigned char *buf, size_t n, uint64_t base)
{
	const unsigned char *p = buf, *end = buf + n;

	while ((size_t)(end - p) >= s->len) {
		const unsigned char *hit = memmem(p, (size_t)(end - p), s->needle, s->len);

		if (!hit)
			break;
		record(s, base + (uint64_t)(hit - buf));
		p = hit + 1;
	}
}

/* pread the whole of [off, off+want) or as much as is readable; -1 = error at off. */
static ssize_t read_some(int fd, unsigned char *buf, size_t want, uint64_t off)
{
	size_t got = 0;

	while (got < want) {
		ssize_t r = pread(fd, buf + got, want - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got ? (ssize_t)got : (r == 0 ? 0 : -1);
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int memdump_scan_range(int fd, uint64_t start, uint64_t end, struct memdump_scan *s,
		       char *err, size_t errlen)
{
	size_t carry_max = s->len ? s->len - 1 : 0;
	unsigned char *buf = malloc(carry_max + SCAN_CHUNK);
	size_t carry = 0;
	uint64_t off = start;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (off < end) {
		size_t want = end - off < SCAN_CHUNK ? (size_t)(end - off) : SCAN_CHUNK;
		ssize_t got = read_some(fd, buf + carry, want, off);

		if (got == 0)
			break; /* end of file, or the process is gone */
		if (got < 0) {
			if (errno != EIO && errno != EFAULT && errno != ENOMEM) {
				snprintf(err, errlen, "read at 0x%llx: %s",
					 (unsigned long long)off, strerror(errno));
				free(buf);
				return -1;
			}
			/* Skip the unreadable page and start afresh after it. */
			uint64_t next = (off / SCAN_PAGE + 1) * SCAN_PAGE;

			if (next > end)
				next = end;
			s->unreadable += next - off;
			off = next;
			carry = 0;
			continue;
		}
		search(s, buf, carry + (size_t)got, off - carry);
		s->scanned += (uint64_t)got;
		off += (uint64_t)got;
		{
			size_t total = carry + (size_t)got;
			size_t keep = total < carry_max ? total : carry_max;

			memmove(buf, buf + total - keep, keep);
			carry = keep;
		}
	}
	free(buf);
	return 0;
}
