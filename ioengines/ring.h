/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The io_uring half shared by cvmio-uring and cvmio-nvme (liburing): ring
 * set-up, the queue of prepared SQEs, commit (submission with its busy
 * handling), getevents, and the timed system calls behind them.
 *
 * The engine owns a struct cvmio_ring and only prepares SQEs; everything
 * that decides when the kernel is entered (and so what the accounting
 * counts) is here, once.
 */
#ifndef CVMIO_ENGINE_RING_H
#define CVMIO_ENGINE_RING_H

#include <liburing.h>

#include "cvmio-core.h"

/* Turns one CQE's result into the io_u's error/resid (engine-specific). */
typedef void (*cvmio_cqe_complete_fn)(struct io_u *io_u, int res);

struct cvmio_ring {
	struct io_uring ring;
	bool ready;			/* ring created */
	unsigned int depth;		/* fio's iodepth: the size of the arrays */
	unsigned int pending;		/* SQEs prepared, not yet handed to the kernel */
	unsigned int in_flight;		/* handed over, CQE not yet taken from the CQ */
	unsigned int ready_events;	/* CQEs taken, in events[], not yet all given to fio */
	unsigned int given;		/* events[0..given) returned by the last getevents */
	struct io_u **pending_ios;	/* the pending SQEs' io_us, in queue order */
	struct io_u **events;		/* taken completions, read by fio via event() */
	struct cvmio_stats *stats;
	cvmio_cqe_complete_fn complete;
};

/* Allocates the per-I/O arrays for 'depth'; 0 or -ENOMEM.  No ring yet. */
int cvmio_ring_alloc(struct cvmio_ring *r, unsigned int depth,
		     struct cvmio_stats *stats, cvmio_cqe_complete_fn complete);

/*
 * Create the ring with 'params->flags' plus, when the kernel has them, a CQ
 * clamped to the SQ size (IORING_SETUP_CQSIZE, as fio does: no more I/Os
 * than depth are ever in flight) and SINGLE_ISSUER | DEFER_TASKRUN |
 * COOP_TASKRUN (dropped one by one on EINVAL).  'want_fast' = false skips
 * the latter (e.g. io_submit_mode=offload, where another thread submits).
 * Returns 0 or -errno; *used_flags gets the flags the ring really has.
 */
int cvmio_ring_init(struct cvmio_ring *r, struct io_uring_params *params,
		    bool want_fast, unsigned int *used_flags);

void cvmio_ring_free(struct cvmio_ring *r);

/* A free SQE for io_u (NULL: the SQ is full, fio gets FIO_Q_BUSY). */
static inline struct io_uring_sqe *cvmio_ring_get_sqe(struct cvmio_ring *r)
{
	return io_uring_get_sqe(&r->ring);
}

/* The SQE just prepared for io_u waits for the next commit. */
static inline void cvmio_ring_queued(struct cvmio_ring *r, struct io_u *io_u)
{
	r->pending_ios[r->pending++] = io_u;
}

/* Whether any of our I/Os is prepared, in flight or reaped but not handed back. */
static inline bool cvmio_ring_busy(const struct cvmio_ring *r)
{
	return r->pending || r->in_flight || r->ready_events > r->given;
}

/*
 * fio's commit: hand every pending SQE to the kernel.  When the kernel
 * answers EAGAIN/EBUSY (no room: CQ overflow, no request memory), take
 * completions off the CQ (waiting for one when none is there but some of
 * ours are in flight) and keep them for the next getevents, then retry.
 * Returns 0 or -errno (reported with td_verror).
 */
int cvmio_ring_commit(struct thread_data *td, struct cvmio_ring *r);

/*
 * fio's getevents: between 'min' and 'max' completions, each finished by
 * r->complete, for event().  On rings whose CQ only fills when we enter the
 * kernel (DEFER_TASKRUN, IOPOLL) it enters at least once even for min = 0,
 * so a polling fio still makes progress.  Returns the count or -errno.
 */
int cvmio_ring_getevents(struct thread_data *td, struct cvmio_ring *r,
			 unsigned int min, unsigned int max);

static inline struct io_u *cvmio_ring_event(const struct cvmio_ring *r, int event)
{
	return r->events[event];
}

#endif
