// SPDX-License-Identifier: GPL-2.0-only
/* io_uring set-up with fallback and timed syscalls; see ring.h. */
#include <errno.h>
#include <string.h>

#include "ring.h"

int cvmio_ring_init(struct io_uring *ring, unsigned int depth,
		    struct io_uring_params *params, bool want_fast,
		    unsigned int *used_flags)
{
	/* Fastest first; DEFER_TASKRUN needs SINGLE_ISSUER and no SQPOLL. */
	static const unsigned int fast[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	const unsigned int base = params->flags;
	unsigned int i = want_fast ? 0 : 3;
	int ret = -EINVAL;

	for (; i < sizeof(fast) / sizeof(fast[0]); i++) {
		unsigned int extra = fast[i];

		if (base & IORING_SETUP_SQPOLL)
			extra &= ~IORING_SETUP_DEFER_TASKRUN;
		params->flags = base | extra;
		ret = io_uring_queue_init_params(depth, ring, params);
		if (ret != -EINVAL)
			break;
	}
	*used_flags = params->flags;
	return ret;
}

static bool sqpoll_sleeping(const struct io_uring *ring)
{
	return IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_NEED_WAKEUP;
}

int cvmio_ring_submit(struct io_uring *ring, unsigned int nr,
		      struct cvmio_stats *stats)
{
	/*
	 * liburing enters the kernel unless the ring has SQPOLL and the poller
	 * is awake; only an enter is a syscall worth counting.
	 */
	bool enters = !(ring->flags & IORING_SETUP_SQPOLL) || sqpoll_sleeping(ring);
	uint64_t start = cvmio_clock_start(stats);
	int ret = io_uring_submit(ring);

	/*
	 * With SQPOLL liburing returns how many SQEs the poller has not
	 * consumed yet (earlier batches included, or 0 if it was quick): once
	 * the tail is published, all of ours are handed over.
	 */
	if (ret >= 0 && (ring->flags & IORING_SETUP_SQPOLL))
		ret = (int)nr;
	if (enters)
		cvmio_submit_done(stats, start, ret > 0 ? (unsigned int)ret : 0);
	return ret;
}

/* Whether the CQ only fills when we enter the kernel for it. */
static bool needs_enter_to_reap(const struct io_uring *ring)
{
	return ring->flags & (IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_IOPOLL);
}

int cvmio_ring_wait(struct io_uring *ring, unsigned int wait_nr,
		    struct cvmio_stats *stats)
{
	uint64_t start = cvmio_clock_start(stats);
	int ret = io_uring_enter(ring->ring_fd, 0, wait_nr,
				 IORING_ENTER_GETEVENTS, NULL);

	cvmio_reap_done(stats, start);
	return ret;	/* liburing returns -errno */
}

/* Move up to max - from completions from the CQ into events[from..]. */
static unsigned int drain_cq(struct io_uring *ring, struct io_u **events,
			     unsigned int from, unsigned int max,
			     cvmio_cqe_complete_fn complete)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		struct io_u *io_u;

		if (from + n >= max)
			break;
		io_u = io_uring_cqe_get_data(cqe);
		complete(io_u, cqe->res);
		events[from + n++] = io_u;
	}
	io_uring_cq_advance(ring, n);
	return n;
}

int cvmio_ring_getevents(struct thread_data *td, struct io_uring *ring,
			 struct cvmio_stats *stats, struct io_u **events,
			 unsigned int min, unsigned int max,
			 cvmio_cqe_complete_fn complete)
{
	unsigned int got = 0;
	bool entered = false;

	for (;;) {
		int ret;

		got += drain_cq(ring, events, got, max, complete);
		if (got >= min && (got || entered || !needs_enter_to_reap(ring)))
			return (int)got;
		ret = cvmio_ring_wait(ring, min > got ? min - got : 0, stats);
		entered = true;
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			td_verror(td, -ret, "io_uring_enter(GETEVENTS)");
			return ret;
		}
	}
}
