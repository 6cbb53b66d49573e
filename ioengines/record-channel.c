// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the engines' accounting record goes, so that fio's own output stays
 * what it is (pure JSON with --output-format=json) for every other tool:
 *   1. cvmio_stats_file=PATH: appended to PATH;
 *   2. fio --server backend: fio's log, prefixed "cvmio-stats: " (the only
 *      channel to the client; the cvmio runner splits it out of the
 *      client's output);
 *   3. fio's output stream is a regular file R (--output=R, or stdout
 *      redirected): the sidecar beside it, R without ".json" plus
 *      ".cvmio-stats";
 *   4. else stderr, prefixed "cvmio-stats: ".
 * Files get one JSON object per line, each written with one write() on an
 * O_APPEND descriptor, so the lines of jobs running at once (forked or
 * threads) never interleave.  See doc/interfaces.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvmio-core.h"

#define RECORD_PREFIX "cvmio-stats: "
#define SIDECAR_SUFFIX ".cvmio-stats"

/* The sidecar beside fio's output file; false when fio's output is not one. */
static bool default_sidecar(char *out, size_t size)
{
	char link[64], target[PATH_MAX];
	struct stat st;
	size_t len;
	ssize_t n;
	int fd;

	if (!f_out || (fd = fileno(f_out)) < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_nlink == 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/')
		return false;
	target[n] = '\0';
	len = (size_t)n;
	if (len > 5 && !strcmp(target + len - 5, ".json"))
		target[len - 5] = '\0';
	return (size_t)snprintf(out, size, "%s" SIDECAR_SUFFIX, target) < size;
}

void cvmio_record_channel_reset(void)
{
	char path[PATH_MAX + sizeof(SIDECAR_SUFFIX)];

	/*
	 * fio truncated its output file when it opened it; records of an
	 * earlier run left in the sidecar would be taken for this run's.
	 */
	if (!is_backend && default_sidecar(path, sizeof(path)) &&
	    truncate(path, 0) && errno != ENOENT)
		log_err("cvmio: cannot empty %s: %s\n", path, strerror(errno));
}

/* One write of the whole line; 0 or an errno. */
static int append_line(const char *path, const char *line, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	ssize_t w;
	int err = 0;

	if (fd < 0)
		return errno;
	w = write(fd, line, len);
	if (w < 0)
		err = errno;
	else if ((size_t)w != len)
		err = EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

static void to_file(struct thread_data *td, const char *engine, const char *path,
		    const char *line, size_t len)
{
	int err = append_line(path, line, len);

	if (!err)
		return;
	log_err("%s: cannot write the accounting record to %s: %s\n", engine, path,
		strerror(err));
	td_verror(td, err, "cvmio_stats_file");
}

void cvmio_stats_report(const struct cvmio_stats *s, struct thread_data *td,
			const char *engine)
{
	const struct cvmio_common_opts *o = td->eo;
	char path[PATH_MAX + sizeof(SIDECAR_SUFFIX)];
	char line[4096];
	size_t len;

	if (!s->enabled)
		return;
	len = cvmio_stats_format(s, td, engine, cvmio_stats_cpu_ns(s), line, sizeof(line) - 1);
	if (len >= sizeof(line) - 1) {
		log_err("%s: accounting record too long; not written\n", engine);
		return;
	}
	line[len++] = '\n';
	line[len] = '\0';
	if (o->stats_file && *o->stats_file) {
		to_file(td, engine, o->stats_file, line, len);
	} else if (is_backend) {
		/*
		 * The leading newline: a fio --client prefixes each text
		 * message from the server with "<host> "; this way the record
		 * still starts a line.  Forked jobs leave with _exit(): without
		 * the flush the line dies in stdio.
		 */
		log_info("\n" RECORD_PREFIX "%s", line);
		log_info_flush();
	} else if (default_sidecar(path, sizeof(path))) {
		to_file(td, engine, path, line, len);
	} else {
		dprintf(STDERR_FILENO, RECORD_PREFIX "%s", line);
	}
}
