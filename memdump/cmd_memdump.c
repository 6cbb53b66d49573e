// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio memdump: does a running guest's memory reveal STRING to the host?
 * Exit 0 found, 1 not found, 2 error (usage or environment; the message says
 * which).  Never prints the string itself: only where it was found.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvmio.h"
#include "memdump.h"

#define MEMDUMP_ERROR 2

struct memdump_opts {
	pid_t pid;
	const char *qmp;
	const char *find;
	const char *dump_dir;
	uint64_t ram_size;
	int quiet;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: cvmio memdump (--pid QEMU_PID | --qmp SOCKET) --find STRING [options]\n"
		"\n"
		"Search a running guest's RAM from the host for STRING: straight from the\n"
		"QEMU process (--pid: its guest-RAM mappings through /proc/PID/mem) or from\n"
		"a dump-guest-memory taken over QMP (--qmp).  On a plain VM a string the\n"
		"guest holds is found; on a SEV guest the same call must find nothing.\n"
		"\n"
		"  --pid PID          the QEMU process\n"
		"  --qmp SOCKET       a QMP unix socket of the QEMU (dump-guest-memory)\n"
		"  --find STRING      the bytes to look for (never printed)\n"
		"  --ram-size SIZE    the guest's RAM size (e.g. 512M) when QEMU's -m\n"
		"                     cannot tell (--pid only)\n"
		"  --dump-dir DIR     where the temporary dump lives (--qmp; default\n"
		"                     $TMPDIR or /tmp; deleted however we exit)\n"
		"  -q, --quiet        print nothing, only the exit status\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0 found, 1 not found, 2 error.  See cvmio-memdump(1).\n");
}

#define fail(...) cvmio_error(MEMDUMP_ERROR, "memdump", __VA_ARGS__)

static int parse_opts(int argc, char **argv, struct memdump_opts *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "qmp", required_argument, NULL, 'Q' },
		{ "find", required_argument, NULL, 'f' },
		{ "ram-size", required_argument, NULL, 'r' },
		{ "dump-dir", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v <= 0 || v > 0x7fffffff)
				return fail("--pid '%s': not a process id", optarg);
			o->pid = (pid_t)v;
			break;
		}
		case 'Q': o->qmp = optarg; break;
		case 'f': o->find = optarg; break;
		case 'd': o->dump_dir = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'r':
			if (memdump_parse_size(optarg, &o->ram_size))
				return fail("--ram-size '%s': not a size (e.g. 512M, 2G)", optarg);
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return MEMDUMP_ERROR;
		}
	}
	if (optind < argc)
		return fail("unexpected argument '%s'", argv[optind]);
	if (!o->find || !*o->find)
		return fail("--find STRING is required (and must not be empty)");
	if (!o->pid == !o->qmp)
		return fail("give exactly one of --pid and --qmp");
	if (o->ram_size && !o->pid)
		return fail("--ram-size goes with --pid");
	return 0;
}

static void report(const struct memdump_opts *o, const struct memdump_scan *s, const char *where)
{
	size_t shown = sizeof(s->first) / sizeof(s->first[0]);

	if (o->quiet)
		return;
	if (!s->matches) {
		printf("not found: %" PRIu64 " bytes of %s searched", s->scanned, where);
	} else {
		printf("found %" PRIu64 " time(s) in %s at", s->matches, where);
		for (size_t i = 0; i < shown && i < s->matches; i++)
			printf(" 0x%" PRIx64, s->first[i]);
		if (s->matches > shown)
			printf(" ...");
	}
	if (s->unreadable)
		printf(" (%" PRIu64 " bytes unreadable, skipped)", s->unreadable);
	printf("\n");
}

static int scan_process(const struct memdump_opts *o, struct memdump_scan *s)
{
	struct memdump_regions ram;
	char err[512], path[64], where[160];
	int fd;

	if (memdump_guest_ram(o->pid, o->ram_size, &ram, err, sizeof(err)))
		return fail("%s", err);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)o->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("%s: %s (memdump needs ptrace rights over QEMU: root or the same user with ptrace_scope 0)",
			    path, strerror(errno));
	for (size_t i = 0; i < ram.n; i++) {
		if (memdump_scan_range(fd, ram.r[i].start, ram.r[i].end, s, err, sizeof(err))) {
			close(fd);
			return fail("%s: %s", path, err);
		}
	}
	close(fd);
	snprintf(where, sizeof(where), "the guest RAM of process %d (%zu mapping(s), host addresses)",
		 (int)o->pid, ram.n);
	report(o, s, where);
	return s->matches ? 0 : 1;
}

static int scan_qmp_dump(const struct memdump_opts *o, struct memdump_scan *s)
{
	char err[512];
	struct stat st;
	int fd = memdump_qmp_dump(o->qmp, o->dump_dir, err, sizeof(err));

	if (fd < 0)
		return fail("%s", err);
	if (fstat(fd, &st) || st.st_size == 0) {
		close(fd);
		return fail("dump-guest-memory through %s left an empty dump", o->qmp);
	}
	if (memdump_scan_range(fd, 0, (uint64_t)st.st_size, s, err, sizeof(err))) {
		close(fd);
		return fail("reading the dump: %s", err);
	}
	close(fd);
	report(o, s, "the dump-guest-memory ELF file (file offsets)");
	return s->matches ? 0 : 1;
}

int cmd_memdump(int argc, char **argv)
{
	struct memdump_opts o = { 0 };
	struct memdump_scan s = { 0 };
	int r = parse_opts(argc, argv, &o);

	if (r)
		return r < 0 ? 0 : r;
	s.needle = (const unsigned char *)o.find;
	s.len = strlen(o.find);
	return o.pid ? scan_process(&o, &s) : scan_qmp_dump(&o, &s);
}
