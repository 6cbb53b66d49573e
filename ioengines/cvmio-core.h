/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small core the three cvmio fio engines share: the per-I/O cost
 * accounting (time in submission and reaping syscalls, syscalls per I/O,
 * submit batch histogram), the one-line accounting record, the fio version
 * guard and the ABI sanity check.
 *
 * All state lives in the engine's per-thread data (struct cvmio_stats is
 * embedded in it); nothing here is global and mutable.  The hot-path helpers
 * are inline and, with cvmio_stats=0, do no clock calls at all.
 */
#ifndef CVMIO_ENGINE_CORE_H
#define CVMIO_ENGINE_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fio.h"
#include "optgroup.h"

/* Buckets [1,2) [2,4) ... [2^15, inf): enough for iodepth up to 65535. */
#define CVMIO_BATCH_BUCKETS 16

struct cvmio_stats {
	bool enabled;		/* cvmio_stats=1 */
	bool measuring;		/* ramp_time over: counters are live */
	uint64_t ios[2];	/* DDIR_READ, DDIR_WRITE queued to the device */
	uint64_t submit_calls, submit_ns;
	uint64_t reap_calls, reap_ns;
	uint64_t reap_wait_ns;	/* the part of reap_ns in calls asked to wait */
	uint64_t cpu_start_ns;	/* the thread's CPU time when measuring began */
	uint64_t batch_hist[CVMIO_BATCH_BUCKETS];
	char clocksource[32];	/* the kernel's clock source, read at init */
	const char *clock;	/* the clock the accounting reads: fio's (see cvmio_now_ns) */
};

/*
 * The options every engine has.  Each engine's option struct must start
 * with this (fio's option offsets are relative to td->eo).
 */
struct cvmio_common_opts {
	void *pad;		/* fio stores the thread_data pointer here */
	unsigned int cvmio_stats;
	char *stats_file;	/* cvmio_stats_file=: where the record goes */
};

/* Option table entries for struct cvmio_common_opts, spliced into each engine's table. */
#define CVMIO_COMMON_OPTIONS(opts_type)					\
	{								\
		.name	= "cvmio_stats",				\
		.lname	= "cvmio per-I/O cost accounting",		\
		.type	= FIO_OPT_BOOL,					\
		.off1	= offsetof(opts_type, common.cvmio_stats),	\
		.help	= "Write a per-I/O cost accounting record per job thread (0 = no timing at all)", \
		.def	= "1",						\
		.category = FIO_OPT_C_ENGINE,				\
		.group	= FIO_OPT_G_INVALID,				\
	},								\
	{								\
		.name	= "cvmio_stats_file",				\
		.lname	= "cvmio accounting record file",		\
		.type	= FIO_OPT_STR_STORE,				\
		.off1	= offsetof(opts_type, common.stats_file),	\
		.help	= "Append the accounting record (one JSON line per job thread) to this file", \
		.category = FIO_OPT_C_ENGINE,				\
		.group	= FIO_OPT_G_INVALID,				\
	}

/* A fio timespec in ns. */
static inline uint64_t cvmio_timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/*
 * The accounting reads fio's own clock, the one fio times its latencies
 * with: the TSC (rdtsc, tens of ns, no kernel entry) when fio found it
 * reliable, else clock_gettime (fio's clocksource= option chooses too).  A
 * kernel clock the vDSO cannot read (hpet, or a VM whose TSC the vDSO does
 * not use) makes each clock_gettime a system call: about 600 ns on the
 * Firecracker VM this was measured on, four of them per I/O, which cost
 * cvmio-aio at QD32 several per cent of its IOPS.
 */
static inline uint64_t cvmio_now_ns(void)
{
	struct timespec ts;

	fio_gettime(&ts, NULL);
	return cvmio_timespec_ns(&ts);
}

/* Start a timed syscall; returns 0 (and reads no clock) when accounting is off. */
static inline uint64_t cvmio_clock_start(const struct cvmio_stats *s)
{
	return s->enabled ? cvmio_now_ns() : 0;
}

static inline unsigned int cvmio_batch_bucket(unsigned int batch)
{
	unsigned int b = 0;

	while (batch > 1 && b < CVMIO_BATCH_BUCKETS - 1) {
		batch >>= 1;
		b++;
	}
	return b;
}

/*
 * One submission syscall that handed 'batch' I/Os to the kernel.  Returns
 * true when accounting is on, with *end the time it returned: the issue time
 * cvmio_mark_issued() would otherwise read again (fio's engines stamp it
 * just after the syscall too), so a timed submission costs two clock reads
 * (this and cvmio_clock_start()'s), not three.
 */
static inline bool cvmio_submit_done(struct cvmio_stats *s, uint64_t start,
				     unsigned int batch, struct timespec *end)
{
	if (!s->enabled)
		return false;
	fio_gettime(end, NULL);
	s->submit_ns += cvmio_timespec_ns(end) - start;
	s->submit_calls++;
	if (batch)
		s->batch_hist[cvmio_batch_bucket(batch)]++;
	return true;
}

/*
 * One reaping syscall; 'waits': it was asked for at least one completion
 * (min_complete/min_nr > 0), so it may have slept until the device answered.
 * Its time is device latency rather than system call cost: reap_wait_ns
 * keeps it apart.
 */
static inline void cvmio_reap_done(struct cvmio_stats *s, uint64_t start, bool waits)
{
	uint64_t ns;

	if (!s->enabled)
		return;
	ns = cvmio_now_ns() - start;
	s->reap_ns += ns;
	s->reap_calls++;
	if (waits)
		s->reap_wait_ns += ns;
}

void cvmio_stats_start_measuring(struct cvmio_stats *s);

/*
 * Called for every I/O the engine accepted (queue() returned QUEUED or
 * COMPLETED): exactly the I/Os fio counts in total_ios.  fio zeroes its
 * counters when ramp_time ends; the first accepted I/O after that zeroes ours.
 */
static inline void cvmio_stats_io(struct cvmio_stats *s, struct thread_data *td,
				  enum fio_ddir ddir)
{
	if (!s->enabled)
		return;
	if (!s->measuring && !in_ramp_time(td))
		cvmio_stats_start_measuring(s);
	if (ddir == DDIR_READ || ddir == DDIR_WRITE)
		s->ios[ddir]++;
}

void cvmio_stats_init(struct cvmio_stats *s, const struct cvmio_common_opts *o);

/*
 * The kernel refused I/Os (EAGAIN) and no completion of ours made room
 * (none is in flight, or waiting for one failed too).  A kernel short of memory recovers in far less
 * than a second; fio's libaio engine gives up the same way (after 30 s).
 * Pauses 1 ms and returns true, or returns false (after logging a line
 * naming the engine and 'what') once about 1 s of such pauses in a row
 * have passed; the caller then fails the job.  Zero *stalls on progress.
 */
bool cvmio_stall_pause(unsigned int *stalls, const char *engine, const char *what, int err);

/*
 * fio's latency bookkeeping, which an engine with a commit hook must do
 * itself (fio's own libaio and io_uring engines do the same): after a
 * submission syscall returned, stamp the submitted io_us' issue time and
 * hand each to io_u_queued() (submission latency, slat).  'submitted' is
 * the time cvmio_submit_done() read, or NULL to read the clock.  The engines set
 * FIO_ASYNCIO_SETS_ISSUE_TIME, so I/Os they complete synchronously get their
 * issue time from cvmio_stamp_issue() just before the work starts.
 */
static inline void cvmio_mark_issued(struct thread_data *td, struct io_u **io_us,
				     unsigned int nr, const struct timespec *submitted)
{
	struct timespec now;
	unsigned int i;

	if (!fio_fill_issue_time(td))
		return;
	if (submitted)
		now = *submitted;	/* read by cvmio_submit_done() */
	else
		fio_gettime(&now, NULL);
	for (i = 0; i < nr; i++) {
		io_us[i]->issue_time = now;
		io_u_queued(td, io_us[i]);
	}
	if (td->o.read_iolog_file)
		td->last_issue = now;
}

static inline void cvmio_stamp_issue(struct thread_data *td, struct io_u *io_u)
{
	if (fio_fill_issue_time(td))
		fio_gettime(&io_u->issue_time, NULL);
}

/* The job thread's CPU time (user + system) since measuring began, ns. */
uint64_t cvmio_stats_cpu_ns(const struct cvmio_stats *s);

/*
 * The accounting record (doc/interfaces.md) as one JSON object, no newline;
 * returns its length (>= size: truncated).
 */
size_t cvmio_stats_format(const struct cvmio_stats *s, struct thread_data *td,
			  const char *engine, uint64_t cpu_ns, char *out, size_t size);

/*
 * At the job's end, in its thread: write the record once to its channel
 * (record-channel.c: cvmio_stats_file=, fio's log under --server, a sidecar
 * beside fio's output file, else stderr).
 */
void cvmio_stats_report(const struct cvmio_stats *s, struct thread_data *td,
			const char *engine);

/*
 * At load (once per fio process, before any job runs): empty the default
 * sidecar beside fio's output file, which fio itself has just truncated.
 */
void cvmio_record_channel_reset(void);

/*
 * Called from each engine's constructor when fio dlopens it: on a fio
 * version mismatch, log both versions and make fio refuse the engine before
 * it parses our option table.
 */
void cvmio_guard_at_load(struct ioengine_ops *ops, const char *engine);

#define CVMIO_LOAD_GUARD(ops, engine)						\
	static void __attribute__((constructor)) cvmio_load_guard(void)		\
	{									\
		cvmio_guard_at_load(&(ops), (engine));				\
		cvmio_record_channel_reset();					\
	}

/*
 * Refuse to run inside a fio whose version differs from the headers we were
 * built against, or whose thread_data does not look like ours.  Returns 0 or
 * 1 after logging a one-line error naming the engine.
 */
int cvmio_check_fio(struct thread_data *td, const char *engine,
		    const struct ioengine_ops *ops);

#endif
