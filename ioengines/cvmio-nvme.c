// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio-nvme: fio external engine issuing NVMe read/write/flush commands
 * straight to an NVMe namespace character device (/dev/ngXnY), with cvmio's
 * per-I/O cost accounting.  The namespace id and LBA format come from
 * libnvme (NVME_IOCTL_ID + Identify Namespace); commands go through io_uring
 * passthrough (IORING_OP_URING_CMD on a SQE128/CQE32 ring, the default) or
 * synchronously through the NVMe I/O ioctl (nvme_transport=ioctl).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <nvme/ioctl.h>	/* also the kernel uapi: nvme_uring_cmd */
#include <nvme/types.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvmio-core.h"
#include "ring.h"

#define ENGINE_NAME "cvmio-nvme"

extern struct ioengine_ops ioengine;
CVMIO_LOAD_GUARD(ioengine, ENGINE_NAME)

enum nvme_transport { TRANSPORT_URING = 0, TRANSPORT_IOCTL = 1 };

struct nvme_opts {
	struct cvmio_common_opts common;	/* must come first */
	unsigned int transport;
};

struct nvme_data {
	struct cvmio_ring r;		/* ready only with nvme_transport=uring */
	struct cvmio_stats stats;
};

/* What Identify Namespace told us, kept in fio_file->engine_data. */
struct nvme_ns {
	__u32 nsid;
	unsigned int lba_shift;
	__u64 nlba;
};

static struct fio_option options[] = {
	CVMIO_COMMON_OPTIONS(struct nvme_opts),
	{
		.name	= "nvme_transport",
		.lname	= "NVMe command transport",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct nvme_opts, transport),
		.help	= "How NVMe commands reach the namespace",
		.def	= "uring",
		.posval = {
			{ .ival = "uring", .oval = TRANSPORT_URING,
			  .help = "io_uring passthrough (IORING_OP_URING_CMD), asynchronous" },
			{ .ival = "ioctl", .oval = TRANSPORT_IOCTL,
			  .help = "NVME_IOCTL_IO64_CMD per I/O, synchronous" },
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= NULL,
	},
};

/* Index of the in-use LBA format: FLBAS bits 3:0, plus bits 6:5 as 5:4. */
static unsigned int lbaf_index(const struct nvme_id_ns *ns)
{
	return (ns->flbas & 0xf) | (((ns->flbas >> 5) & 0x3) << 4);
}

/* Identify the namespace behind fd; logs a one-line reason on failure. */
static int identify(int fd, const char *name, struct nvme_ns *out)
{
	struct nvme_id_ns ns;
	struct stat st;
	unsigned int idx;
	int ret;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		log_err("%s: %s is not a character device; the target must be an "
			"NVMe namespace char device such as /dev/ng0n1\n", ENGINE_NAME, name);
		return EINVAL;
	}
	if (nvme_get_nsid(fd, &out->nsid)) {
		log_err("%s: %s is not an NVMe namespace char device (NVME_IOCTL_ID: %s); "
			"use /dev/ngXnY\n", ENGINE_NAME, name, strerror(errno));
		return ENOTTY;
	}
	memset(&ns, 0, sizeof(ns));
	ret = nvme_identify_ns(fd, out->nsid, &ns);
	if (ret) {
		log_err("%s: %s: Identify Namespace %u failed (%s)\n", ENGINE_NAME, name,
			out->nsid, ret < 0 ? strerror(errno) : "NVMe status error");
		return EIO;
	}
	idx = lbaf_index(&ns);
	if (le16toh(ns.lbaf[idx].ms) && (ns.flbas & NVME_NS_FLBAS_META_EXT)) {
		log_err("%s: %s: LBA format %u has extended metadata; not supported\n",
			ENGINE_NAME, name, idx);
		return EINVAL;
	}
	out->lba_shift = ns.lbaf[idx].ds;
	out->nlba = le64toh(ns.nsze);
	if (out->lba_shift < 9 || out->lba_shift > 16 || !out->nlba) {
		log_err("%s: %s: implausible LBA format (ds %u, nsze %llu)\n", ENGINE_NAME,
			name, out->lba_shift, (unsigned long long)out->nlba);
		return EINVAL;
	}
	return 0;
}

static int open_and_identify(const char *name, int flags, struct nvme_ns *ns)
{
	int fd = open(name, flags);
	int ret;

	if (fd < 0) {
		log_err("%s: open %s: %s\n", ENGINE_NAME, name, strerror(errno));
		return -1;
	}
	ret = identify(fd, name, ns);
	if (ret) {
		close(fd);
		return -1;
	}
	return fd;
}

static int nvme_get_file_size(struct thread_data *td, struct fio_file *f)
{
	struct nvme_ns ns;
	int fd;

	(void)td;
	if (fio_file_size_known(f))
		return 0;
	fd = open_and_identify(f->file_name, O_RDONLY, &ns);
	if (fd < 0)
		return 1;
	close(fd);
	f->real_file_size = ns.nlba << ns.lba_shift;
	fio_file_set_size_known(f);
	return 0;
}

static int nvme_open_file(struct thread_data *td, struct fio_file *f)
{
	struct nvme_ns *ns = calloc(1, sizeof(*ns));
	int flags = td_write(td) ? O_RDWR : O_RDONLY;

	if (!ns)
		return 1;
	f->fd = open_and_identify(f->file_name, flags, ns);
	if (f->fd < 0) {
		free(ns);
		td_verror(td, EINVAL, "cvmio-nvme open");
		return 1;
	}
	FILE_SET_ENG_DATA(f, ns);
	return 0;
}

static int nvme_close_file(struct thread_data *td, struct fio_file *f)
{
	(void)td;
	free(FILE_ENG_DATA(f));
	FILE_SET_ENG_DATA(f, NULL);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	return 0;
}

static void nvme_free(struct nvme_data *nd)
{
	if (!nd)
		return;
	cvmio_ring_free(&nd->r);
	free(nd);
}

static void complete_io_u(struct io_u *io_u, int res);

static int nvme_init(struct thread_data *td)
{
	struct nvme_opts *o = td->eo;
	struct nvme_data *nd;

	if (cvmio_check_fio(td, ENGINE_NAME, &ioengine))
		return 1;
	nd = calloc(1, sizeof(*nd));
	if (!nd)
		return 1;
	if (cvmio_ring_alloc(&nd->r, td->o.iodepth, &nd->stats, complete_io_u)) {
		nvme_free(nd);
		return 1;
	}
	if (o->transport == TRANSPORT_URING) {
		struct io_uring_params p;
		unsigned int used;
		int ret;

		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
		ret = cvmio_ring_init(&nd->r, &p, td->o.io_submit_mode != IO_MODE_OFFLOAD,
				      &used);
		if (ret < 0) {
			log_err("%s: io_uring with SQE128|CQE32 (depth %u): %s; "
				"kernel >= 5.19 needed, or use nvme_transport=ioctl\n",
				ENGINE_NAME, td->o.iodepth, strerror(-ret));
			nvme_free(nd);
			return 1;
		}
	}
	cvmio_stats_init(&nd->stats, &o->common);
	td->io_ops_data = nd;
	return 0;
}

/* slba/nlb for io_u, or -EINVAL when it is not LBA-aligned. */
static int io_u_lbas(const struct io_u *io_u, const struct nvme_ns *ns,
		     __u64 *slba, __u32 *nlb)
{
	__u64 mask = (1ull << ns->lba_shift) - 1;

	if ((io_u->offset & mask) || (io_u->xfer_buflen & mask) || !io_u->xfer_buflen)
		return -EINVAL;
	*slba = io_u->offset >> ns->lba_shift;
	*nlb = (__u32)(io_u->xfer_buflen >> ns->lba_shift);
	return 0;
}

static __u8 nvme_opcode(enum fio_ddir ddir)
{
	if (ddir == DDIR_READ)
		return nvme_cmd_read;
	if (ddir == DDIR_WRITE)
		return nvme_cmd_write;
	return nvme_cmd_flush;
}

static int prep_uring_cmd(struct nvme_data *nd, struct io_u *io_u,
			  const struct nvme_ns *ns)
{
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd *cmd;
	__u64 slba = 0;
	__u32 nlb = 0;

	/*
	 * Validate before taking the SQE: an SQE taken is published by the
	 * next submit whether or not we filled it in.
	 */
	if (ddir_rw(io_u->ddir) && io_u_lbas(io_u, ns, &slba, &nlb))
		return -EINVAL;
	sqe = cvmio_ring_get_sqe(&nd->r);
	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, 2 * sizeof(*sqe));	/* SQE128: the command spills over */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = io_u->file->fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	io_uring_sqe_set_data(sqe, io_u);
	cmd = (struct nvme_uring_cmd *)sqe->cmd;
	cmd->opcode = nvme_opcode(io_u->ddir);
	cmd->nsid = ns->nsid;
	if (ddir_rw(io_u->ddir)) {
		cmd->addr = (__u64)(uintptr_t)io_u->xfer_buf;
		cmd->data_len = (__u32)io_u->xfer_buflen;
		cmd->cdw10 = (__u32)(slba & 0xffffffffu);
		cmd->cdw11 = (__u32)(slba >> 32);
		cmd->cdw12 = nlb - 1;	/* 0's based */
	}
	return 0;
}

/* The synchronous path: one ioctl per I/O, accounted as a submit of 1. */
static void issue_ioctl(struct thread_data *td, struct nvme_data *nd, struct io_u *io_u,
			const struct nvme_ns *ns)
{
	struct nvme_io_args args;
	struct timespec end;
	uint64_t start;
	__u64 slba = 0;
	__u32 nlb = 0;
	int ret;

	if (ddir_rw(io_u->ddir) && io_u_lbas(io_u, ns, &slba, &nlb)) {
		io_u->error = EINVAL;
		return;
	}
	cvmio_stamp_issue(td, io_u);
	memset(&args, 0, sizeof(args));
	args.args_size = sizeof(args);
	args.fd = io_u->file->fd;
	args.nsid = ns->nsid;
	start = cvmio_clock_start(&nd->stats);
	if (ddir_rw(io_u->ddir)) {
		args.slba = slba;
		args.nlb = (__u16)(nlb - 1);
		args.data = io_u->xfer_buf;
		args.data_len = (__u32)io_u->xfer_buflen;
		ret = nvme_io(&args, nvme_opcode(io_u->ddir));
	} else {
		ret = nvme_flush(args.fd, ns->nsid);
	}
	cvmio_submit_done(&nd->stats, start, 1, &end);
	if (ret < 0)
		io_u->error = errno;
	else if (ret > 0)
		io_u->error = EIO;	/* NVMe status code */
}

static enum fio_q_status nvme_queue(struct thread_data *td, struct io_u *io_u)
{
	struct nvme_opts *o = td->eo;
	struct nvme_data *nd = td->io_ops_data;
	const struct nvme_ns *ns = FILE_ENG_DATA(io_u->file);
	int ret;

	fio_ro_check(td, io_u);
	if (io_u->ddir == DDIR_TRIM) {
		io_u->error = EOPNOTSUPP;
		return FIO_Q_COMPLETED;
	}
	if (ddir_rw(io_u->ddir) && io_u->xfer_buflen >> ns->lba_shift > 65536) {
		io_u->error = EINVAL;	/* NLB is 16 bits */
		return FIO_Q_COMPLETED;
	}
	if (o->transport == TRANSPORT_IOCTL) {
		cvmio_stats_io(&nd->stats, td, io_u->ddir);
		issue_ioctl(td, nd, io_u, ns);
		io_u_mark_submit(td, 1);
		io_u_mark_complete(td, 1);
		return FIO_Q_COMPLETED;
	}
	ret = prep_uring_cmd(nd, io_u, ns);
	if (ret == -EBUSY)
		return FIO_Q_BUSY;
	if (ret) {
		io_u->error = -ret;
		return FIO_Q_COMPLETED;
	}
	cvmio_ring_queued(&nd->r, io_u);
	cvmio_stats_io(&nd->stats, td, io_u->ddir);
	return FIO_Q_QUEUED;
}

static int nvme_commit(struct thread_data *td)
{
	struct nvme_data *nd = td->io_ops_data;

	return nd->r.ready ? cvmio_ring_commit(td, &nd->r) : 0;
}

/* res: 0 done, > 0 NVMe status, < 0 -errno */
static void complete_io_u(struct io_u *io_u, int res)
{
	io_u->error = res < 0 ? -res : (res ? EIO : 0);
}

static int nvme_getevents(struct thread_data *td, unsigned int min,
			  unsigned int max, const struct timespec *t)
{
	struct nvme_data *nd = td->io_ops_data;

	(void)t;
	if (!nd->r.ready)
		return 0;
	return cvmio_ring_getevents(td, &nd->r, min, max);
}

static struct io_u *nvme_event(struct thread_data *td, int event)
{
	struct nvme_data *nd = td->io_ops_data;

	return cvmio_ring_event(&nd->r, event);
}

static void nvme_cleanup(struct thread_data *td)
{
	struct nvme_data *nd = td->io_ops_data;

	if (!nd)
		return;
	cvmio_stats_report(&nd->stats, td, ENGINE_NAME);
	nvme_free(nd);
	td->io_ops_data = NULL;
}

struct ioengine_ops ioengine = {
	.name			= ENGINE_NAME,
	.version		= FIO_IOOPS_VERSION,
	.flags			= FIO_NOEXTEND | FIO_RAWIO | FIO_MEMALIGN | FIO_NODISKUTIL |
				  FIO_ASYNCIO_SETS_ISSUE_TIME,
	.init			= nvme_init,
	.queue			= nvme_queue,
	.commit			= nvme_commit,
	.getevents		= nvme_getevents,
	.event			= nvme_event,
	.cleanup		= nvme_cleanup,
	.open_file		= nvme_open_file,
	.close_file		= nvme_close_file,
	.get_file_size		= nvme_get_file_size,
	.options		= options,
	.option_struct_size	= sizeof(struct nvme_opts),
};
