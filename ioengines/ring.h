/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io_uring set-up and the timed submit/reap paths shared by cvmio-uring and
 * cvmio-nvme (liburing).
 */
#ifndef CVMIO_ENGINE_RING_H
#define CVMIO_ENGINE_RING_H

#include <liburing.h>

#include "cvmio-core.h"

/*
 * Create a ring of 'depth' entries with 'base_flags' plus, when the kernel
 * has them, SINGLE_ISSUER | DEFER_TASKRUN | COOP_TASKRUN (dropped one by one
 * on EINVAL).  'want_fast' = false skips them (e.g. io_submit_mode=offload,
 * where another thread submits).  Returns 0 or -errno; *used_flags gets the
 * flags the ring really has.
 */
int cvmio_ring_init(struct io_uring *ring, unsigned int depth,
		    struct io_uring_params *params, bool want_fast,
		    unsigned int *used_flags);

/*
 * Hand 'nr' prepared SQEs to the kernel, timing each io_uring_enter as one
 * submission syscall.  Returns how many were submitted or -errno.
 */
int cvmio_ring_submit(struct io_uring *ring, unsigned int nr,
		      struct cvmio_stats *stats);

/*
 * Wait until at least 'wait_nr' completions are in the CQ (0: just run
 * pending task work / poll once, which DEFER_TASKRUN and IOPOLL rings need
 * before completions become visible).  Timed as one reaping syscall.
 */
int cvmio_ring_wait(struct io_uring *ring, unsigned int wait_nr,
		    struct cvmio_stats *stats);

/* Turns one CQE's result into the io_u's error/resid (engine-specific). */
typedef void (*cvmio_cqe_complete_fn)(struct io_u *io_u, int res);

/*
 * fio's getevents for an io_uring engine: move between 'min' and 'max'
 * completions into events[], each finished by 'complete'.  On rings whose CQ
 * only fills when we enter the kernel (DEFER_TASKRUN, IOPOLL) it enters at
 * least once even for min = 0, so a polling fio still makes progress.
 * Returns the count or -errno (reported with td_verror).
 */
int cvmio_ring_getevents(struct thread_data *td, struct io_uring *ring,
			 struct cvmio_stats *stats, struct io_u **events,
			 unsigned int min, unsigned int max,
			 cvmio_cqe_complete_fn complete);

#endif
