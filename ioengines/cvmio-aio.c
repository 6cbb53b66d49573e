// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio-aio: fio external engine on Linux native AIO (libaio), with cvmio's
 * per-I/O cost accounting.  userspace_reap has the meaning of fio's libaio
 * option: reap completions from the AIO ring in user space when fio does not
 * need to wait.  Usage: fio --ioengine=external:cvmio-aio.so ...
 */
#include <errno.h>
#include <libaio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvmio-core.h"

#define ENGINE_NAME "cvmio-aio"

extern struct ioengine_ops ioengine;
CVMIO_LOAD_GUARD(ioengine, ENGINE_NAME)

struct laio_opts {
	struct cvmio_common_opts common;	/* must come first */
	unsigned int userspace_reap;
};

struct laio_data {
	io_context_t ctx;
	bool ctx_ready;
	struct iocb *iocbs;		/* one per io_u, indexed by io_u->index */
	struct iocb **pending;		/* prepared, not yet submitted (FIFO) */
	unsigned int nr_pending;
	unsigned int in_flight;		/* submitted, completion not yet reaped */
	struct io_event *events;	/* reaped completions, read by event() */
	struct cvmio_stats stats;
};

/* The completion ring the kernel maps at the context address (fs/aio.c). */
struct aio_user_ring {
	unsigned int id;
	unsigned int nr;
	unsigned int head;
	unsigned int tail;
	unsigned int magic;
	unsigned int compat_features;
	unsigned int incompat_features;
	unsigned int header_length;
	struct io_event io_events[];
};

#define AIO_USER_RING_MAGIC 0xa10a10a1

static struct fio_option options[] = {
	CVMIO_COMMON_OPTIONS(struct laio_opts),
	{
		.name	= "userspace_reap",
		.lname	= "Libaio userspace reaping",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct laio_opts, userspace_reap),
		.help	= "Use alternative user-space reap implementation",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_LIBAIO,
	},
	{
		.name	= NULL,
	},
};

static void laio_free(struct laio_data *ad)
{
	if (!ad)
		return;
	if (ad->ctx_ready)
		io_destroy(ad->ctx);
	free(ad->iocbs);
	free(ad->pending);
	free(ad->events);
	free(ad);
}

static int laio_init(struct thread_data *td)
{
	struct laio_opts *o = td->eo;
	struct laio_data *ad;
	unsigned int depth = td->o.iodepth;
	int ret;

	if (cvmio_check_fio(td, ENGINE_NAME, &ioengine))
		return 1;
	ad = calloc(1, sizeof(*ad));
	if (!ad)
		return 1;
	ad->iocbs = calloc(depth, sizeof(*ad->iocbs));
	ad->pending = calloc(depth, sizeof(*ad->pending));
	ad->events = calloc(depth, sizeof(*ad->events));
	if (!ad->iocbs || !ad->pending || !ad->events) {
		laio_free(ad);
		return 1;
	}
	ret = io_queue_init((int)depth, &ad->ctx);
	if (ret < 0) {
		log_err("%s: io_setup(%u): %s (see /proc/sys/fs/aio-max-nr)\n",
			ENGINE_NAME, depth, strerror(-ret));
		laio_free(ad);
		return 1;
	}
	ad->ctx_ready = true;
	cvmio_stats_init(&ad->stats, &o->common);
	td->io_ops_data = ad;
	return 0;
}

/* Our per-io_u arrays are indexed by io_u->index, sized by iodepth. */
static int laio_post_init(struct thread_data *td)
{
	if (td->io_u_all.nr > td->o.iodepth) {
		log_err("%s: fio made %u io_units for iodepth %u\n", ENGINE_NAME,
			td->io_u_all.nr, td->o.iodepth);
		return 1;
	}
	return 0;
}

/* fsync/fdatasync and trim run synchronously once nothing is in flight. */
static enum fio_q_status laio_queue_sync(struct thread_data *td, struct laio_data *ad,
					struct io_u *io_u)
{
	if (ad->nr_pending || td->io_u_in_flight)
		return FIO_Q_BUSY;
	cvmio_stamp_issue(td, io_u);
	if (io_u->ddir == DDIR_TRIM)
		do_io_u_trim(td, io_u);
	else
		do_io_u_sync(td, io_u);
	io_u_mark_submit(td, 1);
	io_u_mark_complete(td, 1);
	return FIO_Q_COMPLETED;
}

static enum fio_q_status laio_queue(struct thread_data *td, struct io_u *io_u)
{
	struct laio_data *ad = td->io_ops_data;
	struct iocb *iocb = &ad->iocbs[io_u->index];

	fio_ro_check(td, io_u);
	/* (fio's ddir_rw() is true for trims too: they must not become writes.) */
	if (io_u->ddir != DDIR_READ && io_u->ddir != DDIR_WRITE)
		return laio_queue_sync(td, ad, io_u);
	if (ad->nr_pending == td->o.iodepth)
		return FIO_Q_BUSY;
	if (io_u->ddir == DDIR_READ)
		io_prep_pread(iocb, io_u->file->fd, io_u->xfer_buf,
			      io_u->xfer_buflen, (long long)io_u->offset);
	else
		io_prep_pwrite(iocb, io_u->file->fd, io_u->xfer_buf,
			       io_u->xfer_buflen, (long long)io_u->offset);
	iocb->data = io_u;
	ad->pending[ad->nr_pending++] = iocb;
	cvmio_stats_io(&ad->stats, td, io_u->ddir);
	return FIO_Q_QUEUED;
}

static void laio_mark_issued(struct thread_data *td, struct iocb **iocbs,
			     unsigned int nr, const struct timespec *submitted)
{
	struct io_u *io_us[64];

	/* cvmio_mark_issued() wants io_us; hand them over in chunks. */
	while (nr) {
		unsigned int n = nr < 64 ? nr : 64, i;

		for (i = 0; i < n; i++)
			io_us[i] = iocbs[i]->data;
		cvmio_mark_issued(td, io_us, n, submitted);
		iocbs += n;
		nr -= n;
	}
}

/* What io_submit said; false to stop submitting for now (*err set on failure). */
static bool submit_result(struct thread_data *td, struct laio_data *ad, int ret,
			  unsigned int *stalls, int *err)
{
	if (ret == -EINTR)
		return true;
	if (ret != -EAGAIN && ret != 0) {
		td_verror(td, -ret, "io_submit");
		*err = ret;
		return false;
	}
	/* Kernel queue full: keep the rest; getevents() reaps, then retries. */
	if (ad->in_flight)
		return false;
	/* Nothing of ours can complete to make room: io_getevents would never return. */
	if (cvmio_stall_pause(stalls, ENGINE_NAME, "io_submit", -EAGAIN))
		return true;
	td_verror(td, EAGAIN, "io_submit");
	*err = -EAGAIN;
	return false;
}

static int laio_commit(struct thread_data *td)
{
	struct laio_data *ad = td->io_ops_data;
	unsigned int done = 0, stalls = 0;
	int err = 0;

	while (done < ad->nr_pending) {
		uint64_t start = cvmio_clock_start(&ad->stats);
		int ret = io_submit(ad->ctx, (long)(ad->nr_pending - done),
				    ad->pending + done);
		struct timespec end;
		bool timed = cvmio_submit_done(&ad->stats, start,
					       ret > 0 ? (unsigned int)ret : 0, &end);

		if (ret > 0) {
			io_u_mark_submit(td, (unsigned int)ret);
			laio_mark_issued(td, ad->pending + done, (unsigned int)ret,
					 timed ? &end : NULL);
			done += (unsigned int)ret;
			ad->in_flight += (unsigned int)ret;
			stalls = 0;
		} else if (!submit_result(td, ad, ret, &stalls, &err)) {
			break;
		}
	}
	memmove(ad->pending, ad->pending + done,
		(ad->nr_pending - done) * sizeof(*ad->pending));
	ad->nr_pending -= done;
	return err;
}

/* Reap from the mapped ring without a syscall; returns how many were taken. */
static unsigned int user_reap(struct laio_data *ad, unsigned int from, unsigned int max)
{
	struct aio_user_ring *ring = (struct aio_user_ring *)ad->ctx;
	unsigned int n = 0, head;

	head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	while (from + n < max) {
		if (head == __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE))
			break;
		ad->events[from + n++] = ring->io_events[head];
		head = (head + 1) % ring->nr;
	}
	if (n)
		__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
	ad->in_flight -= n;
	return n;
}

static bool can_user_reap(const struct laio_opts *o, const struct laio_data *ad)
{
	return o->userspace_reap &&
	       ((const struct aio_user_ring *)ad->ctx)->magic == AIO_USER_RING_MAGIC;
}

static int laio_getevents(struct thread_data *td, unsigned int min,
			 unsigned int max, const struct timespec *t)
{
	struct laio_opts *o = td->eo;
	struct laio_data *ad = td->io_ops_data;
	unsigned int got = 0;

	(void)t;
	if (ad->nr_pending) {
		int ret = laio_commit(td);

		if (ret)
			return ret;
	}
	do {
		unsigned int wait_nr;
		uint64_t start;
		int ret;

		if (can_user_reap(o, ad)) {
			got += user_reap(ad, got, max);
			if (got >= min && (got || !min))
				break;
		}
		/* Never wait for more than is in flight: that would block forever. */
		wait_nr = min > got ? min - got : 0;
		if (wait_nr > ad->in_flight)
			wait_nr = ad->in_flight;
		start = cvmio_clock_start(&ad->stats);
		ret = io_getevents(ad->ctx, (long)wait_nr, (long)(max - got),
				   ad->events + got, NULL);
		cvmio_reap_done(&ad->stats, start, wait_nr > 0);
		if (ret > 0) {
			got += (unsigned int)ret;
			ad->in_flight -= (unsigned int)ret;
		} else if (ret < 0 && ret != -EINTR && ret != -EAGAIN) {
			td_verror(td, -ret, "io_getevents");
			return ret;
		}
		if (ad->nr_pending && (ret = laio_commit(td)))
			return ret;
	} while (got < min && (ad->in_flight || ad->nr_pending));
	return (int)got;
}

static struct io_u *laio_event(struct thread_data *td, int event)
{
	struct laio_data *ad = td->io_ops_data;
	struct io_event *ev = &ad->events[event];
	struct io_u *io_u = ((struct iocb *)ev->obj)->data;
	long res = (long)ev->res;

	if (res < 0) {
		io_u->error = (int)-res;
	} else if ((unsigned long long)res != io_u->xfer_buflen) {
		io_u->resid = io_u->xfer_buflen - (unsigned long long)res;
		io_u->error = 0;
	}
	return io_u;
}

static void laio_cleanup(struct thread_data *td)
{
	struct laio_data *ad = td->io_ops_data;

	if (!ad)
		return;
	cvmio_stats_report(&ad->stats, td, ENGINE_NAME);
	laio_free(ad);
	td->io_ops_data = NULL;
}

struct ioengine_ops ioengine = {
	.name			= ENGINE_NAME,
	.version		= FIO_IOOPS_VERSION,
	.flags			= FIO_ASYNCIO_SYNC_TRIM | FIO_ASYNCIO_SETS_ISSUE_TIME,
	.init			= laio_init,
	.post_init		= laio_post_init,
	.queue			= laio_queue,
	.commit			= laio_commit,
	.getevents		= laio_getevents,
	.event			= laio_event,
	.cleanup		= laio_cleanup,
	.open_file		= generic_open_file,
	.close_file		= generic_close_file,
	.get_file_size		= generic_get_file_size,
	.options		= options,
	.option_struct_size	= sizeof(struct laio_opts),
};
