// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared core of the cvmio engines: accounting record, version guard, ABI
 * sanity check.  See cvmio-core.h.
 */
#include <stdio.h>
#include <string.h>

#include "cvmio-core.h"
#include "fio-abi.h"

#ifndef CVMIO_FIO_VERSION
#error "CVMIO_FIO_VERSION (the fio version of the headers) must be defined by the build"
#endif

#define CLOCKSOURCE_PATH "/sys/devices/system/clocksource/clocksource0/current_clocksource"

/*
 * Which clock every clock_gettime of the accounting reads: with tsc or
 * kvm-clock it is a vDSO read, otherwise (hpet, acpi_pm, a CVM whose TSC
 * the kernel distrusts) a system call or an exit each time.
 */
static void read_clocksource(char *out, size_t size)
{
	FILE *f = fopen(CLOCKSOURCE_PATH, "re");
	size_t n;

	snprintf(out, size, "unknown");
	if (!f)
		return;
	if (fgets(out, (int)size, f)) {
		n = strcspn(out, "\n");
		out[n] = '\0';
		for (size_t i = 0; i < n; i++)	/* it goes into JSON verbatim */
			if (out[i] == '"' || out[i] == '\\' || (unsigned char)out[i] < 0x20)
				out[i] = '?';
	}
	if (!out[0])
		snprintf(out, size, "unknown");
	fclose(f);
}

/* The calling thread's own CPU time (user + system), ns. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* fio's clock source, named as its clocksource= option names it. */
static const char *fio_clock_name(void)
{
	switch (fio_clock_source) {
	case CS_CPUCLOCK:
		return "cpu";
	case CS_CGETTIME:
		return "clock_gettime";
	case CS_GTOD:
		return "gettimeofday";
	default:
		return "unknown";
	}
}

void cvmio_stats_init(struct cvmio_stats *s, const struct cvmio_common_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->enabled = o->cvmio_stats != 0;
	if (s->enabled)
		read_clocksource(s->clocksource, sizeof(s->clocksource));
	s->clock = fio_clock_name();
}

/* Runs in the job thread at its first measured I/O (see cvmio_stats_io). */
void cvmio_stats_start_measuring(struct cvmio_stats *s)
{
	char clocksource[sizeof(s->clocksource)];
	bool enabled = s->enabled;

	const char *clock = s->clock;

	memcpy(clocksource, s->clocksource, sizeof(clocksource));
	memset(s, 0, sizeof(*s));
	memcpy(s->clocksource, clocksource, sizeof(clocksource));
	s->clock = clock;
	s->enabled = enabled;
	s->measuring = true;
	s->cpu_start_ns = thread_cpu_ns();
}

/* Append 's' as a JSON string literal; job names are user text. */
static void json_string(char *out, size_t size, const char *s)
{
	size_t n = 0;

	if (size < 3)
		return;
	out[n++] = '"';
	for (; s && *s && n + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n++] = '"';
	out[n] = '\0';
}

static const char *rw_name(const struct thread_data *td)
{
	const char *name = NULL;

	if (td->o.td_ddir <= TD_DDIR_RANDTRIMWRITE)
		name = ddir_str(td->o.td_ddir);
	return name ? name : "unknown";
}

/* The job's block size: the read size, or the write size when it only writes. */
static unsigned long long job_bs(const struct thread_data *td)
{
	if (!td_read(td) && td_write(td))
		return td->o.bs[DDIR_WRITE];
	return td->o.bs[DDIR_READ];
}

/*
 * numjobs of the job this thread belongs to.  fio sets o.numjobs = 1 in the
 * clones it makes for numjobs > 1 (subjob_number > 0) and adds them right
 * after the original, so the original is the nearest earlier thread with
 * subjob_number 0.
 */
static unsigned int job_numjobs(const struct thread_data *td)
{
	unsigned int n;

	if (!td->subjob_number)
		return td->o.numjobs;
	for (n = td->thread_number - 1; n >= 1; n--) {
		const struct thread_data *orig = tnumber_to_td(n - 1);

		if (orig->subjob_number)
			continue;
		if (orig->groupid == td->groupid && orig->o.name && td->o.name &&
		    !strcmp(orig->o.name, td->o.name))
			return orig->o.numjobs;
		break;
	}
	return 0;	/* unknown: the analyzer will not match it, rather than mismatch */
}

#define STALL_PAUSE_NS 1000000L	/* 1 ms */
#define STALL_LIMIT 1000	/* pauses: about 1 s */

bool cvmio_stall_pause(unsigned int *stalls, const char *engine, const char *what, int err)
{
	static const struct timespec pause = { 0, STALL_PAUSE_NS };

	if (++*stalls <= STALL_LIMIT) {
		nanosleep(&pause, NULL);
		return true;
	}
	log_err("%s: %s kept failing (%s) for about 1 s and no I/O of this job "
		"completed to make room; giving up\n", engine, what, strerror(err < 0 ? -err : err));
	return false;
}

uint64_t cvmio_stats_cpu_ns(const struct cvmio_stats *s)
{
	return s->measuring ? thread_cpu_ns() - s->cpu_start_ns : 0;
}

size_t cvmio_stats_format(const struct cvmio_stats *s, struct thread_data *td,
			  const char *engine, uint64_t cpu_ns, char *out, size_t size)
{
	char name[512], rwmix[16], hist[CVMIO_BATCH_BUCKETS * 32];
	size_t n = 0;
	unsigned int i;
	int len;

	json_string(name, sizeof(name), td->o.name);
	if (fio_option_is_set(&td->o, rwmix[DDIR_READ]) ||
	    fio_option_is_set(&td->o, rwmix[DDIR_WRITE]))
		snprintf(rwmix, sizeof(rwmix), "%u", td->o.rwmix[DDIR_READ]);
	else
		snprintf(rwmix, sizeof(rwmix), "null");
	for (i = 0; i < CVMIO_BATCH_BUCKETS; i++)
		n += (size_t)snprintf(hist + n, sizeof(hist) - n, "%s[%u,%llu]",
				      i ? "," : "", 1u << i,
				      (unsigned long long)s->batch_hist[i]);
	len = snprintf(out, size, "{\"cvmio_stats\":1,\"engine\":\"%s\",\"job\":%s,"
		 "\"thread\":%u,\"groupid\":%u,\"rw\":\"%s\",\"bs\":%llu,"
		 "\"iodepth\":%u,\"numjobs\":%u,\"rwmixread\":%s,"
		 "\"ios\":%llu,\"ios_read\":%llu,\"ios_write\":%llu,"
		 "\"submit_calls\":%llu,\"submit_ns\":%llu,"
		 "\"reap_calls\":%llu,\"reap_ns\":%llu,\"syscalls\":%llu,"
		 "\"batch_hist\":[%s],\"reap_wait_ns\":%llu,\"cpu_ns\":%llu,"
		 "\"clocksource\":\"%s\",\"clock\":\"%s\"}",
		 engine, name, td->thread_number, td->groupid, rw_name(td),
		 job_bs(td), td->o.iodepth, job_numjobs(td), rwmix,
		 (unsigned long long)(s->ios[DDIR_READ] + s->ios[DDIR_WRITE]),
		 (unsigned long long)s->ios[DDIR_READ],
		 (unsigned long long)s->ios[DDIR_WRITE],
		 (unsigned long long)s->submit_calls,
		 (unsigned long long)s->submit_ns,
		 (unsigned long long)s->reap_calls,
		 (unsigned long long)s->reap_ns,
		 (unsigned long long)(s->submit_calls + s->reap_calls), hist,
		 (unsigned long long)s->reap_wait_ns, (unsigned long long)cpu_ns,
		 s->clocksource, s->clock ? s->clock : "unknown");
	return len < 0 ? 0 : (size_t)len;
}

void cvmio_guard_at_load(struct ioengine_ops *ops, const char *engine)
{
	if (strcmp(fio_version_string, CVMIO_FIO_VERSION) == 0)
		return;
	log_err("%s: built for %s but loaded by %s; rebuild cvmio against this "
		"fio's source (./configure && make)\n",
		engine, CVMIO_FIO_VERSION, fio_version_string);
	/*
	 * fio parses engine options right after dlopen, before init(): with
	 * another fio's struct fio_option layout that could already go wrong.
	 * An impossible ops version makes fio refuse the engine first.
	 */
	ops->version = 0;
	ops->options = NULL;
	ops->option_struct_size = 0;
}

int cvmio_check_fio(struct thread_data *td, const char *engine,
		    const struct ioengine_ops *ops)
{
	if (strcmp(fio_version_string, CVMIO_FIO_VERSION) != 0) {
		log_err("%s: built for %s but running in %s; rebuild cvmio "
			"against this fio's source (./configure && make)\n",
			engine, CVMIO_FIO_VERSION, fio_version_string);
		return 1;
	}
	/*
	 * The layouts of thread_data and thread_options come from headers we
	 * compiled; if they disagree with the running fio, these fields (spread
	 * over the struct) read as garbage.  Better to stop than corrupt memory.
	 */
	if (td->io_ops != ops || td->eo == NULL || td->o.iodepth < 1 ||
	    td->thread_number < 1 || td->o.name == NULL) {
		log_err("%s: fio's thread_data does not match the headers of %s "
			"cvmio was built with (ABI mismatch); rebuild cvmio\n",
			engine, CVMIO_FIO_VERSION);
		return 1;
	}
	return 0;
}
