// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio-uring: fio external engine on io_uring (liburing), with cvmio's
 * per-I/O cost accounting.  Options that overlap fio's io_uring engine keep
 * its names and meaning.  Usage: fio --ioengine=external:cvmio-uring.so ...
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "cvmio-core.h"
#include "ring.h"

#define ENGINE_NAME "cvmio-uring"

extern struct ioengine_ops ioengine;
CVMIO_LOAD_GUARD(ioengine, ENGINE_NAME)

struct uring_opts {
	struct cvmio_common_opts common;	/* must come first */
	unsigned int hipri;
	unsigned int fixedbufs;
	unsigned int registerfiles;
	unsigned int sqpoll_thread;
	unsigned int sqpoll_set;
	unsigned int sqpoll_cpu;
	int nonvectored;
};

struct uring_data {
	struct cvmio_ring r;
	bool nonvectored;
	struct iovec *iovecs;		/* one per io_u, indexed by io_u->index */
	struct cvmio_stats stats;
};

static int sqpoll_cpu_cb(void *data, unsigned long long *val)
{
	struct uring_opts *o = data;

	o->sqpoll_cpu = (unsigned int)*val;
	o->sqpoll_set = 1;
	return 0;
}

static struct fio_option options[] = {
	CVMIO_COMMON_OPTIONS(struct uring_opts),
	{
		.name	= "hipri",
		.lname	= "High Priority",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_opts, hipri),
		.help	= "Use polled IO completions (IORING_SETUP_IOPOLL; needs direct=1 and poll queues)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "fixedbufs",
		.lname	= "Fixed (pre-mapped) IO buffers",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_opts, fixedbufs),
		.help	= "Pre map IO buffers (io_uring_register_buffers, READ_FIXED/WRITE_FIXED)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "registerfiles",
		.lname	= "Register file set",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_opts, registerfiles),
		.help	= "Pre-open/register files (fixed file table)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "sqthread_poll",
		.lname	= "Kernel SQ thread polling",
		.type	= FIO_OPT_STR_SET,
		.off1	= offsetof(struct uring_opts, sqpoll_thread),
		.help	= "Offload submission/completion to kernel thread (IORING_SETUP_SQPOLL)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "sqthread_poll_cpu",
		.lname	= "SQ Thread Poll CPU",
		.type	= FIO_OPT_INT,
		.cb	= sqpoll_cpu_cb,
		.help	= "What CPU to run SQ thread polling on",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= "nonvectored",
		.lname	= "Non-vectored",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct uring_opts, nonvectored),
		.def	= "-1",
		.minval	= -1,
		.maxval	= 1,
		.help	= "Use non-vectored read/write commands (-1: when the kernel has them)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_IOURING,
	},
	{
		.name	= NULL,
	},
};

/* -1 means: IORING_OP_READ/WRITE when the kernel supports them. */
static bool want_nonvectored(struct io_uring *ring, int opt)
{
	struct io_uring_probe *probe;
	bool ok;

	if (opt >= 0)
		return opt;
	probe = io_uring_get_probe_ring(ring);
	if (!probe)
		return false;
	ok = io_uring_opcode_supported(probe, IORING_OP_READ) &&
	     io_uring_opcode_supported(probe, IORING_OP_WRITE);
	io_uring_free_probe(probe);
	return ok;
}

static int uring_setup_ring(struct thread_data *td, struct uring_data *ud,
			    const struct uring_opts *o)
{
	struct io_uring_params p;
	unsigned int used;
	int ret;

	memset(&p, 0, sizeof(p));
	if (o->hipri)
		p.flags |= IORING_SETUP_IOPOLL;
	if (o->sqpoll_thread) {
		p.flags |= IORING_SETUP_SQPOLL;
		if (o->sqpoll_set) {
			p.flags |= IORING_SETUP_SQ_AFF;
			p.sq_thread_cpu = o->sqpoll_cpu;
		}
	}
	ret = cvmio_ring_init(&ud->r, &p, td->o.io_submit_mode != IO_MODE_OFFLOAD, &used);
	if (ret < 0) {
		log_err("%s: io_uring_queue_init (depth %u, flags 0x%x): %s\n",
			ENGINE_NAME, td->o.iodepth, used, strerror(-ret));
		return 1;
	}
	dprint(FD_IO, "%s: ring flags 0x%x\n", ENGINE_NAME, used);
	ud->nonvectored = want_nonvectored(&ud->r.ring, o->nonvectored);
	return 0;
}

static void complete_io_u(struct io_u *io_u, int res);

static void uring_free(struct uring_data *ud)
{
	if (!ud)
		return;
	cvmio_ring_free(&ud->r);
	free(ud->iovecs);
	free(ud);
}

static int uring_init(struct thread_data *td)
{
	struct uring_opts *o = td->eo;
	struct uring_data *ud;

	if (cvmio_check_fio(td, ENGINE_NAME, &ioengine))
		return 1;
	if (o->hipri && !td->o.odirect) {
		log_err("%s: hipri needs direct=1\n", ENGINE_NAME);
		return 1;
	}
	ud = calloc(1, sizeof(*ud));
	if (!ud)
		return 1;
	ud->iovecs = calloc(td->o.iodepth, sizeof(*ud->iovecs));
	if (!ud->iovecs ||
	    cvmio_ring_alloc(&ud->r, td->o.iodepth, &ud->stats, complete_io_u) ||
	    uring_setup_ring(td, ud, o)) {
		uring_free(ud);
		return 1;
	}
	cvmio_stats_init(&ud->stats, &o->common);
	td->io_ops_data = ud;
	return 0;
}

/* After fio allocated the io_u buffers and files: register what was asked. */
static int uring_post_init(struct thread_data *td)
{
	struct uring_opts *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	struct io_u *io_u;
	int ret;
	unsigned int i;

	if (td->io_u_all.nr > td->o.iodepth) {
		log_err("%s: fio made %u io_units for iodepth %u\n", ENGINE_NAME,
			td->io_u_all.nr, td->o.iodepth);
		return 1;
	}
	io_u_qiter(&td->io_u_all, io_u, i) {
		ud->iovecs[io_u->index].iov_base = io_u->buf;
		ud->iovecs[io_u->index].iov_len = td_max_bs(td);
	}
	if (o->fixedbufs) {
		ret = io_uring_register_buffers(&ud->r.ring, ud->iovecs, td->o.iodepth);
		if (ret < 0) {
			log_err("%s: fixedbufs: io_uring_register_buffers: %s "
				"(raise the memlock limit?)\n", ENGINE_NAME, strerror(-ret));
			return 1;
		}
	}
	if (o->registerfiles) {
		ret = io_uring_register_files_sparse(&ud->r.ring, td->o.nr_files);
		if (ret < 0) {
			log_err("%s: registerfiles: %s\n", ENGINE_NAME, strerror(-ret));
			return 1;
		}
	}
	return 0;
}

static int uring_open_file(struct thread_data *td, struct fio_file *f)
{
	struct uring_opts *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	int ret = generic_open_file(td, f);

	if (ret || !o->registerfiles)
		return ret;
	ret = io_uring_register_files_update(&ud->r.ring, f->fileno, &f->fd, 1);
	if (ret < 0) {
		log_err("%s: registering %s: %s\n", ENGINE_NAME, f->file_name, strerror(-ret));
		(void)!generic_close_file(td, f);
		return 1;
	}
	return 0;
}

static int uring_close_file(struct thread_data *td, struct fio_file *f)
{
	struct uring_opts *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	int unused = -1;

	if (o->registerfiles && ud)
		io_uring_register_files_update(&ud->r.ring, f->fileno, &unused, 1);
	return generic_close_file(td, f);
}

static void prep_rw(struct thread_data *td, struct uring_data *ud, const struct uring_opts *o,
		    struct io_uring_sqe *sqe, struct io_u *io_u)
{
	struct fio_file *f = io_u->file;
	int fd = o->registerfiles ? (int)f->fileno : f->fd;
	bool rd = io_u->ddir == DDIR_READ;

	if (o->fixedbufs) {
		if (rd)
			io_uring_prep_read_fixed(sqe, fd, io_u->xfer_buf, io_u->xfer_buflen,
						 io_u->offset, io_u->index);
		else
			io_uring_prep_write_fixed(sqe, fd, io_u->xfer_buf, io_u->xfer_buflen,
						  io_u->offset, io_u->index);
	} else if (ud->nonvectored) {
		if (rd)
			io_uring_prep_read(sqe, fd, io_u->xfer_buf, io_u->xfer_buflen, io_u->offset);
		else
			io_uring_prep_write(sqe, fd, io_u->xfer_buf, io_u->xfer_buflen, io_u->offset);
	} else {
		struct iovec *iov = &ud->iovecs[io_u->index];

		iov->iov_base = io_u->xfer_buf;
		iov->iov_len = io_u->xfer_buflen;
		if (rd)
			io_uring_prep_readv(sqe, fd, iov, 1, io_u->offset);
		else
			io_uring_prep_writev(sqe, fd, iov, 1, io_u->offset);
	}
	if (o->registerfiles)
		sqe->flags |= IOSQE_FIXED_FILE;
	/*
	 * io_uring_prep_* zero the priority.  fio's prio/prioclass went to
	 * ioprio_set() for this thread, which an SQPOLL thread or io-wq
	 * worker does not inherit: carry it in the SQE, as fio's engine does.
	 */
	sqe->ioprio = (__u16)td->ioprio;
}

static enum fio_q_status uring_queue(struct thread_data *td, struct io_u *io_u)
{
	struct uring_opts *o = td->eo;
	struct uring_data *ud = td->io_ops_data;
	struct io_uring_sqe *sqe;

	fio_ro_check(td, io_u);
	if (io_u->ddir == DDIR_TRIM) {
		/*
		 * io_uring has no discard opcode: trim synchronously, but only
		 * once nothing queued before it is pending or in flight, else
		 * the trim could overtake an earlier write to the same blocks.
		 */
		if (cvmio_ring_busy(&ud->r))
			return FIO_Q_BUSY;
		cvmio_stamp_issue(td, io_u);
		do_io_u_trim(td, io_u);
		io_u_mark_submit(td, 1);
		io_u_mark_complete(td, 1);
		return FIO_Q_COMPLETED;
	}
	sqe = cvmio_ring_get_sqe(&ud->r);
	if (!sqe)
		return FIO_Q_BUSY;
	if (ddir_rw(io_u->ddir)) {
		prep_rw(td, ud, o, sqe, io_u);
	} else {
		io_uring_prep_fsync(sqe, o->registerfiles ? (int)io_u->file->fileno : io_u->file->fd,
				    io_u->ddir == DDIR_DATASYNC ? IORING_FSYNC_DATASYNC : 0);
		if (o->registerfiles)
			sqe->flags |= IOSQE_FIXED_FILE;
	}
	io_uring_sqe_set_data(sqe, io_u);
	cvmio_ring_queued(&ud->r, io_u);
	cvmio_stats_io(&ud->stats, td, io_u->ddir);
	return FIO_Q_QUEUED;
}

static void complete_io_u(struct io_u *io_u, int res)
{
	if (res < 0) {
		io_u->error = -res;
	} else if ((unsigned long long)res != io_u->xfer_buflen && ddir_rw(io_u->ddir)) {
		io_u->resid = io_u->xfer_buflen - (unsigned long long)res;
		io_u->error = 0;
	}
}

static int uring_getevents(struct thread_data *td, unsigned int min,
			   unsigned int max, const struct timespec *t)
{
	struct uring_data *ud = td->io_ops_data;

	(void)t;
	return cvmio_ring_getevents(td, &ud->r, min, max);
}

static int uring_commit(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;

	return cvmio_ring_commit(td, &ud->r);
}

static struct io_u *uring_event(struct thread_data *td, int event)
{
	struct uring_data *ud = td->io_ops_data;

	return cvmio_ring_event(&ud->r, event);
}

static void uring_cleanup(struct thread_data *td)
{
	struct uring_data *ud = td->io_ops_data;

	if (!ud)
		return;
	cvmio_stats_report(&ud->stats, td, ENGINE_NAME);
	uring_free(ud);
	td->io_ops_data = NULL;
}

struct ioengine_ops ioengine = {
	.name			= ENGINE_NAME,
	.version		= FIO_IOOPS_VERSION,
	.flags			= FIO_ASYNCIO_SYNC_TRIM | FIO_ASYNCIO_SETS_ISSUE_TIME,
	.init			= uring_init,
	.post_init		= uring_post_init,
	.queue			= uring_queue,
	.commit			= uring_commit,
	.getevents		= uring_getevents,
	.event			= uring_event,
	.cleanup		= uring_cleanup,
	.open_file		= uring_open_file,
	.close_file		= uring_close_file,
	.get_file_size		= generic_get_file_size,
	.options		= options,
	.option_struct_size	= sizeof(struct uring_opts),
};
