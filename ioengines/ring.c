// SPDX-License-Identifier: GPL-2.0-only
/* The io_uring half of cvmio-uring and cvmio-nvme; see ring.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <liburing/barrier.h>

#include "ring.h"

int cvmio_ring_alloc(struct cvmio_ring *r, unsigned int depth,
		     struct cvmio_stats *stats, cvmio_cqe_complete_fn complete)
{
	memset(r, 0, sizeof(*r));
	r->depth = depth;
	r->stats = stats;
	r->complete = complete;
	r->pending_ios = calloc(depth, sizeof(*r->pending_ios));
	r->events = calloc(depth, sizeof(*r->events));
	return r->pending_ios && r->events ? 0 : -ENOMEM;
}

void cvmio_ring_free(struct cvmio_ring *r)
{
	if (r->ready)
		io_uring_queue_exit(&r->ring);
	r->ready = false;
	free(r->pending_ios);
	free(r->events);
	r->pending_ios = r->events = NULL;
}

/* One io_uring_queue_init_params, fastest flags first, each dropped on EINVAL. */
static int init_with_fallback(struct cvmio_ring *r, struct io_uring_params *params,
			      unsigned int base, bool want_fast)
{
	/* DEFER_TASKRUN needs SINGLE_ISSUER and no SQPOLL. */
	static const unsigned int fast[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	unsigned int i = want_fast ? 0 : 3;
	int ret = -EINVAL;

	for (; i < sizeof(fast) / sizeof(fast[0]); i++) {
		unsigned int extra = fast[i];

		if (base & IORING_SETUP_SQPOLL)
			extra &= ~IORING_SETUP_DEFER_TASKRUN;
		params->flags = base | extra;
		ret = io_uring_queue_init_params(r->depth, &r->ring, params);
		if (ret != -EINVAL)
			break;
	}
	return ret;
}

int cvmio_ring_init(struct cvmio_ring *r, struct io_uring_params *params,
		    bool want_fast, unsigned int *used_flags)
{
	const unsigned int base = params->flags;
	int ret;

	/*
	 * Never more than depth I/Os are in flight, so a CQ as large as the
	 * SQ cannot overflow; the default (twice the SQ) only costs memory.
	 */
	params->cq_entries = r->depth;
	ret = init_with_fallback(r, params, base | IORING_SETUP_CQSIZE, want_fast);
	if (ret == -EINVAL)
		ret = init_with_fallback(r, params, base, want_fast);
	*used_flags = params->flags;
	r->ready = ret == 0;
	return ret;
}

/* Whether the CQ only fills when we enter the kernel for it. */
static bool needs_enter_to_reap(const struct cvmio_ring *r)
{
	return r->ring.flags & (IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_IOPOLL);
}


static bool retryable(int err)
{
	return err == -EINTR || err == -EAGAIN || err == -EBUSY;
}

/*
 * SQPOLL: the kernel's poller thread takes SQEs once it sees the new tail;
 * only when it has gone to sleep (IORING_SQ_NEED_WAKEUP) must we enter the
 * kernel to wake it, and only that enter is a system call to count.
 *
 * Memory ordering: the store-release of the tail orders the SQE contents
 * before it.  The poller, before sleeping, sets NEED_WAKEUP, issues a full
 * barrier and reads the tail once more.  We store the tail, issue a full
 * barrier and then read the flag.  Store->load order is the one order a CPU
 * may break even on x86, hence the full barrier on both sides: without it we
 * could read "awake" from before the poller's decision to sleep while the
 * poller, not yet seeing our tail, goes to sleep, and our SQEs would wait
 * there unsubmitted (and a wakeup that was needed go uncounted).  With it, at
 * least one side sees the other's store: either the poller finds our SQEs,
 * or we see NEED_WAKEUP and enter.
 */
static int sqpoll_submit(struct cvmio_ring *r, struct timespec *end, bool *timed)
{
	struct io_uring_sq *sq = &r->ring.sq;
	unsigned int nr = r->pending, stalls = 0;
	uint64_t start;
	int ret;

	*timed = false;
	sq->sqe_head = sq->sqe_tail;
	io_uring_smp_store_release(sq->ktail, sq->sqe_tail);
	io_uring_smp_mb();
	if (!(IO_URING_READ_ONCE(*sq->kflags) & IORING_SQ_NEED_WAKEUP))
		return (int)nr;
	/*
	 * Once the tail is published all of them are the poller's: the wakeup
	 * is retried until it goes through, and only then (or on a hard error:
	 * the poller is gone) do we return.
	 */
	do {
		start = cvmio_clock_start(r->stats);
		ret = io_uring_enter(r->ring.ring_fd, nr, 0, IORING_ENTER_SQ_WAKEUP, NULL);
		*timed = cvmio_submit_done(r->stats, start, ret >= 0 ? nr : 0, end);
	} while (ret == -EINTR || (retryable(ret) &&
		 cvmio_stall_pause(&stalls, "cvmio-uring", "io_uring_enter (SQPOLL wakeup)", ret)));
	return ret < 0 ? ret : (int)nr;
}

/*
 * Hand the pending SQEs over: how many the kernel took, or -errno; *timed:
 * *end holds the time the submitting call returned (accounting on).
 */
static int ring_submit(struct cvmio_ring *r, struct timespec *end, bool *timed)
{
	uint64_t start;
	int ret;

	if (r->ring.flags & IORING_SETUP_SQPOLL)
		return sqpoll_submit(r, end, timed);
	/* Without SQPOLL, liburing makes exactly one io_uring_enter here. */
	start = cvmio_clock_start(r->stats);
	ret = io_uring_submit(&r->ring);
	*timed = cvmio_submit_done(r->stats, start, ret > 0 ? (unsigned int)ret : 0, end);
	return ret;
}

/* One reaping enter: wait for 'wait_nr' CQEs (0: only run task work / poll). */
static int ring_wait(struct cvmio_ring *r, unsigned int wait_nr)
{
	uint64_t start = cvmio_clock_start(r->stats);
	int ret = io_uring_enter(r->ring.ring_fd, 0, wait_nr,
				 IORING_ENTER_GETEVENTS, NULL);

	cvmio_reap_done(r->stats, start, wait_nr > 0);
	return ret;	/* liburing returns -errno */
}

/* Move CQEs into events[] until it holds 'limit'; returns how many were taken. */
static unsigned int take_completions(struct cvmio_ring *r, unsigned int limit)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&r->ring, head, cqe) {
		struct io_u *io_u;

		if (r->ready_events >= limit)
			break;
		io_u = io_uring_cqe_get_data(cqe);
		r->complete(io_u, cqe->res);
		r->events[r->ready_events++] = io_u;
		n++;
	}
	io_uring_cq_advance(&r->ring, n);
	r->in_flight -= n;
	return n;
}

/* fio has read the events the last getevents returned: drop them. */
static void release_given(struct cvmio_ring *r)
{
	if (!r->given)
		return;
	r->ready_events -= r->given;
	memmove(r->events, r->events + r->given, r->ready_events * sizeof(*r->events));
	r->given = 0;
}

/* A round that made no progress: pause, or give up with err (see cvmio-core.h). */
static int stalled(struct thread_data *td, unsigned int *stalls, int err, const char *what)
{
	return cvmio_stall_pause(stalls, td->io_ops->name, what, err) ? 0 : err;
}

/* The kernel refused SQEs: free CQ room / wait for one of ours to complete. */
static int make_room(struct thread_data *td, struct cvmio_ring *r,
		     unsigned int *stalls, int err)
{
	unsigned int got = take_completions(r, r->depth);

	if (!got && r->in_flight) {
		int ret = ring_wait(r, 1);	/* also flushes an overflowed CQ */

		if (ret < 0 && !retryable(ret))
			return ret;
		got = take_completions(r, r->depth);
	}
	if (got) {
		*stalls = 0;
		return 0;
	}
	return stalled(td, stalls, err, "io_uring_enter (submit)");
}

/* ret SQEs were handed over: fio's bookkeeping, and on to the next. */
static void handed_over(struct thread_data *td, struct cvmio_ring *r, unsigned int ret,
			const struct timespec *submitted)
{
	io_u_mark_submit(td, ret);
	cvmio_mark_issued(td, r->pending_ios, ret, submitted);
	r->pending -= ret;
	r->in_flight += ret;
	memmove(r->pending_ios, r->pending_ios + ret, r->pending * sizeof(*r->pending_ios));
}

int cvmio_ring_commit(struct thread_data *td, struct cvmio_ring *r)
{
	unsigned int stalls = 0;

	release_given(r);
	while (r->pending) {
		struct timespec end;
		bool timed;
		int ret = ring_submit(r, &end, &timed);

		if (ret > 0) {
			handed_over(td, r, (unsigned int)ret, timed ? &end : NULL);
			stalls = 0;
			continue;
		}
		if (ret == -EINTR)
			continue;
		if (ret == 0 || ret == -EAGAIN || ret == -EBUSY)
			ret = make_room(td, r, &stalls, ret ? ret : -EAGAIN);
		if (ret) {
			td_verror(td, -ret, "io_uring_enter (submit)");
			return ret;
		}
	}
	return 0;
}

int cvmio_ring_getevents(struct thread_data *td, struct cvmio_ring *r,
			 unsigned int min, unsigned int max)
{
	unsigned int stalls = 0;
	bool entered = false;

	release_given(r);
	for (;;) {
		unsigned int have;
		int ret;

		if (take_completions(r, max))
			stalls = 0;
		have = r->ready_events;
		if (have >= min && (have || entered || !needs_enter_to_reap(r)))
			break;
		ret = ring_wait(r, min > have ? min - have : 0);
		entered = true;
		if (ret >= 0 || ret == -EINTR)
			continue;
		if (retryable(ret))
			ret = stalled(td, &stalls, ret, "io_uring_enter (getevents)");
		if (ret) {
			td_verror(td, -ret, "io_uring_enter (getevents)");
			return ret;
		}
	}
	r->given = r->ready_events < max ? r->ready_events : max;
	return (int)r->given;
}
